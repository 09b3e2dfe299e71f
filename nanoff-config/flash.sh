#!/usr/bin/env bash
# Flashes one PingAnTong.Edge hub with nanoff: nanoFramework firmware (optional), Wi-Fi credentials
# (network deployment), the application image, then the hub's files (config, CA certificate, MQTT
# password) with nanoff's file deployment. Inputs come from a hub folder made by `pat provision`.
set -uo pipefail

# The messages' language: --lang zh-CN|en, else the system locale (LC_ALL, LC_MESSAGES, LANG in POSIX order);
# English for anything else. File names, options and nanoff's commands are the same in both.
lang_is_zh() { case "$1" in zh|zh[-_]*|zh.*) return 0 ;; *) return 1 ;; esac; }
lang_is_en() { case "$1" in en|en[-_]*|en.*|C|C.*|POSIX) return 0 ;; *) return 1 ;; esac; }
ZH=0
SYSTEM_LANG="${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}"
if lang_is_zh "$SYSTEM_LANG"; then ZH=1; fi
LANG_ARG=""
prev=""
for a in "$@"; do
  if [ "$prev" = "--lang" ]; then LANG_ARG="$a"; fi
  case "$a" in --lang=*) LANG_ARG="${a#--lang=}" ;; esac
  prev="$a"
done
if [ -n "$LANG_ARG" ]; then
  if lang_is_zh "$LANG_ARG"; then ZH=1; elif lang_is_en "$LANG_ARG"; then ZH=0; fi
fi
# t ENGLISH CHINESE: the text in the messages' language.
t() { if [ "$ZH" -eq 1 ]; then printf '%s' "$2"; else printf '%s' "$1"; fi; }

usage() {
  if [ "$ZH" -eq 1 ]; then
    cat <<'TXT'
用法：nanoff-config/flash.sh --port PORT --image APP.bin --hub-dir DIR [选项]

烧录一台用 USB 连接的 PingAnTong.Edge 网关。

必填：
  --port PORT        网关的串口，例如 /dev/ttyUSB0（Linux）、/dev/cu.usbserial-0001（macOS）
  --image FILE       Windows 构建流程产出的应用镜像（PingAnTong.Edge.Esp32.bin）
  --hub-dir DIR      pat provision 生成的这台网关的文件夹（config.json、deploy.json、secret/network.json）

选项：
  --target NAME      nanoFramework 固件目标（默认 ESP32_REV3；WROVER 板用 ESP32_PSRAM_REV3；
                     列出全部：nanoff --listtargets --platform esp32）
  --update-firmware  先烧录 nanoFramework 固件（新板子，或固件发布新版本后）
  --erase            与 --update-firmware 一起用：先擦除整个闪存（清掉保存的 Wi-Fi、文件和待发消息）
  --firmware-archive DIR
                     与 --update-firmware 一起用：从这个本地 nanoff 固件存档取固件，现场不用下载
                     （nanoff --fromarchive --archivepath DIR）。在办公室先填好：
                     nanoff --updatearchive --target ESP32_REV3 --archivepath DIR
  --clr-file FILE    与 --update-firmware 一起用：烧录这个本地 nanoCLR.bin（nanoff --clrfile FILE）
  --dry-run          只检查并打印 nanoff 命令，不执行
  --lang zh-CN|en    提示信息的语言（默认跟随系统：LC_ALL / LC_MESSAGES / LANG；都不是中文或英文时用英文）
  -h, --help         显示本说明

退出码：0 完成，2 输入有误或缺少输入，3 没有 nanoff 且无法安装，4 某个 nanoff 步骤失败。
TXT
  else
    cat <<'TXT'
Usage: nanoff-config/flash.sh --port PORT --image APP.bin --hub-dir DIR [options]

Flash one PingAnTong.Edge hub connected by USB.

Required:
  --port PORT        serial port of the hub, e.g. /dev/ttyUSB0 (Linux), /dev/cu.usbserial-0001 (macOS)
  --image FILE       application image built by the Windows workflow (PingAnTong.Edge.Esp32.bin)
  --hub-dir DIR      the hub's folder from `pat provision` (config.json, deploy.json, secret/network.json)

Options:
  --target NAME      nanoFramework firmware target (default ESP32_REV3; ESP32_PSRAM_REV3 for WROVER boards;
                     list them with: nanoff --listtargets --platform esp32)
  --update-firmware  also flash the nanoFramework firmware first (new boards, or after a firmware release)
  --erase            with --update-firmware: erase the whole flash first (removes stored Wi-Fi, files, outbox)
  --firmware-archive DIR
                     with --update-firmware: take the firmware from this local nanoff archive instead of
                     downloading it on site (nanoff --fromarchive --archivepath DIR). Fill it at the desk with:
                     nanoff --updatearchive --target ESP32_REV3 --archivepath DIR
  --clr-file FILE    with --update-firmware: flash this local nanoCLR.bin (nanoff --clrfile FILE)
  --nanoff FILE      the nanoff to run (default: the release bundle's nanoff/linux-x64/nanoff next to this
                     folder, else nanoff on PATH)
  --dry-run          check everything and print the nanoff commands without running them
  --lang zh-CN|en    language of the messages (default: the system's, from LC_ALL / LC_MESSAGES / LANG; English
                     when it is neither)
  -h, --help         this text

Exit codes: 0 done, 2 bad or missing input, 3 nanoff missing and not installable, 4 a nanoff step failed.
TXT
  fi
}

fail() { echo "flash.sh: $1" >&2; exit "${2:-2}"; }

PORT="" IMAGE="" HUB_DIR="" TARGET="ESP32_REV3" UPDATE=0 ERASE=0 DRY=0 ARCHIVE="" CLR_FILE="" NANOFF=""
KNOWN_TARGETS="ESP32_REV0 ESP32_REV3 ESP32_PSRAM_REV0 ESP32_PSRAM_REV3 ESP32_PSRAM_XTAL26_REV0 ESP32_BLE_REV0 ESP32_BLE_REV3 ESP_WROVER_KIT ESP32_PICO ESP32_C3 ESP32_C3_REV3 ESP32_S3 ESP32_S3_BLE ESP32_S3_QUAD ESP32_S3_OCTAL"

while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --lang) [ $# -ge 2 ] || fail "$(t "--lang needs a value (zh-CN or en)" "--lang 需要一个值（zh-CN 或 en）")"
      lang_is_zh "$2" || lang_is_en "$2" || fail "$(t "--lang $2: expected zh-CN or en" "--lang $2：应为 zh-CN 或 en")"; shift 2 ;;
    --lang=*) shift ;;
    --port) [ $# -ge 2 ] || fail "$(t "--port needs a value (e.g. /dev/ttyUSB0)" "--port 需要一个值（例如 /dev/ttyUSB0）")"; PORT="$2"; shift 2 ;;
    --image) [ $# -ge 2 ] || fail "$(t "--image needs a value (the .bin file)" "--image 需要一个值（.bin 文件）")"; IMAGE="$2"; shift 2 ;;
    --hub-dir) [ $# -ge 2 ] || fail "$(t "--hub-dir needs a value (a folder made by pat provision)" "--hub-dir 需要一个值（pat provision 生成的文件夹）")"; HUB_DIR="$2"; shift 2 ;;
    --target) [ $# -ge 2 ] || fail "$(t "--target needs a value (e.g. ESP32_REV3)" "--target 需要一个值（例如 ESP32_REV3）")"; TARGET="$2"; shift 2 ;;
    --update-firmware) UPDATE=1; shift ;;
    --erase) ERASE=1; shift ;;
    --firmware-archive) [ $# -ge 2 ] || fail "$(t "--firmware-archive needs a value (a folder filled by nanoff --updatearchive)" "--firmware-archive 需要一个值（用 nanoff --updatearchive 填好的文件夹）")"; ARCHIVE="$2"; shift 2 ;;
    --clr-file) [ $# -ge 2 ] || fail "$(t "--clr-file needs a value (a nanoCLR.bin)" "--clr-file 需要一个值（一个 nanoCLR.bin）")"; CLR_FILE="$2"; shift 2 ;;
    --nanoff) [ $# -ge 2 ] || fail "$(t "--nanoff needs a value (the nanoff executable)" "--nanoff 需要一个值（nanoff 可执行文件）")"; NANOFF="$2"; shift 2 ;;
    --dry-run) DRY=1; shift ;;
    *) fail "$(t "unknown argument \"$1\" (see --help)" "未知参数 \"$1\"（见 --help）")" ;;
  esac
done

[ -n "$PORT" ] || fail "$(t "missing --port (the hub's serial port, e.g. /dev/ttyUSB0; list ports with: nanoff --listports)" "缺少 --port（网关的串口，例如 /dev/ttyUSB0；列出串口：nanoff --listports）")"
[ -n "$IMAGE" ] || fail "$(t "missing --image (PingAnTong.Edge.Esp32.bin from the Windows build)" "缺少 --image（Windows 构建产出的 PingAnTong.Edge.Esp32.bin）")"
[ -n "$HUB_DIR" ] || fail "$(t "missing --hub-dir (the hub's folder from pat provision)" "缺少 --hub-dir（pat provision 生成的这台网关的文件夹）")"
[ -e "$PORT" ] || fail "$(t "--port $PORT: no such device; is the hub plugged in? (ls /dev/ttyUSB* /dev/ttyACM* /dev/cu.*)" "--port $PORT：没有这个设备；网关插好了吗？（ls /dev/ttyUSB* /dev/ttyACM* /dev/cu.*）")"
[ -c "$PORT" ] || fail "$(t "--port $PORT: not a serial device" "--port $PORT：不是串口设备")"
[ -f "$IMAGE" ] || fail "$(t "--image $IMAGE: file not found" "--image $IMAGE：找不到文件")"
case "$IMAGE" in *.bin) ;; *) fail "$(t "--image $IMAGE: expected the .bin deployment image, not $(basename "$IMAGE")" "--image $IMAGE：应为 .bin 部署镜像，而不是 $(basename "$IMAGE")")" ;; esac
[ -d "$HUB_DIR" ] || fail "$(t "--hub-dir $HUB_DIR: folder not found" "--hub-dir $HUB_DIR：找不到文件夹")"
for f in config.json deploy.json secret/network.json; do
  [ -f "$HUB_DIR/$f" ] || fail "$(t "--hub-dir $HUB_DIR: $f is missing; run pat provision for this hub again" "--hub-dir $HUB_DIR：缺少 $f；请为这台网关重新运行 pat provision")"
done
case " $KNOWN_TARGETS " in *" $TARGET "*) ;; *) fail "$(t "--target $TARGET: not an ESP32 target nanoff knows (one of: $KNOWN_TARGETS)" "--target $TARGET：不是 nanoff 认识的 ESP32 目标（可选：$KNOWN_TARGETS）")" ;; esac
[ "$ERASE" -eq 0 ] || [ "$UPDATE" -eq 1 ] || fail "$(t "--erase only works together with --update-firmware" "--erase 只能和 --update-firmware 一起用")"
# The firmware archive checked by content as nanoff v2.5.162 reads it (as pat flash does, FirmwareArchive.cs): the newest
# non-preview version named by a TARGET-*.json (FirmwareArchiveManager.GetLatestVersion), TARGET-VERSION.zip beside it
# (FirmwarePackage.DownloadPackageAsync), and in it bootloader.bin, nanoCLR.bin and a partitions_*mb.bin
# (Esp32Firmware.DownloadAndExtractAsync; which one nanoff takes depends on the chip's flash: pat flash --board checks it).
check_archive() {
  local refill="$(t "fill the folder again at the desk: nanoff --updatearchive --target $TARGET --archivepath $ARCHIVE" "在办公室重新填好这个文件夹：nanoff --updatearchive --target $TARGET --archivepath $ARCHIVE")"
  local info version best="" zip entries="" missing=""
  for info in "$ARCHIVE/$TARGET"-*.json; do
    [ -f "$info" ] || continue
    grep -Eq '"IsPreview"[[:space:]]*:[[:space:]]*true' "$info" && continue
    version="$(sed -n 's/.*"Version"[[:space:]]*:[[:space:]]*"\([0-9][0-9.]*\)".*/\1/p' "$info" | head -n 1)"
    [ -n "$version" ] && best="$(printf '%s\n%s\n' "$best" "$version" | sed '/^$/d' | sort -V | tail -n 1)"
  done
  [ -n "$best" ] || fail "$(t "--firmware-archive $ARCHIVE: holds no firmware for $TARGET (fill it at the desk: nanoff --updatearchive --target $TARGET --archivepath $ARCHIVE)" "--firmware-archive $ARCHIVE：里面没有 $TARGET 的固件（在办公室先填好：nanoff --updatearchive --target $TARGET --archivepath $ARCHIVE）")"
  zip="$ARCHIVE/$TARGET-$best.zip"
  [ -f "$zip" ] || fail "$(t "--firmware-archive $ARCHIVE: $TARGET-$best.zip is missing (its .json is there); $refill" "--firmware-archive $ARCHIVE：缺少 $TARGET-$best.zip（它的 .json 在）；$refill")"
  if command -v unzip >/dev/null 2>&1; then
    entries="$(unzip -Z1 "$zip" 2>/dev/null)" || fail "$(t "--firmware-archive $ARCHIVE: $TARGET-$best.zip is not a zip file (damaged copy?); $refill" "--firmware-archive $ARCHIVE：$TARGET-$best.zip 不是 zip 文件（复制时损坏了？）；$refill")"
  elif command -v python3 >/dev/null 2>&1; then
    entries="$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$zip" 2>/dev/null)" \
      || fail "$(t "--firmware-archive $ARCHIVE: $TARGET-$best.zip is not a zip file (damaged copy?); $refill" "--firmware-archive $ARCHIVE：$TARGET-$best.zip 不是 zip 文件（复制时损坏了？）；$refill")"
  else
    echo "firmware: $TARGET $best from $zip $(t "(its contents not checked: neither unzip nor python3 here)" "（未检查内容：这里既没有 unzip 也没有 python3）")"; return 0
  fi
  for f in bootloader.bin nanoCLR.bin; do grep -qx "$f" <<<"$entries" || missing="$missing, $f"; done
  grep -qx 'partitions_[0-9]*mb\.bin' <<<"$entries" || missing="$missing, partitions_*mb.bin"
  [ -z "$missing" ] || fail "$(t "--firmware-archive $ARCHIVE: $TARGET-$best.zip lacks ${missing#, }; $refill" "--firmware-archive $ARCHIVE：$TARGET-$best.zip 里缺少 ${missing#, }；$refill")"
  echo "firmware: $TARGET $best from $zip"
}
if [ -n "$ARCHIVE" ]; then
  [ "$UPDATE" -eq 1 ] || fail "$(t "--firmware-archive only works together with --update-firmware (it is where the firmware comes from)" "--firmware-archive 只能和 --update-firmware 一起用（它是固件的来源）")"
  [ -d "$ARCHIVE" ] || fail "$(t "--firmware-archive $ARCHIVE: folder not found (fill it at the desk: nanoff --updatearchive --target $TARGET --archivepath $ARCHIVE)" "--firmware-archive $ARCHIVE：找不到文件夹（在办公室先填好：nanoff --updatearchive --target $TARGET --archivepath $ARCHIVE）")"
  check_archive
fi
if [ -n "$CLR_FILE" ]; then
  [ "$UPDATE" -eq 1 ] || fail "$(t "--clr-file only works together with --update-firmware" "--clr-file 只能和 --update-firmware 一起用")"
  [ -f "$CLR_FILE" ] || fail "$(t "--clr-file $CLR_FILE: file not found" "--clr-file $CLR_FILE：找不到文件")"
fi

export NANOFRAMEWORK_TELEMETRY_OPTOUT=1
# Which nanoff: --nanoff, else the release bundle's self-contained one (nanoff/linux-x64/ beside this folder, no .NET
# needed; tools/release/README.md), else one on PATH or installed as a .NET tool.
BUNDLED="$(cd "$(dirname "$0")/.." && pwd)/nanoff/linux-x64/nanoff"
if [ -n "$NANOFF" ]; then
  [ -f "$NANOFF" ] || fail "$(t "--nanoff $NANOFF: file not found" "--nanoff $NANOFF：找不到文件")"
  # pat flash from the bundle passes the bundle's nanoff (BUNDLE/nanoff/RID/nanoff beside BUNDLE/nanoff-config).
  if [ -d "$(dirname "$NANOFF")/../../nanoff-config" ]; then echo "nanoff: $NANOFF $(t "(the release bundle's)" "（发布包自带）")"; else echo "nanoff: $NANOFF (--nanoff)"; fi
elif [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && [ -f "$BUNDLED" ]; then
  NANOFF="$BUNDLED"; echo "nanoff: $NANOFF $(t "(the release bundle's)" "（发布包自带）")"
else
  NANOFF="$(command -v nanoff || true)"
  if [ -z "$NANOFF" ] && [ -x "$HOME/.dotnet/tools/nanoff" ]; then NANOFF="$HOME/.dotnet/tools/nanoff"; fi
  [ -z "$NANOFF" ] || echo "nanoff: $NANOFF $(t "(on PATH)" "（PATH 中的）")"
fi
# A bundle unpacked by a tool that drops the executable bit (e.g. one packed on Windows).
[ -z "$NANOFF" ] || [ -x "$NANOFF" ] || fail "$(t "nanoff $NANOFF is not executable; run: chmod +x \"$NANOFF\"" "nanoff $NANOFF 不可执行；请运行：chmod +x \"$NANOFF\"")" 3
if [ -z "$NANOFF" ]; then
  if [ "$DRY" -eq 1 ]; then
    t "nanoff is not installed; a real run installs it with: dotnet tool install -g nanoff" "没有安装 nanoff；正式运行时会用这条命令安装：dotnet tool install -g nanoff"; echo
    NANOFF="nanoff"
  else
    command -v dotnet >/dev/null 2>&1 || fail "$(t "nanoff is not installed and the .NET SDK is missing to install it (https://dot.net, then: dotnet tool install -g nanoff)" "没有安装 nanoff，也没有用来安装它的 .NET SDK（先装 https://dot.net，再运行：dotnet tool install -g nanoff）")" 3
    t "installing nanoff (dotnet tool install -g nanoff) ..." "正在安装 nanoff（dotnet tool install -g nanoff）……"; echo
    dotnet tool install -g nanoff >/dev/null || fail "$(t "could not install nanoff; install it by hand: dotnet tool install -g nanoff" "无法安装 nanoff；请手动安装：dotnet tool install -g nanoff")" 3
    NANOFF="$HOME/.dotnet/tools/nanoff"
  fi
fi

HUB_ABS="$(cd "$HUB_DIR" && pwd)"
IMAGE_ABS="$(cd "$(dirname "$IMAGE")" && pwd)/$(basename "$IMAGE")"

run() {
  # Never print the network deployment's contents; only the command.
  echo "+ $*"
  [ "$DRY" -eq 1 ] && return 0
  "$@" || fail "$(t "step failed: $* (see nanoff's message above)" "步骤失败：$*（见上面 nanoff 的信息）")" 4
}

if [ "$UPDATE" -eq 1 ]; then
  update=(--update --target "$TARGET" --serialport "$PORT")
  [ "$ERASE" -eq 1 ] && update+=(--masserase)
  # A local firmware: nothing is downloaded on site (nanoff's --fromarchive/--archivepath and --clrfile).
  [ -n "$ARCHIVE" ] && update+=(--fromarchive --archivepath "$(cd "$ARCHIVE" && pwd)" --suppressnanoffversioncheck)
  [ -n "$CLR_FILE" ] && update+=(--clrfile "$(cd "$(dirname "$CLR_FILE")" && pwd)/$(basename "$CLR_FILE")")
  run "$NANOFF" "${update[@]}"
fi
run "$NANOFF" --serialport "$PORT" --networkdeployment "$HUB_ABS/secret/network.json"
run "$NANOFF" --nanodevice --deploy --serialport "$PORT" --image "$IMAGE_ABS"
# File deployment paths in deploy.json are relative to the hub folder.
(cd "$HUB_ABS" && run "$NANOFF" --serialport "$PORT" --filedeployment "$HUB_ABS/deploy.json") || exit $?
if [ "$DRY" -eq 1 ]; then
  t "dry run: nothing was flashed. A real run would run the nanoff commands above for $(basename "$HUB_ABS") on $PORT." "试运行：什么都没有烧录。正式运行会在 $PORT 上为 $(basename "$HUB_ABS") 执行上面的 nanoff 命令。"; echo
  exit 0
fi
t "done: $(basename "$HUB_ABS") flashed on $PORT. Connect the USB-serial adapter to the console pins (GPIO17 TX, GPIO16 RX, GND)," "完成：$(basename "$HUB_ABS") 已在 $PORT 上烧录。把 USB 串口适配器接到控制台引脚（GPIO17 TX、GPIO16 RX、GND），"; echo
t "open the console (pat console --port /dev/ttyUSB1) and check: status, sensors (docs/installer-guide.md, step 6)." "打开控制台（pat console --port /dev/ttyUSB1）并检查：status、sensors（docs/installer-guide.md 第 6 步）。"; echo
