; Inno Setup script for SafeDuty (安全生产责任制管理系统), Windows 10/11 x64.
;
; build_windows.ps1 compiles it after the PyInstaller build, passing
;   ISCC /DAppVersion=0.1.0 /DAppNumericVersion=0.1.0.0 /DBundleDir=<OUT>\dist\safeduty
;        /DRepoDir=<repository> /O<OUT> packaging\safeduty.iss
; and gets <OUT>\SafeDuty-<version>-setup.exe.  Needs Inno Setup 6.3 or newer
; (the x64compatible architecture identifier).  This file is UTF-8 with a byte order mark, which
; every Unicode Inno Setup reads as UTF-8; keep it that way when editing.
;
; What the installer does
; - asks "only for me" (no administrator rights; %LOCALAPPDATA%\Programs\SafeDuty) or
;   "for all users" (administrator; C:\Program Files\SafeDuty); /CURRENTUSER or /ALLUSERS on the
;   command line choose without asking, e.g. for a silent install: /VERYSILENT /ALLUSERS
; - copies the one-folder bundle: safeduty.exe (the GUI, no console window) and safeduty-cli.exe
;   (the same program as a console application, for the command line and scripts)
; - creates the Start-menu shortcut 安全生产责任制管理系统 and, if ticked, one on the desktop
; - registers an uninstaller, which removes exactly what was installed.  The user's data folder
;   (%LOCALAPPDATA%\SafeDuty: the database safeduty.sqlite3, backups, settings, logs) is never
;   installed by this script, so it is never removed: uninstalling or upgrading keeps every record.
;
; The wizard's language.  English (Default.isl) always ships with Inno Setup.  A Simplified
; Chinese wizard needs ChineseSimplified.isl: Inno Setup 6.4 and older do not bundle it (it was
; one of the user-contributed "unofficial" translations, downloadable from the Inno Setup
; website's translations page); newer releases may carry it in their Languages folder.  The
; script uses it when it is found in the compiler's Languages folder or beside this script, and
; otherwise builds an English wizard (the program's name and shortcut stay Chinese).

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=x.y.z (build_windows.ps1 does)
#endif
#ifndef BundleDir
  #error Pass the PyInstaller output: ISCC /DBundleDir=<OUT>\dist\safeduty
#endif
#ifndef AppNumericVersion
  #define AppNumericVersion "0.0.0.0"
#endif
#ifndef RepoDir
  #define RepoDir AddBackslash(SourcePath) + ".."
#endif

#define AppName "安全生产责任制管理系统"
#define AppExe "safeduty.exe"
#define AppIcon AddBackslash(RepoDir) + "resources\icons\safeduty.ico"

#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
#else
  #pragma message "ChineseSimplified.isl not found: the setup wizard will be in English"
#endif

[Setup]
; AppId ties upgrades and the uninstaller to this product: never change it.
AppId={{3D901EDB-C8A3-42F9-B231-FDC6D2115C13}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=SafeDuty
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppNumericVersion}
; An ASCII folder name: safe for every tool and script that may ever touch the installation.
DefaultDirName={autopf}\SafeDuty
DisableProgramGroupPage=yes
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
OutputBaseFilename=SafeDuty-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; Per-user by default, no administrator needed; the wizard offers "all users" as well.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
; A running SafeDuty is closed (after asking) before its files are replaced.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto
#if FileExists(AppIcon)
SetupIconFile={#AppIcon}
#endif

[Languages]
#ifdef ChineseIsl
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole library folder, so nothing a previous version shipped lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the uninstaller removes only what [Files] and [Icons]
; created, never the user's data folder.
