; Inno Setup 6 script for the Windows installer of Reelcast.
;
; Input: the PyInstaller one-folder bundle dist\reelcast\ (reelcast.exe, reelcast-desktop.exe,
; _internal\), built by `pyinstaller packaging\reelcast.spec` from the repository root.
; Build (the release workflow does this):
;   python packaging\windows\make_ico.py          (writes build\windows\reelcast.ico, required)
;   ISCC.exe /DAppVersion=0.1.0 packaging\windows\reelcast.iss
; Output: dist\Reelcast-<version>-windows-x64-setup.exe
;
; Relative paths below are relative to this file's folder (Inno Setup's default SourceDir).

#ifndef AppVersion
  ; The workflow passes the version read from pyproject.toml; a bare local compile still works.
  #define AppVersion "0.0.0"
#endif
#define AppName "Reelcast"
#define GuiExe "reelcast-desktop.exe"
#define Bundle "..\..\dist\reelcast"
#define IconFile "..\..\build\windows\reelcast.ico"

[Setup]
; AppId identifies the app across versions (upgrades, uninstall entry): never change it.
AppId={{87EC188F-1018-473C-B98D-5475B0F55FE7}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Reelcast
; lowest: no UAC prompt; Setup runs in non-administrative install mode, where {autopf} is
; {userpf} (%LOCALAPPDATA%\Programs) and {autoprograms}/{autodesktop} are the user's own.
; The dialog override lets an administrator choose an all-users install ({commonpf}) instead.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
; The bundle is 64-bit only (x64compatible needs Inno Setup 6.3 or later).
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Reelcast-{#AppVersion}-windows-x64-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\reelcast.ico

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: files left from an older version (another torch build, an
; older reelcast-*.dist-info, which would report the old version) must not linger next to the new.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The shortcuts take their icon from this file, whatever icon the executables carry.
Source: "{#IconFile}"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; IconFilename: "{app}\reelcast.ico"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; IconFilename: "{app}\reelcast.ico"; Tasks: desktopicon

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
