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
.PARAMETER Lang
  Language of the messages: zh-CN or en (default: Windows' display language; English when it is neither).
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
  [string]$Lang,
  [switch]$Help
)
$ErrorActionPreference = "Stop"
function Fail([string]$message, [int]$code = 2) { [Console]::Error.WriteLine("flash.ps1: $message"); exit $code }

# The messages' language: -Lang zh-CN|en, else Windows' display language (Get-UICulture), else the regional format
# (Get-Culture); English for anything else. File names, options and nanoff's commands are the same in both.
function Test-Zh([string]$name) { return $name -match '^zh([-_.]|$)' }
function Test-En([string]$name) { return $name -match '^en([-_.]|$)' }
$script:Zh = $false
if ($Lang) {
  if (Test-Zh $Lang) { $script:Zh = $true }
  elseif (-not (Test-En $Lang)) { Fail "-Lang ${Lang}: expected zh-CN or en / 应为 zh-CN 或 en" }
} else {
  $ui = ""; $regional = ""
  try { $ui = (Get-UICulture).Name } catch { }
  try { $regional = (Get-Culture).Name } catch { }
  if (Test-Zh $ui) { $script:Zh = $true }
  elseif (-not $ui -and (Test-Zh $regional)) { $script:Zh = $true }
}
# T ENGLISH CHINESE: the text in the messages' language.
function T([string]$en, [string]$zh) { if ($script:Zh) { return $zh } else { return $en } }

if ($Help) {
  if ($script:Zh) {
    Write-Host @"
用法：.\nanoff-config\flash.ps1 -Port COM5 -Image APP.bin -HubDir DIR [选项]

烧录一台用 USB 连接的 PingAnTong.Edge 网关（Windows）：nanoFramework 固件（可选）、Wi-Fi 凭据（网络部署）、
应用镜像，然后是网关的文件（文件部署）。

必填：
  -Port COM5         网关的 COM 口（列出串口：nanoff --listports）
  -Image FILE        Windows 构建流程产出的应用镜像（PingAnTong.Edge.Esp32.bin）
  -HubDir DIR        pat provision 生成的这台网关的文件夹（config.json、deploy.json、secret\network.json）

选项：
  -Target NAME       nanoFramework 固件目标（默认 ESP32_REV3；WROVER 板用 ESP32_PSRAM_REV3）
  -UpdateFirmware    先烧录 nanoFramework 固件（新板子，或固件发布新版本后）
  -Erase             与 -UpdateFirmware 一起用：先擦除整个闪存（清掉保存的 Wi-Fi、文件和待发消息）
  -FirmwareArchive DIR
                     与 -UpdateFirmware 一起用：从这个本地 nanoff 固件存档取固件，现场不用下载；
                     在办公室先填好：nanoff --updatearchive --target ESP32_REV3 --archivepath DIR
  -ClrFile FILE      与 -UpdateFirmware 一起用：烧录这个本地 nanoCLR.bin（nanoff --clrfile）
  -DryRun            只检查并打印 nanoff 命令，不执行
  -Lang zh-CN|en     提示信息的语言（默认跟随 Windows 的显示语言；不是中文或英文时用英文）
  -Help              显示本说明

退出码：0 完成，2 输入有误或缺少输入，3 没有 nanoff 且无法安装，4 某个 nanoff 步骤失败。
"@
  } else { Get-Help $PSCommandPath -Detailed }
  exit 0
}
$known = "ESP32_REV0 ESP32_REV3 ESP32_PSRAM_REV0 ESP32_PSRAM_REV3 ESP32_PSRAM_XTAL26_REV0 ESP32_BLE_REV0 ESP32_BLE_REV3 ESP_WROVER_KIT ESP32_PICO ESP32_C3 ESP32_C3_REV3 ESP32_S3 ESP32_S3_BLE ESP32_S3_QUAD ESP32_S3_OCTAL".Split(" ")

if (-not $Port) { Fail (T "missing -Port (the hub's COM port, e.g. COM5; list ports with: nanoff --listports)" "缺少 -Port（网关的 COM 口，例如 COM5；列出串口：nanoff --listports）") }
if (-not $Image) { Fail (T "missing -Image (PingAnTong.Edge.Esp32.bin from the Windows build)" "缺少 -Image（Windows 构建产出的 PingAnTong.Edge.Esp32.bin）") }
if (-not $HubDir) { Fail (T "missing -HubDir (the hub's folder from pat provision)" "缺少 -HubDir（pat provision 生成的这台网关的文件夹）") }
if ($Port -notmatch '^COM\d+$') { Fail (T "-Port ${Port}: expected a COM port such as COM5" "-Port ${Port}：应为 COM 口，例如 COM5") }
if (-not (Test-Path -PathType Leaf $Image)) { Fail (T "-Image ${Image}: file not found" "-Image ${Image}：找不到文件") }
if ([IO.Path]::GetExtension($Image) -ne ".bin") { Fail (T "-Image ${Image}: expected the .bin deployment image" "-Image ${Image}：应为 .bin 部署镜像") }
if (-not (Test-Path -PathType Container $HubDir)) { Fail (T "-HubDir ${HubDir}: folder not found" "-HubDir ${HubDir}：找不到文件夹") }
foreach ($f in @("config.json", "deploy.json", "secret\network.json")) {
  if (-not (Test-Path -PathType Leaf (Join-Path $HubDir $f))) { Fail (T "-HubDir ${HubDir}: $f is missing; run pat provision for this hub again" "-HubDir ${HubDir}：缺少 $f；请为这台网关重新运行 pat provision") }
}
if ($known -notcontains $Target) { Fail (T "-Target ${Target}: not an ESP32 target nanoff knows (one of: $($known -join ', '))" "-Target ${Target}：不是 nanoff 认识的 ESP32 目标（可选：$($known -join ', ')）") }
if ($Erase -and -not $UpdateFirmware) { Fail (T "-Erase only works together with -UpdateFirmware" "-Erase 只能和 -UpdateFirmware 一起用") }
if ($FirmwareArchive) {
  if (-not $UpdateFirmware) { Fail (T "-FirmwareArchive only works together with -UpdateFirmware (it is where the firmware comes from)" "-FirmwareArchive 只能和 -UpdateFirmware 一起用（它是固件的来源）") }
  if (-not (Test-Path -PathType Container $FirmwareArchive)) { Fail (T "-FirmwareArchive ${FirmwareArchive}: folder not found (fill it at the desk: nanoff --updatearchive --target $Target --archivepath $FirmwareArchive)" "-FirmwareArchive ${FirmwareArchive}：找不到文件夹（在办公室先填好：nanoff --updatearchive --target $Target --archivepath $FirmwareArchive）") }
  # Checked by content as nanoff v2.5.162 reads it (as pat flash does, FirmwareArchive.cs): the newest non-preview version
  # named by a TARGET-*.json (FirmwareArchiveManager.GetLatestVersion), TARGET-VERSION.zip beside it
  # (FirmwarePackage.DownloadPackageAsync), in it bootloader.bin, nanoCLR.bin and a partitions_*mb.bin (Esp32Firmware).
  $refill = T "fill the folder again at the desk: nanoff --updatearchive --target $Target --archivepath $FirmwareArchive" "在办公室重新填好这个文件夹：nanoff --updatearchive --target $Target --archivepath $FirmwareArchive"
  $best = $null
  foreach ($info in Get-ChildItem -Path $FirmwareArchive -Filter "$Target-*.json" -File) {
    try { $package = Get-Content -Raw -LiteralPath $info.FullName | ConvertFrom-Json } catch { continue }
    $v = $null
    if (-not $package.IsPreview -and [Version]::TryParse([string]$package.Version, [ref]$v) -and ($null -eq $best -or $v -gt $best.Parsed)) {
      $best = @{ Parsed = $v; Text = [string]$package.Version }
    }
  }
  if ($null -eq $best) { Fail (T "-FirmwareArchive ${FirmwareArchive}: holds no firmware for $Target (fill it at the desk: nanoff --updatearchive --target $Target --archivepath $FirmwareArchive)" "-FirmwareArchive ${FirmwareArchive}：里面没有 $Target 的固件（在办公室先填好：nanoff --updatearchive --target $Target --archivepath $FirmwareArchive）") }
  $zipName = "$Target-$($best.Text).zip"
  $zip = Join-Path $FirmwareArchive $zipName
  if (-not (Test-Path -PathType Leaf $zip)) { Fail (T "-FirmwareArchive ${FirmwareArchive}: $zipName is missing (its .json is there); $refill" "-FirmwareArchive ${FirmwareArchive}：缺少 $zipName（它的 .json 在）；$refill") }
  Add-Type -AssemblyName System.IO.Compression.FileSystem
  try {
    $archive = [System.IO.Compression.ZipFile]::OpenRead((Resolve-Path $zip).Path)
    try { $entries = @($archive.Entries | ForEach-Object { $_.FullName }) } finally { $archive.Dispose() }
  } catch { Fail (T "-FirmwareArchive ${FirmwareArchive}: $zipName is not a zip file (damaged copy?); $refill" "-FirmwareArchive ${FirmwareArchive}：$zipName 不是 zip 文件（复制时损坏了？）；$refill") }
  $missing = @(@("bootloader.bin", "nanoCLR.bin") | Where-Object { $entries -cnotcontains $_ })
  if (-not ($entries | Where-Object { $_ -cmatch '^partitions_\d+mb\.bin$' })) { $missing += "partitions_*mb.bin" }
  if ($missing.Count -gt 0) { Fail (T "-FirmwareArchive ${FirmwareArchive}: $zipName lacks $($missing -join ', '); $refill" "-FirmwareArchive ${FirmwareArchive}：$zipName 里缺少 $($missing -join ', ')；$refill") }
  Write-Host "firmware: $Target $($best.Text) from $zip"
}
if ($ClrFile) {
  if (-not $UpdateFirmware) { Fail (T "-ClrFile only works together with -UpdateFirmware" "-ClrFile 只能和 -UpdateFirmware 一起用") }
  if (-not (Test-Path -PathType Leaf $ClrFile)) { Fail (T "-ClrFile ${ClrFile}: file not found" "-ClrFile ${ClrFile}：找不到文件") }
}

$env:NANOFRAMEWORK_TELEMETRY_OPTOUT = "1"
# Which nanoff: -Nanoff, else the release bundle's self-contained one (nanoff\win-x64\ beside this folder; see
# tools/release/README.md), else one on PATH or installed as a .NET tool.
$bundled = Join-Path (Split-Path $PSScriptRoot -Parent) "nanoff\win-x64\nanoff.exe"
if ($Nanoff) {
  if (-not (Test-Path -PathType Leaf $Nanoff)) { Fail (T "-Nanoff ${Nanoff}: file not found" "-Nanoff ${Nanoff}：找不到文件") }
  $nanoff = (Resolve-Path $Nanoff).Path
  # pat flash from the bundle passes the bundle's nanoff (BUNDLE\nanoff\RID\nanoff.exe beside BUNDLE\nanoff-config).
  $up = [IO.Path]::GetDirectoryName([IO.Path]::GetDirectoryName([IO.Path]::GetDirectoryName($nanoff)))
  $from = if ($up -and (Test-Path -PathType Container (Join-Path $up "nanoff-config"))) { T "the release bundle's" "发布包自带" } else { "-Nanoff" }
  Write-Host "nanoff: $nanoff ($from)"
} elseif (Test-Path -PathType Leaf $bundled) {
  $nanoff = $bundled; Write-Host "nanoff: $nanoff ($(T "the release bundle's" "发布包自带"))"
} else {
  $nanoff = (Get-Command nanoff -ErrorAction SilentlyContinue).Source
  if ($nanoff) { Write-Host "nanoff: $nanoff ($(T "on PATH" "PATH 中的"))" }
}
if (-not $nanoff) {
  if ($DryRun) { Write-Host (T "nanoff is not installed; a real run installs it with: dotnet tool install -g nanoff" "没有安装 nanoff；正式运行时会用这条命令安装：dotnet tool install -g nanoff"); $nanoff = "nanoff" }
  else {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Fail (T "nanoff is not installed and the .NET SDK is missing to install it (https://dot.net, then: dotnet tool install -g nanoff)" "没有安装 nanoff，也没有用来安装它的 .NET SDK（先装 https://dot.net，再运行：dotnet tool install -g nanoff）") 3 }
    Write-Host (T "installing nanoff (dotnet tool install -g nanoff) ..." "正在安装 nanoff（dotnet tool install -g nanoff）……")
    dotnet tool install -g nanoff | Out-Null
    if ($LASTEXITCODE -ne 0) { Fail (T "could not install nanoff; install it by hand: dotnet tool install -g nanoff" "无法安装 nanoff；请手动安装：dotnet tool install -g nanoff") 3 }
    $nanoff = Join-Path $env:USERPROFILE ".dotnet\tools\nanoff.exe"
  }
}

$hub = (Resolve-Path $HubDir).Path
$img = (Resolve-Path $Image).Path
function Run([string[]]$arguments) {
  Write-Host "+ nanoff $($arguments -join ' ')"
  if ($DryRun) { return }
  & $nanoff @arguments
  if ($LASTEXITCODE -ne 0) { Fail (T "step failed: nanoff $($arguments -join ' ') (see nanoff's message above)" "步骤失败：nanoff $($arguments -join ' ')（见上面 nanoff 的信息）") 4 }
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
  Write-Host (T "dry run: nothing was flashed. A real run would run the nanoff commands above for $(Split-Path $hub -Leaf) on $Port." "试运行：什么都没有烧录。正式运行会在 $Port 上为 $(Split-Path $hub -Leaf) 执行上面的 nanoff 命令。")
  exit 0
}
Write-Host (T "done: $(Split-Path $hub -Leaf) flashed on $Port. Connect the USB-serial adapter to the console pins (GPIO17 TX, GPIO16 RX, GND)," "完成：$(Split-Path $hub -Leaf) 已在 $Port 上烧录。把 USB 串口适配器接到控制台引脚（GPIO17 TX、GPIO16 RX、GND），")
Write-Host (T "open the console (pat console --port COM6) and check: status, sensors (docs/installer-guide.md, step 6)." "打开控制台（pat console --port COM6）并检查：status、sensors（docs/installer-guide.md 第 6 步）。")
