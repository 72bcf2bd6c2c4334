"""Is the database on a network share?  SQLite's locking is not reliable over SMB or NFS, and
a share that drops mid-write can damage the file: the user is warned (and told to keep the
database on this computer and put the backups on the share instead).
"""

from __future__ import annotations

import os
from pathlib import Path

# Linux file-system types of network mounts (as /proc/self/mountinfo names them).
NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "fuse.sshfs",
        "fuse.smbnetfs",
        "fuse.gvfsd-fuse",
        "davfs",
        "fuse.davfs2",
    }
)
_DRIVE_REMOTE = 4  # GetDriveTypeW


def _unescape(field: str) -> str:
    # mountinfo writes space, tab, newline and backslash in mount points as octal escapes.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def linux_file_system(path: Path, mountinfo: str) -> str | None:
    """The file-system type of the mount holding ``path``, from mountinfo's text."""
    best, best_type = "", None
    target = str(path)
    for line in mountinfo.splitlines():
        left, _sep, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) < 5 or not tail:
            continue
        mount_point = _unescape(fields[4])
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, tail[0]
    return best_type


def _windows_remote(path: Path) -> bool:
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True  # \\server\share\…
    import ctypes

    root = os.path.splitdrive(text)[0] + "\\"
    return bool(ctypes.windll.kernel32.GetDriveTypeW(root) == _DRIVE_REMOTE)  # type: ignore[attr-defined]


def on_network_share(path: Path) -> bool:
    """Whether ``path`` lives on a network file system (False when it cannot be told)."""
    try:
        resolved = path.resolve()
        if os.name == "nt":
            return _windows_remote(resolved)
        mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
    except (OSError, ValueError, AttributeError):
        return False
    return linux_file_system(resolved, mountinfo) in NETWORK_FILE_SYSTEMS
