<#
.SYNOPSIS
    Builds SafeDuty for Windows 10/11 x64: a PyInstaller one-folder bundle, then the Inno Setup
    installer SafeDuty-<version>-setup.exe.

.DESCRIPTION
    Steps: a virtual environment, pip install of the project's dependencies and PyInstaller,
    pybabel compile of the translation catalogs, PyInstaller with packaging\safeduty.spec, a
    smoke test of the bundle, and ISCC on packaging\safeduty.iss.  Everything is built under
    -OutDir, outside the repository; only the compiled .mo catalogs are written beside their
    .po files in i18n\ (build output that git ignores).

    Needs: 64-bit Python 3.11 or newer (python.org installer), Inno Setup 6.3 or newer, and
    network access to PyPI (or a local wheelhouse: set PIP_NO_INDEX=1 and PIP_FIND_LINKS).

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1
.EXAMPLE
    .\packaging\build_windows.ps1 -Python C:\Python311\python.exe -OutDir D:\build\safeduty
#>
[CmdletBinding()]
param(
    # Python used to create the venv; default: the newest Python 3 the "py" launcher knows.
    [string]$Python = "",
    # Where the venv, the bundle and the installer are built.
    [string]$OutDir = (Join-Path $env:TEMP "safeduty-build"),
    # An existing or new virtual environment; default: <OutDir>\venv.
    [string]$Venv = "",
    # Path to ISCC.exe; default: found on PATH or in the usual Inno Setup folders.
    [string]$Iscc = "",
    # Optional pip constraint for Qt, e.g. "PySide6-Essentials==6.9.*" (default: newest).
    [string]$PySideConstraint = "",
    # Use the venv as it is (no pip install).
    [switch]$NoInstall,
    # Skip running the built program before making the installer.
    [switch]$NoSmokeTest,
    # Build the bundle only, no installer.
    [switch]$NoInstaller
)

Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"

function Step([string]$Text) { Write-Host ""; Write-Host "==> $Text" -ForegroundColor Cyan }

# Native programs report failure through their exit code, which PowerShell does not turn into
# an error by itself.  Their stderr (pip's and PyInstaller's progress) is not an error either:
# "Stop" is relaxed while they run, or Windows PowerShell 5.1 may abort on the first line of it.
function Invoke-Checked {
    param([Parameter(Mandatory)][string]$Exe, [string[]]$Arguments = @())
    $ErrorActionPreference = "Continue"
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$Exe $($Arguments -join ' ')' failed with exit code $LASTEXITCODE"
    }
}

$Repo = (Resolve-Path (Join-Path $PSScriptRoot "..")).Path
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
$OutDir = (Resolve-Path $OutDir).Path
if ($OutDir.StartsWith($Repo + "\", [StringComparison]::OrdinalIgnoreCase) -or $OutDir -ieq $Repo) {
    throw "-OutDir must be outside the repository ($Repo): build outputs stay out of it"
}
if (-not $Venv) { $Venv = Join-Path $OutDir "venv" }
$VenvPython = Join-Path $Venv "Scripts\python.exe"

# ------------------------------------------------------------------------ environment
if (-not $NoInstall) {
    Step "Preparing the virtual environment $Venv"
    if (-not (Test-Path $VenvPython)) {
        if (-not $Python) {
            if (-not (Get-Command py -ErrorAction SilentlyContinue)) {
                throw "No 'py' launcher: install Python 3.11+ from python.org or pass -Python"
            }
            $Python = (& py -3 -c "import sys; print(sys.executable)").Trim()
        }
        Invoke-Checked $Python @("-m", "venv", $Venv)
    }
    Invoke-Checked $VenvPython @("-m", "pip", "install", "--upgrade", "pip")
    $requirements = Join-Path $OutDir "requirements.txt"
    $constraints = Join-Path $OutDir "constraints.txt"
    # Only the dependencies: PyInstaller analyses the checkout itself (pathex in the spec).
    $code = "import sys, tomllib; " +
        "print('\n'.join(tomllib.load(open(sys.argv[1], 'rb'))['project']['dependencies']))"
    $deps = & $VenvPython -c $code (Join-Path $Repo "pyproject.toml")
    if ($LASTEXITCODE -ne 0) { throw "cannot read the dependencies from pyproject.toml" }
    Set-Content -Path $requirements -Value $deps -Encoding ASCII
    Set-Content -Path $constraints -Value $PySideConstraint -Encoding ASCII
    Invoke-Checked $VenvPython @("-m", "pip", "install", "-r", $requirements, "-c", $constraints,
        "pyinstaller>=6.0")
}
if (-not (Test-Path $VenvPython)) { throw "No virtual environment at $Venv" }

Invoke-Checked $VenvPython @("-c", @'
import platform, struct, sys
if sys.version_info < (3, 11):
    sys.exit('Python 3.11 or newer is required, this is ' + platform.python_version())
if struct.calcsize('P') != 8:
    sys.exit('a 64-bit Python is required (the installer is for x64 Windows)')
import PySide6, PyInstaller
print('Python', platform.python_version(), '- PySide6', PySide6.__version__,
      '- PyInstaller', PyInstaller.__version__)
'@)

$Version = (& $VenvPython -c "import sys, tomllib; print(tomllib.load(open(sys.argv[1], 'rb'))['project']['version'])" (Join-Path $Repo "pyproject.toml")).Trim()
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw "cannot read the version from pyproject.toml" }
# Windows file versions are four numbers, from the release segment: 1.2.0rc1 -> 1.2.0.0
$numbers = @(([regex]::Match($Version, "^\d+(\.\d+)*").Value -split "\.") | Select-Object -First 4)
while ($numbers.Count -lt 4) { $numbers += "0" }
$NumericVersion = $numbers -join "."
Write-Host "SafeDuty $Version ($NumericVersion), output in $OutDir"

# ------------------------------------------------------------------------ catalogs
Step "Compiling the translation catalogs"
$poFiles = @(Get-ChildItem -Path (Join-Path $Repo "i18n") -Filter "messages.po" -Recurse -ErrorAction SilentlyContinue)
if ($poFiles.Count -gt 0) {
    Invoke-Checked (Join-Path $Venv "Scripts\pybabel.exe") @("compile", "-d", (Join-Path $Repo "i18n"),
        "-D", "messages", "--statistics")
    # argparse's own messages (usage errors, --help), translated for the command line.
    $argparsePo = Join-Path $Repo "i18n\zh_CN\LC_MESSAGES\argparse.po"
    Invoke-Checked (Join-Path $Venv "Scripts\pybabel.exe") @("compile", "-i", $argparsePo,
        "-o", [IO.Path]::ChangeExtension($argparsePo, ".mo"), "-l", "zh_CN")
} else {
    Write-Host "no i18n\*\LC_MESSAGES\messages.po yet: nothing to compile"
}

# ------------------------------------------------------------------------ bundle
Step "Building the one-folder bundle with PyInstaller"
$Bundle = Join-Path $OutDir "dist\safeduty"
if (Test-Path $Bundle) { Remove-Item -Recurse -Force $Bundle }
Push-Location $OutDir
try {
    Invoke-Checked $VenvPython @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", (Join-Path $OutDir "dist"), "--workpath", (Join-Path $OutDir "work"),
        (Join-Path $Repo "packaging\safeduty.spec"))
} finally {
    Pop-Location
}
foreach ($exe in @("safeduty.exe", "safeduty-cli.exe")) {
    if (-not (Test-Path (Join-Path $Bundle $exe))) { throw "PyInstaller produced no $exe" }
}

if (-not $NoSmokeTest) {
    Step "Smoke test of the bundle"
    $cli = Join-Path $Bundle "safeduty-cli.exe"
    $scratch = Join-Path $OutDir "smoke"
    if (Test-Path $scratch) { Remove-Item -Recurse -Force $scratch }
    New-Item -ItemType Directory -Path $scratch | Out-Null
    # Never touch the build user's own SafeDuty settings or data.
    $saved = @{}
    foreach ($name in @("SAFEDUTY_CONFIG_DIR", "SAFEDUTY_DATA_DIR", "QT_QPA_PLATFORM")) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name, "Process")
    }
    $env:SAFEDUTY_CONFIG_DIR = Join-Path $scratch "config"
    $env:SAFEDUTY_DATA_DIR = Join-Path $scratch "data"
    $env:QT_QPA_PLATFORM = "offscreen"
    try {
        $reported = (& $cli --version | Out-String).Trim()
        if ($LASTEXITCODE -ne 0 -or -not $reported.Contains($Version)) {
            throw "--version says '$reported', pyproject.toml says $Version"
        }
        Write-Host $reported
        $db = Join-Path $scratch "smoke.sqlite3"
        Invoke-Checked $cli @("--db", $db, "demo") | Out-Null
        Invoke-Checked $cli @("--db", $db, "roster", "list") | Out-Null
        Invoke-Checked $cli @("--db", $db, "roster", "print", (Join-Path $scratch "roster.pdf")) | Out-Null
        Invoke-Checked $cli @("--db", $db, "check") | Out-Null
        Invoke-Checked $cli @("--db", $db, "screenshot", "home", (Join-Path $scratch "home.png")) | Out-Null
        foreach ($file in @("roster.pdf", "home.png")) {
            if (-not (Test-Path (Join-Path $scratch $file))) { throw "the smoke test wrote no $file" }
        }
        Write-Host "version, demo, roster list, roster print, check and an offscreen screenshot all work"
    } finally {
        foreach ($name in $saved.Keys) {
            [Environment]::SetEnvironmentVariable($name, $saved[$name], "Process")
        }
    }
}

if ($NoInstaller) {
    Write-Host "Bundle: $Bundle"
    return
}

# ------------------------------------------------------------------------ installer
Step "Building the installer with Inno Setup"
if (-not $Iscc) {
    $found = Get-Command iscc.exe -ErrorAction SilentlyContinue
    if ($found) {
        $Iscc = $found.Source
    } else {
        $candidates = @()
        foreach ($root in @(${env:ProgramFiles(x86)}, $env:ProgramFiles, (Join-Path $env:LOCALAPPDATA "Programs"))) {
            if (-not $root) { continue }
            foreach ($folder in @("Inno Setup 7", "Inno Setup 6")) {
                $candidates += Join-Path $root "$folder\ISCC.exe"
            }
        }
        $Iscc = $candidates | Where-Object { Test-Path $_ } | Select-Object -First 1
    }
}
if (-not $Iscc -or -not (Test-Path $Iscc)) {
    throw "ISCC.exe (Inno Setup 6.3+) not found: install Inno Setup or pass -Iscc"
}
Invoke-Checked $Iscc @(
    "/DAppVersion=$Version",
    "/DAppNumericVersion=$NumericVersion",
    "/DBundleDir=$Bundle",
    "/DRepoDir=$Repo",
    "/O$OutDir",
    (Join-Path $Repo "packaging\safeduty.iss")
)
$setup = Join-Path $OutDir "SafeDuty-$Version-setup.exe"
if (-not (Test-Path $setup)) { throw "ISCC produced no $setup" }

Step "Done"
Write-Host "Installer: $setup ($([math]::Round((Get-Item $setup).Length / 1MB, 1)) MB)"
