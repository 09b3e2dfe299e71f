#!/usr/bin/env bash
# Flashes one PingAnTong.Edge hub with nanoff: nanoFramework firmware (optional), Wi-Fi credentials
# (network deployment), the application image, then the hub's files (config, CA certificate, MQTT
# password) with nanoff's file deployment. Inputs come from a hub folder made by `pat provision`.
set -uo pipefail

usage() {
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
  -h, --help         this text

Exit codes: 0 done, 2 bad or missing input, 3 nanoff missing and not installable, 4 a nanoff step failed.
TXT
}

fail() { echo "flash.sh: $1" >&2; exit "${2:-2}"; }

PORT="" IMAGE="" HUB_DIR="" TARGET="ESP32_REV3" UPDATE=0 ERASE=0 DRY=0 ARCHIVE="" CLR_FILE="" NANOFF=""
KNOWN_TARGETS="ESP32_REV0 ESP32_REV3 ESP32_PSRAM_REV0 ESP32_PSRAM_REV3 ESP32_PSRAM_XTAL26_REV0 ESP32_BLE_REV0 ESP32_BLE_REV3 ESP_WROVER_KIT ESP32_PICO ESP32_C3 ESP32_C3_REV3 ESP32_S3 ESP32_S3_BLE ESP32_S3_QUAD ESP32_S3_OCTAL"

while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --port) [ $# -ge 2 ] || fail "--port needs a value (e.g. /dev/ttyUSB0)"; PORT="$2"; shift 2 ;;
    --image) [ $# -ge 2 ] || fail "--image needs a value (the .bin file)"; IMAGE="$2"; shift 2 ;;
    --hub-dir) [ $# -ge 2 ] || fail "--hub-dir needs a value (a folder made by pat provision)"; HUB_DIR="$2"; shift 2 ;;
    --target) [ $# -ge 2 ] || fail "--target needs a value (e.g. ESP32_REV3)"; TARGET="$2"; shift 2 ;;
    --update-firmware) UPDATE=1; shift ;;
    --erase) ERASE=1; shift ;;
    --firmware-archive) [ $# -ge 2 ] || fail "--firmware-archive needs a value (a folder filled by nanoff --updatearchive)"; ARCHIVE="$2"; shift 2 ;;
    --clr-file) [ $# -ge 2 ] || fail "--clr-file needs a value (a nanoCLR.bin)"; CLR_FILE="$2"; shift 2 ;;
    --nanoff) [ $# -ge 2 ] || fail "--nanoff needs a value (the nanoff executable)"; NANOFF="$2"; shift 2 ;;
    --dry-run) DRY=1; shift ;;
    *) fail "unknown argument \"$1\" (see --help)" ;;
  esac
done

[ -n "$PORT" ] || fail "missing --port (the hub's serial port, e.g. /dev/ttyUSB0; list ports with: nanoff --listports)"
[ -n "$IMAGE" ] || fail "missing --image (PingAnTong.Edge.Esp32.bin from the Windows build)"
[ -n "$HUB_DIR" ] || fail "missing --hub-dir (the hub's folder from pat provision)"
[ -e "$PORT" ] || fail "--port $PORT: no such device; is the hub plugged in? (ls /dev/ttyUSB* /dev/ttyACM* /dev/cu.*)"
[ -c "$PORT" ] || fail "--port $PORT: not a serial device"
[ -f "$IMAGE" ] || fail "--image $IMAGE: file not found"
case "$IMAGE" in *.bin) ;; *) fail "--image $IMAGE: expected the .bin deployment image, not $(basename "$IMAGE")" ;; esac
[ -d "$HUB_DIR" ] || fail "--hub-dir $HUB_DIR: folder not found"
for f in config.json deploy.json secret/network.json; do
  [ -f "$HUB_DIR/$f" ] || fail "--hub-dir $HUB_DIR: $f is missing; run pat provision for this hub again"
done
case " $KNOWN_TARGETS " in *" $TARGET "*) ;; *) fail "--target $TARGET: not an ESP32 target nanoff knows (one of: $KNOWN_TARGETS)" ;; esac
[ "$ERASE" -eq 0 ] || [ "$UPDATE" -eq 1 ] || fail "--erase only works together with --update-firmware"
# The firmware archive checked by content as nanoff v2.5.162 reads it (as pat flash does, FirmwareArchive.cs): the newest
# non-preview version named by a TARGET-*.json (FirmwareArchiveManager.GetLatestVersion), TARGET-VERSION.zip beside it
# (FirmwarePackage.DownloadPackageAsync), and in it bootloader.bin, nanoCLR.bin and a partitions_*mb.bin
# (Esp32Firmware.DownloadAndExtractAsync; which one nanoff takes depends on the chip's flash: pat flash --board checks it).
check_archive() {
  local refill="fill the folder again at the desk: nanoff --updatearchive --target $TARGET --archivepath $ARCHIVE"
  local info version best="" zip entries="" missing=""
  for info in "$ARCHIVE/$TARGET"-*.json; do
    [ -f "$info" ] || continue
    grep -Eq '"IsPreview"[[:space:]]*:[[:space:]]*true' "$info" && continue
    version="$(sed -n 's/.*"Version"[[:space:]]*:[[:space:]]*"\([0-9][0-9.]*\)".*/\1/p' "$info" | head -n 1)"
    [ -n "$version" ] && best="$(printf '%s\n%s\n' "$best" "$version" | sed '/^$/d' | sort -V | tail -n 1)"
  done
  [ -n "$best" ] || fail "--firmware-archive $ARCHIVE: holds no firmware for $TARGET (fill it at the desk: nanoff --updatearchive --target $TARGET --archivepath $ARCHIVE)"
  zip="$ARCHIVE/$TARGET-$best.zip"
  [ -f "$zip" ] || fail "--firmware-archive $ARCHIVE: $TARGET-$best.zip is missing (its .json is there); $refill"
  if command -v unzip >/dev/null 2>&1; then
    entries="$(unzip -Z1 "$zip" 2>/dev/null)" || fail "--firmware-archive $ARCHIVE: $TARGET-$best.zip is not a zip file (damaged copy?); $refill"
  elif command -v python3 >/dev/null 2>&1; then
    entries="$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$zip" 2>/dev/null)" \
      || fail "--firmware-archive $ARCHIVE: $TARGET-$best.zip is not a zip file (damaged copy?); $refill"
  else
    echo "firmware: $TARGET $best from $zip (its contents not checked: neither unzip nor python3 here)"; return 0
  fi
  for f in bootloader.bin nanoCLR.bin; do grep -qx "$f" <<<"$entries" || missing="$missing, $f"; done
  grep -qx 'partitions_[0-9]*mb\.bin' <<<"$entries" || missing="$missing, partitions_*mb.bin"
  [ -z "$missing" ] || fail "--firmware-archive $ARCHIVE: $TARGET-$best.zip lacks ${missing#, }; $refill"
  echo "firmware: $TARGET $best from $zip"
}
if [ -n "$ARCHIVE" ]; then
  [ "$UPDATE" -eq 1 ] || fail "--firmware-archive only works together with --update-firmware (it is where the firmware comes from)"
  [ -d "$ARCHIVE" ] || fail "--firmware-archive $ARCHIVE: folder not found (fill it at the desk: nanoff --updatearchive --target $TARGET --archivepath $ARCHIVE)"
  check_archive
fi
if [ -n "$CLR_FILE" ]; then
  [ "$UPDATE" -eq 1 ] || fail "--clr-file only works together with --update-firmware"
  [ -f "$CLR_FILE" ] || fail "--clr-file $CLR_FILE: file not found"
fi

export NANOFRAMEWORK_TELEMETRY_OPTOUT=1
# Which nanoff: --nanoff, else the release bundle's self-contained one (nanoff/linux-x64/ beside this folder, no .NET
# needed; tools/release/README.md), else one on PATH or installed as a .NET tool.
BUNDLED="$(cd "$(dirname "$0")/.." && pwd)/nanoff/linux-x64/nanoff"
if [ -n "$NANOFF" ]; then
  [ -f "$NANOFF" ] || fail "--nanoff $NANOFF: file not found"
  # pat flash from the bundle passes the bundle's nanoff (BUNDLE/nanoff/RID/nanoff beside BUNDLE/nanoff-config).
  if [ -d "$(dirname "$NANOFF")/../../nanoff-config" ]; then echo "nanoff: $NANOFF (the release bundle's)"; else echo "nanoff: $NANOFF (--nanoff)"; fi
elif [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && [ -f "$BUNDLED" ]; then
  NANOFF="$BUNDLED"; echo "nanoff: $NANOFF (the release bundle's)"
else
  NANOFF="$(command -v nanoff || true)"
  if [ -z "$NANOFF" ] && [ -x "$HOME/.dotnet/tools/nanoff" ]; then NANOFF="$HOME/.dotnet/tools/nanoff"; fi
  [ -z "$NANOFF" ] || echo "nanoff: $NANOFF (on PATH)"
fi
# A bundle unpacked by a tool that drops the executable bit (e.g. one packed on Windows).
[ -z "$NANOFF" ] || [ -x "$NANOFF" ] || fail "nanoff $NANOFF is not executable; run: chmod +x \"$NANOFF\"" 3
if [ -z "$NANOFF" ]; then
  if [ "$DRY" -eq 1 ]; then
    echo "nanoff is not installed; a real run installs it with: dotnet tool install -g nanoff"
    NANOFF="nanoff"
  else
    command -v dotnet >/dev/null 2>&1 || fail "nanoff is not installed and the .NET SDK is missing to install it (https://dot.net, then: dotnet tool install -g nanoff)" 3
    echo "installing nanoff (dotnet tool install -g nanoff) ..."
    dotnet tool install -g nanoff >/dev/null || fail "could not install nanoff; install it by hand: dotnet tool install -g nanoff" 3
    NANOFF="$HOME/.dotnet/tools/nanoff"
  fi
fi

HUB_ABS="$(cd "$HUB_DIR" && pwd)"
IMAGE_ABS="$(cd "$(dirname "$IMAGE")" && pwd)/$(basename "$IMAGE")"

run() {
  # Never print the network deployment's contents; only the command.
  echo "+ $*"
  [ "$DRY" -eq 1 ] && return 0
  "$@" || fail "step failed: $* (see nanoff's message above)" 4
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
  echo "dry run: nothing was flashed. A real run would run the nanoff commands above for $(basename "$HUB_ABS") on $PORT."
  exit 0
fi
echo "done: $(basename "$HUB_ABS") flashed on $PORT. Connect the USB-serial adapter to the console pins (GPIO17 TX, GPIO16 RX, GND),"
echo "open the console (pat console --port /dev/ttyUSB1) and check: status, sensors (docs/installer-guide.md, step 6)."
