; Inno Setup script of the Windows installer; packaging/build.py passes AppVersion, BundleDir
; and OutputDir (/D...). Per-machine install under Program Files; IT deploys it silently:
;   liaison-desktop-<version>-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Provisioning comes from %ProgramData%\LiaisonDesktop\provisioning.json or the registry
; policy HKLM\Software\Policies\LiaisonDesktop (docs/deploying.md), never from the installer.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6B0F3E1C-6C1B-4C1F-9E5B-7A1D2C3B4A50}
AppName=Liaison Desktop
AppVersion={#AppVersion}
AppPublisher=Liaison Desktop
DefaultDirName={autopf}\Liaison Desktop
DefaultGroupName=Liaison Desktop
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=liaison-desktop-{#AppVersion}-setup
Compression=lzma2/normal
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\liaison-desktop.exe

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
Name: "{commonappdata}\LiaisonDesktop"

[Icons]
Name: "{autoprograms}\Liaison Desktop"; Filename: "{app}\liaison-desktop.exe"

[Run]
Filename: "{app}\liaison-desktop.exe"; Description: "Liaison Desktop starten"; Flags: nowait postinstall skipifsilent
