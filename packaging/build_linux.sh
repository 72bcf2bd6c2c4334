#!/usr/bin/env bash
# Build SafeDuty for Debian-family Linux (Debian, Ubuntu, UOS, Kylin): a PyInstaller one-folder
# bundle, then a .deb made from it with dpkg-deb.  See packaging/README.md.
#
#   packaging/build_linux.sh [--out DIR] [--python PY] [--venv DIR] [--no-install]
#                            [--no-smoke-test]
#
# The bundle carries its own Python, Qt and every other library except the base system (glibc,
# OpenGL/EGL, libxcb, libdrm, wayland-client), so it runs on systems whose glibc is at least the
# build machine's.  To reach UOS V20 and Kylin V10 (glibc 2.28) build on a glibc 2.28 system:
# Debian 10 "buster", UOS V20 or Kylin V10 itself (a physical machine or VM; no container needed).
# The .deb declares "libc6 (>= <build glibc>)", so a package built on a newer system refuses to
# install where it could not run instead of failing at start-up.
set -euo pipefail
umask 022

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${SAFEDUTY_BUILD_DIR:-/tmp/safeduty-build}
PYTHON=${PYTHON:-python3}
VENV=""
INSTALL=1
SMOKE=1
# PySide6 6.9 is the newest release with wheels for glibc 2.28 (manylinux_2_28_x86_64); newer
# ones need a newer glibc.  The bundle ships the Qt it was built with, so pin it here.
PYSIDE_CONSTRAINT=${SAFEDUTY_PYSIDE:-"PySide6-Essentials>=6.9,<6.10"}
MAINTAINER=${SAFEDUTY_MAINTAINER:-"SafeDuty packaging <packaging@safeduty.invalid>"}
# The oldest glibc the product supports (UOS V20 / Kylin V10).
TARGET_GLIBC=2.28

usage() {
    sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    cat <<EOF

Options:
  --out DIR          where everything is built (default: \$SAFEDUTY_BUILD_DIR or /tmp/safeduty-build)
  --python PY        Python 3.11+ built with --enable-shared, used to create the venv (default: python3)
  --venv DIR         virtual environment to use or create (default: OUT/venv)
  --no-install       use the venv as it is (no pip install)
  --no-smoke-test    do not run the built program before packaging it
Environment: SAFEDUTY_PYSIDE (pip constraint for PySide6-Essentials, default "$PYSIDE_CONSTRAINT"),
  SAFEDUTY_MAINTAINER (the .deb Maintainer field); pip's own PIP_INDEX_URL, PIP_FIND_LINKS and
  PIP_NO_INDEX for building from a local wheelhouse without network.
EOF
}

die() { echo "build_linux.sh: error: $*" >&2; exit 1; }
step() { echo; echo "==> $*"; }

while (($#)); do
    case $1 in
        --out) OUT=${2:?--out needs a folder}; shift 2 ;;
        --python) PYTHON=${2:?--python needs an interpreter}; shift 2 ;;
        --venv) VENV=${2:?--venv needs a folder}; shift 2 ;;
        --no-install) INSTALL=0; shift ;;
        --no-smoke-test) SMOKE=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
VENV=${VENV:-$OUT/venv}
case "$OUT/" in
    "$REPO"/*) die "--out must be outside the repository ($REPO): build outputs stay out of it" ;;
esac

# ------------------------------------------------------------------------------ preconditions
step "Checking the build machine"
for tool in dpkg dpkg-deb readelf ldd getconf; do
    command -v "$tool" >/dev/null || die "$tool is missing (packages: dpkg, binutils, libc-bin)"
done

if [[ ! -x $VENV/bin/python ]]; then
    command -v "$PYTHON" >/dev/null || die "no Python interpreter '$PYTHON' (use --python)"
fi
BASE_PY=$PYTHON
[[ -x $VENV/bin/python ]] && BASE_PY=$VENV/bin/python
"$BASE_PY" - <<'EOF' || die "Python 3.11 or newer built with --enable-shared is required"
import sys, sysconfig
if sys.version_info < (3, 11):
    sys.exit(f"Python {sys.version.split()[0]} is too old")
if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
    sys.exit("this Python has no shared libpython (configure it with --enable-shared); "
             "PyInstaller needs libpython3.x.so")
EOF

VERSION=$("$BASE_PY" -c 'import sys, tomllib
print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$REPO/pyproject.toml")
# PEP 440 to Debian: pre-releases and dev releases sort before the release (1.0rc1 -> 1.0~rc1).
DEB_VERSION=$(sed -E 's/^([0-9][0-9.]*[0-9])\.?(a|b|rc)([0-9]+)/\1~\2\3/; s/[.]?dev([0-9]*)/~dev\1/' <<<"$VERSION")
ARCH=$(dpkg --print-architecture)
GLIBC=$(getconf GNU_LIBC_VERSION | awk '{print $2}')
echo "SafeDuty $VERSION (Debian version $DEB_VERSION), $ARCH, glibc $GLIBC, output in $OUT"

if [[ $(printf '%s\n%s\n' "$TARGET_GLIBC" "$GLIBC" | sort -V | tail -n1) != "$TARGET_GLIBC" ]]; then
    echo "WARNING: this machine has glibc $GLIBC, newer than $TARGET_GLIBC (UOS V20, Kylin V10)."
    echo "WARNING: the .deb will require libc6 >= $GLIBC and will not install there; build on"
    echo "WARNING: Debian 10, UOS V20 or Kylin V10 for a package that does."
fi

# ------------------------------------------------------------------------------ environment
if ((INSTALL)); then
    step "Preparing the virtual environment $VENV"
    [[ -x $VENV/bin/python ]] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --upgrade pip
    # Only the dependencies: PyInstaller analyses the checkout itself (pathex in the spec).
    "$VENV/bin/python" - "$REPO/pyproject.toml" >"$OUT/requirements.txt" <<'EOF'
import sys, tomllib
print("\n".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]))
EOF
    echo "$PYSIDE_CONSTRAINT" >"$OUT/constraints.txt"
    "$VENV/bin/python" -m pip install -r "$OUT/requirements.txt" -c "$OUT/constraints.txt" \
        "pyinstaller>=6.0"
fi
[[ -x $VENV/bin/pyinstaller && -x $VENV/bin/pybabel ]] \
    || die "$VENV lacks pyinstaller or babel (drop --no-install, or pip install them)"
"$VENV/bin/python" -c 'import PySide6; print("PySide6", PySide6.__version__)'

# ------------------------------------------------------------------------------ catalogs
step "Compiling the translation catalogs"
shopt -s nullglob
po_files=("$REPO"/i18n/*/LC_MESSAGES/messages.po)
shopt -u nullglob
if ((${#po_files[@]})); then
    # The .mo files are build output (ignored by git), written beside their .po.
    "$VENV/bin/pybabel" compile -d "$REPO/i18n" -D messages --statistics
    # argparse's own messages (usage errors, --help), translated for the command line.
    "$VENV/bin/pybabel" compile -i "$REPO/i18n/zh_CN/LC_MESSAGES/argparse.po" \
        -o "$REPO/i18n/zh_CN/LC_MESSAGES/argparse.mo" -l zh_CN
else
    echo "no i18n/*/LC_MESSAGES/messages.po yet: nothing to compile"
fi

# ------------------------------------------------------------------------------ bundle
step "Building the one-folder bundle with PyInstaller"
rm -rf "$OUT/dist/safeduty"
(cd "$OUT" && "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$OUT/dist" --workpath "$OUT/work" "$REPO/packaging/safeduty.spec")
BUNDLE=$OUT/dist/safeduty
[[ -x $BUNDLE/safeduty ]] || die "PyInstaller produced no $BUNDLE/safeduty"

step "Checking that the bundle's libraries resolve"
# Everything the bundle links must be inside it or on every target system.  A "not found" here
# means a library missing on the build machine that PyInstaller could therefore not bundle
# (install it, see README.md) - the program would fail the same way on a user's machine.
internal=$BUNDLE/_internal
libdirs=$internal:$internal/PySide6/Qt/lib:$internal/PySide6:$internal/shiboken6
missing=$(find "$BUNDLE" -type f \( -name '*.so' -o -name '*.so.*' -o -path "$BUNDLE/safeduty" \) \
    -print0 | xargs -0 -r -n 50 env LD_LIBRARY_PATH="$libdirs" ldd 2>/dev/null \
    | awk '/=> not found/ {print $1}' | sort -u || true)
if [[ -n $missing ]]; then
    die "libraries not found for the bundle: $(tr '\n' ' ' <<<"$missing")"
fi
echo "from the system (declared in Depends or part of the base system):"
find "$BUNDLE" -type f \( -name '*.so' -o -name '*.so.*' \) -print0 \
    | xargs -0 -r -n 50 env LD_LIBRARY_PATH="$libdirs" ldd 2>/dev/null \
    | awk -v b="$BUNDLE" '/=> \// && index($3, b) != 1 {print $1}' | sort -u | tr '\n' ' ' || true
echo
[[ -n $(find "$internal" -name 'libxcb-cursor.so.0*' -print -quit) ]] \
    || die "libxcb-cursor.so.0 was not bundled (Qt 6 needs it on X11): apt-get install libxcb-cursor0"

if ((SMOKE)); then
    step "Smoke test of the bundle"
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    # Never touch the build user's own SafeDuty settings or data.
    export SAFEDUTY_CONFIG_DIR=$scratch/config SAFEDUTY_DATA_DIR=$scratch/data
    export QT_QPA_PLATFORM=offscreen
    reported=$("$BUNDLE/safeduty" --version)
    [[ $reported == *"$VERSION"* ]] || die "--version says '$reported', pyproject.toml says $VERSION"
    echo "$reported"
    db=$scratch/smoke.sqlite3
    "$BUNDLE/safeduty" --db "$db" demo >/dev/null
    "$BUNDLE/safeduty" --db "$db" roster list >/dev/null
    "$BUNDLE/safeduty" --db "$db" roster print "$scratch/roster.pdf" >/dev/null
    [[ -s $scratch/roster.pdf ]] || die "roster print wrote no PDF"
    "$BUNDLE/safeduty" --db "$db" check >/dev/null
    "$BUNDLE/safeduty" --db "$db" screenshot home "$scratch/home.png" >/dev/null
    [[ -s $scratch/home.png ]] || die "screenshot wrote no PNG"
    echo "version, demo, roster list, roster print, check and an offscreen screenshot all work"
    unset QT_QPA_PLATFORM SAFEDUTY_CONFIG_DIR SAFEDUTY_DATA_DIR
fi

# ------------------------------------------------------------------------------ .deb
step "Assembling the .deb"
STAGE=$OUT/deb/safeduty_${DEB_VERSION}_$ARCH
DEB=$OUT/safeduty_${DEB_VERSION}_$ARCH.deb
rm -rf "$STAGE" "$DEB"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/doc/safeduty"
cp -a "$BUNDLE" "$STAGE/opt/safeduty"

cat >"$STAGE/usr/bin/safeduty" <<'EOF'
#!/bin/sh
# SafeDuty lives in /opt/safeduty (a self-contained bundle); this puts it on the PATH.
exec /opt/safeduty/safeduty "$@"
EOF

icon_name=applications-office  # a themed icon every desktop has, until the project ships one
icon_file=$REPO/resources/icons/safeduty.png
if [[ -f $icon_file ]]; then
    mkdir -p "$STAGE/usr/share/pixmaps"
    cp "$icon_file" "$STAGE/usr/share/pixmaps/safeduty.png"
    icon_name=safeduty
fi
sed -e "s/@ICON@/$icon_name/" "$REPO/packaging/safeduty.desktop" \
    >"$STAGE/usr/share/applications/safeduty.desktop"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$STAGE/usr/share/applications/safeduty.desktop"
fi

cat >"$STAGE/usr/share/doc/safeduty/copyright" <<EOF
SafeDuty (安全生产责任制管理系统) $VERSION

The program is installed in /opt/safeduty.  It bundles Python, Qt for Python (PySide6, LGPLv3,
as separate shared libraries under /opt/safeduty/_internal/PySide6), peewee, reportlab, babel,
openpyxl, platformdirs, defusedxml and pypdfium2 under their own licences, and the fonts in
/opt/safeduty/_internal/app/_data/resources/fonts with their licence files beside them.

User data is not part of this package: each user's database (safeduty.sqlite3), backups and
settings live in that user's own folders (~/.local/share/SafeDuty, ~/.config/SafeDuty) and are
left in place when the package is removed.
EOF

# Normalise permissions: nothing group/world-writable; directories and executables 0755.
chmod -R u=rwX,go=rX "$STAGE"
chmod 0755 "$STAGE/usr/bin/safeduty" "$STAGE/opt/safeduty/safeduty"

installed_kb=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
# Libraries the bundle takes from the system (see the check above).  Qt's X11 plugin libraries
# are bundled as well, but desktop systems carry them anyway (any Qt 5 desktop such as DDE or
# UKUI needs them), so declaring them costs nothing and guards minimal installs.  Wayland is
# only a recommendation: UOS V20 and Kylin V10 run X11 sessions, and Qt falls back to xcb.
cat >"$STAGE/DEBIAN/control" <<EOF
Package: safeduty
Version: $DEB_VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $installed_kb
Section: misc
Priority: optional
Depends: libc6 (>= $GLIBC), libgl1 | libgl1-mesa-glx, libegl1 | libegl1-mesa, libxcb1, libx11-6, libx11-xcb1, libxkbcommon0, libxkbcommon-x11-0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xkb1, libfontconfig1, libdbus-1-3
Recommends: libwayland-client0, libwayland-cursor0, libwayland-egl1
Description: 安全生产责任制管理系统 (work-safety responsibility system)
 SafeDuty keeps a township's or street office's work-safety leading group
 roster with its history, imports the clerks' Excel files and prints the
 official documents (GB/T 9704 layout).  It works entirely offline: the
 data stays in one SQLite file in each user's own data folder.
EOF

dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB"

step "Done"
dpkg-deb --info "$DEB"
echo
echo "Package: $DEB ($(du -h "$DEB" | cut -f1))"
echo "Install: sudo apt install $DEB   (or: sudo dpkg -i $DEB)"
