<#
.SYNOPSIS
  Flashes one PingAnTong.Edge hub with nanoff (Windows): nanoFramework firmware (optional), Wi-Fi
  credentials (network deployment), the application image, then the hub's files (file deployment).
.EXAMPLE
  .\nanoff-config\flash.ps1 -Port COM5 -Image .\PingAnTong.Edge.Esp32.bin -HubDir .\provisioned\hub-0042
.EXAMPLE
  .\nanoff-config\flash.ps1 -Port COM5 -Image .\app.bin -HubDir .\provisioned\hub-0042 -UpdateFirmware -Target ESP32_PSRAM_REV3
.EXAMPLE
  .\nanoff-config\flash.ps1 -Port COM5 -Image .\app.bin -HubDir .\provisioned\hub-0042 -UpdateFirmware -FirmwareArchive .\firmware
  Flashes the firmware from a local nanoff archive (nanoff --fromarchive --archivepath), nothing downloaded on site;
  fill it at the desk with: nanoff --updatearchive --target ESP32_REV3 --archivepath .\firmware
.NOTES
  nanoff: -Nanoff FILE, else the release bundle's self-contained nanoff\win-x64\nanoff.exe next to this folder (no
  .NET needed), else nanoff on PATH.
#>
[CmdletBinding()]
param(
  [string]$Port,
  [string]$Image,
  [string]$HubDir,
  [string]$Target = "ESP32_REV3",
  [switch]$UpdateFirmware,
  [switch]$Erase,
  [string]$FirmwareArchive,
  [string]$ClrFile,
  [string]$Nanoff,
  [switch]$DryRun,
  [switch]$Help
)
$ErrorActionPreference = "Stop"
function Fail([string]$message, [int]$code = 2) { [Console]::Error.WriteLine("flash.ps1: $message"); exit $code }

if ($Help) { Get-Help $PSCommandPath -Detailed; exit 0 }
$known = "ESP32_REV0 ESP32_REV3 ESP32_PSRAM_REV0 ESP32_PSRAM_REV3 ESP32_PSRAM_XTAL26_REV0 ESP32_BLE_REV0 ESP32_BLE_REV3 ESP_WROVER_KIT ESP32_PICO ESP32_C3 ESP32_C3_REV3 ESP32_S3 ESP32_S3_BLE ESP32_S3_QUAD ESP32_S3_OCTAL".Split(" ")

if (-not $Port) { Fail "missing -Port (the hub's COM port, e.g. COM5; list ports with: nanoff --listports)" }
if (-not $Image) { Fail "missing -Image (PingAnTong.Edge.Esp32.bin from the Windows build)" }
if (-not $HubDir) { Fail "missing -HubDir (the hub's folder from pat provision)" }
if ($Port -notmatch '^COM\d+$') { Fail "-Port ${Port}: expected a COM port such as COM5" }
if (-not (Test-Path -PathType Leaf $Image)) { Fail "-Image ${Image}: file not found" }
if ([IO.Path]::GetExtension($Image) -ne ".bin") { Fail "-Image ${Image}: expected the .bin deployment image" }
if (-not (Test-Path -PathType Container $HubDir)) { Fail "-HubDir ${HubDir}: folder not found" }
foreach ($f in @("config.json", "deploy.json", "secret\network.json")) {
  if (-not (Test-Path -PathType Leaf (Join-Path $HubDir $f))) { Fail "-HubDir ${HubDir}: $f is missing; run pat provision for this hub again" }
}
if ($known -notcontains $Target) { Fail "-Target ${Target}: not an ESP32 target nanoff knows (one of: $($known -join ', '))" }
if ($Erase -and -not $UpdateFirmware) { Fail "-Erase only works together with -UpdateFirmware" }
if ($FirmwareArchive) {
  if (-not $UpdateFirmware) { Fail "-FirmwareArchive only works together with -UpdateFirmware (it is where the firmware comes from)" }
  if (-not (Test-Path -PathType Container $FirmwareArchive)) { Fail "-FirmwareArchive ${FirmwareArchive}: folder not found (fill it at the desk: nanoff --updatearchive --target $Target --archivepath $FirmwareArchive)" }
  # Checked by content as nanoff v2.5.162 reads it (as pat flash does, FirmwareArchive.cs): the newest non-preview version
  # named by a TARGET-*.json (FirmwareArchiveManager.GetLatestVersion), TARGET-VERSION.zip beside it
  # (FirmwarePackage.DownloadPackageAsync), in it bootloader.bin, nanoCLR.bin and a partitions_*mb.bin (Esp32Firmware).
  $refill = "fill the folder again at the desk: nanoff --updatearchive --target $Target --archivepath $FirmwareArchive"
  $best = $null
  foreach ($info in Get-ChildItem -Path $FirmwareArchive -Filter "$Target-*.json" -File) {
    try { $package = Get-Content -Raw -LiteralPath $info.FullName | ConvertFrom-Json } catch { continue }
    $v = $null
    if (-not $package.IsPreview -and [Version]::TryParse([string]$package.Version, [ref]$v) -and ($null -eq $best -or $v -gt $best.Parsed)) {
      $best = @{ Parsed = $v; Text = [string]$package.Version }
    }
  }
  if ($null -eq $best) { Fail "-FirmwareArchive ${FirmwareArchive}: holds no firmware for $Target (fill it at the desk: nanoff --updatearchive --target $Target --archivepath $FirmwareArchive)" }
  $zipName = "$Target-$($best.Text).zip"
  $zip = Join-Path $FirmwareArchive $zipName
  if (-not (Test-Path -PathType Leaf $zip)) { Fail "-FirmwareArchive ${FirmwareArchive}: $zipName is missing (its .json is there); $refill" }
  Add-Type -AssemblyName System.IO.Compression.FileSystem
  try {
    $archive = [System.IO.Compression.ZipFile]::OpenRead((Resolve-Path $zip).Path)
    try { $entries = @($archive.Entries | ForEach-Object { $_.FullName }) } finally { $archive.Dispose() }
  } catch { Fail "-FirmwareArchive ${FirmwareArchive}: $zipName is not a zip file (damaged copy?); $refill" }
  $missing = @(@("bootloader.bin", "nanoCLR.bin") | Where-Object { $entries -cnotcontains $_ })
  if (-not ($entries | Where-Object { $_ -cmatch '^partitions_\d+mb\.bin$' })) { $missing += "partitions_*mb.bin" }
  if ($missing.Count -gt 0) { Fail "-FirmwareArchive ${FirmwareArchive}: $zipName lacks $($missing -join ', '); $refill" }
  Write-Host "firmware: $Target $($best.Text) from $zip"
}
if ($ClrFile) {
  if (-not $UpdateFirmware) { Fail "-ClrFile only works together with -UpdateFirmware" }
  if (-not (Test-Path -PathType Leaf $ClrFile)) { Fail "-ClrFile ${ClrFile}: file not found" }
}

$env:NANOFRAMEWORK_TELEMETRY_OPTOUT = "1"
# Which nanoff: -Nanoff, else the release bundle's self-contained one (nanoff\win-x64\ beside this folder; see
# tools/release/README.md), else one on PATH or installed as a .NET tool.
$bundled = Join-Path (Split-Path $PSScriptRoot -Parent) "nanoff\win-x64\nanoff.exe"
if ($Nanoff) {
  if (-not (Test-Path -PathType Leaf $Nanoff)) { Fail "-Nanoff ${Nanoff}: file not found" }
  $nanoff = (Resolve-Path $Nanoff).Path
  # pat flash from the bundle passes the bundle's nanoff (BUNDLE\nanoff\RID\nanoff.exe beside BUNDLE\nanoff-config).
  $up = [IO.Path]::GetDirectoryName([IO.Path]::GetDirectoryName([IO.Path]::GetDirectoryName($nanoff)))
  $from = if ($up -and (Test-Path -PathType Container (Join-Path $up "nanoff-config"))) { "the release bundle's" } else { "-Nanoff" }
  Write-Host "nanoff: $nanoff ($from)"
} elseif (Test-Path -PathType Leaf $bundled) {
  $nanoff = $bundled; Write-Host "nanoff: $nanoff (the release bundle's)"
} else {
  $nanoff = (Get-Command nanoff -ErrorAction SilentlyContinue).Source
  if ($nanoff) { Write-Host "nanoff: $nanoff (on PATH)" }
}
if (-not $nanoff) {
  if ($DryRun) { Write-Host "nanoff is not installed; a real run installs it with: dotnet tool install -g nanoff"; $nanoff = "nanoff" }
  else {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Fail "nanoff is not installed and the .NET SDK is missing to install it (https://dot.net, then: dotnet tool install -g nanoff)" 3 }
    Write-Host "installing nanoff (dotnet tool install -g nanoff) ..."
    dotnet tool install -g nanoff | Out-Null
    if ($LASTEXITCODE -ne 0) { Fail "could not install nanoff; install it by hand: dotnet tool install -g nanoff" 3 }
    $nanoff = Join-Path $env:USERPROFILE ".dotnet\tools\nanoff.exe"
  }
}

$hub = (Resolve-Path $HubDir).Path
$img = (Resolve-Path $Image).Path
function Run([string[]]$arguments) {
  Write-Host "+ nanoff $($arguments -join ' ')"
  if ($DryRun) { return }
  & $nanoff @arguments
  if ($LASTEXITCODE -ne 0) { Fail "step failed: nanoff $($arguments -join ' ') (see nanoff's message above)" 4 }
}

if ($UpdateFirmware) {
  $update = @("--update", "--target", $Target, "--serialport", $Port)
  if ($Erase) { $update += "--masserase" }
  # A local firmware: nothing is downloaded on site (nanoff's --fromarchive/--archivepath and --clrfile).
  if ($FirmwareArchive) { $update += @("--fromarchive", "--archivepath", (Resolve-Path $FirmwareArchive).Path, "--suppressnanoffversioncheck") }
  if ($ClrFile) { $update += @("--clrfile", (Resolve-Path $ClrFile).Path) }
  Run $update
}
Run @("--serialport", $Port, "--networkdeployment", (Join-Path $hub "secret\network.json"))
Run @("--nanodevice", "--deploy", "--serialport", $Port, "--image", $img)
Push-Location $hub
try { Run @("--serialport", $Port, "--filedeployment", (Join-Path $hub "deploy.json")) } finally { Pop-Location }
if ($DryRun) {
  Write-Host "dry run: nothing was flashed. A real run would run the nanoff commands above for $(Split-Path $hub -Leaf) on $Port."
  exit 0
}
Write-Host "done: $(Split-Path $hub -Leaf) flashed on $Port. Connect the USB-serial adapter to the console pins (GPIO17 TX, GPIO16 RX, GND),"
Write-Host "open the console (pat console --port COM6) and check: status, sensors (docs/installer-guide.md, step 6)."
