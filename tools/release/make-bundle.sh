#!/usr/bin/env bash
# Builds the installer's release bundle: pat as self-contained single-file executables (no .NET needed on the
# laptop) and as a .NET tool package, the flash scripts, the sample inputs, the guides, the firmware image when
# given, and SHA256SUMS over every file. Layout: see tools/release/README.md. Needs bash, the .NET 10 SDK,
# sha256sum (or shasum) and tar; runs on Linux and on Windows (Git Bash, as in the Windows workflow).
#
#   tools/release/make-bundle.sh [--version 1.0.0 | --suffix ci.42] [--out release] [--rid linux-x64 --rid win-x64] [--firmware DIR]
#                                [--nanoff-src DIR | --nanoff-dir DIR] [--smoke]
#
# --version V      the bundle's version (default: pat's <Version> in its .csproj); --suffix S appends -S to it
# --firmware DIR   the Windows build's folder with PingAnTong.Edge.Esp32.bin (and its .pe files)
# --nanoff-src DIR a clone of nanoframework/nanoFirmwareFlasher at the tag v$(cat tools/release/nanoff-version): nanoff is
#                  published from it self-contained for each --rid into nanoff/RID/ (no .NET needed to flash)
# --nanoff-dir DIR nanoff already published that way: DIR/RID/nanoff(.exe) for each --rid, and DIR/LICENSE.md
# --smoke          run the bundle's pat (--help, --version, config validate on a sample) and nanoff (--version)
#                  for this machine after building
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "make-bundle.sh: $1" >&2; exit 2; }

VERSION="" SUFFIX="" OUT="release" FIRMWARE="" SMOKE=0 RIDS=() NANOFF_SRC="" NANOFF_DIR=""
NANOFF_VERSION="$(tr -d ' \r\n' < tools/release/nanoff-version)"
while [ $# -gt 0 ]; do
  case "$1" in
    --version) [ $# -ge 2 ] || fail "--version needs a value (e.g. 1.0.0)"; VERSION="$2"; shift 2 ;;
    --suffix) [ $# -ge 2 ] || fail "--suffix needs a value (e.g. ci.42)"; SUFFIX="$2"; shift 2 ;;
    --out) [ $# -ge 2 ] || fail "--out needs a folder"; OUT="$2"; shift 2 ;;
    --rid) [ $# -ge 2 ] || fail "--rid needs a runtime identifier (linux-x64, win-x64)"; RIDS+=("$2"); shift 2 ;;
    --firmware) [ $# -ge 2 ] || fail "--firmware needs the folder holding PingAnTong.Edge.Esp32.bin"; FIRMWARE="$2"; shift 2 ;;
    --nanoff-src) [ $# -ge 2 ] || fail "--nanoff-src needs a clone of nanoFirmwareFlasher at v$NANOFF_VERSION"; NANOFF_SRC="$2"; shift 2 ;;
    --nanoff-dir) [ $# -ge 2 ] || fail "--nanoff-dir needs a folder with RID/nanoff for each --rid"; NANOFF_DIR="$2"; shift 2 ;;
    --smoke) SMOKE=1; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) fail "unknown argument \"$1\" (see --help)" ;;
  esac
done
[ ${#RIDS[@]} -gt 0 ] || RIDS=(linux-x64 win-x64)
if [ -z "$VERSION" ]; then
  VERSION="$(sed -n 's:.*<Version>\([^<]*\)</Version>.*:\1:p' tools/PingAnTong.Edge.Pat/PingAnTong.Edge.Pat.csproj | head -n 1)"
fi
[ -z "$SUFFIX" ] || VERSION="$VERSION-$SUFFIX"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-.+][0-9A-Za-z.-]+)?$ ]] || fail "--version $VERSION: expected a version such as 1.0.0 or 1.0.0-ci.42"
if [ -n "$FIRMWARE" ]; then
  [ -f "$FIRMWARE/PingAnTong.Edge.Esp32.bin" ] || fail "--firmware $FIRMWARE: PingAnTong.Edge.Esp32.bin not found there (the Windows build's firmware/PingAnTong.Edge.Esp32/bin/Release)"
fi
[ -z "$NANOFF_SRC" ] || [ -z "$NANOFF_DIR" ] || fail "--nanoff-src and --nanoff-dir: give one of them"
if [ -n "$NANOFF_SRC" ]; then
  # The pinned version only: the guides, the archive check in pat flash and hardware/README.md were read against it.
  tool="$NANOFF_SRC/nanoFirmwareFlasher.Tool/nanoFirmwareFlasher.Tool.csproj"
  [ -f "$tool" ] || fail "--nanoff-src $NANOFF_SRC: nanoFirmwareFlasher.Tool/nanoFirmwareFlasher.Tool.csproj not found (git clone --branch v$NANOFF_VERSION https://github.com/nanoframework/nanoFirmwareFlasher)"
  tag="$(git -C "$NANOFF_SRC" describe --tags --exact-match HEAD 2>/dev/null || true)"
  [ "$tag" = "v$NANOFF_VERSION" ] || fail "--nanoff-src $NANOFF_SRC: at \"${tag:-no tag}\", expected v$NANOFF_VERSION (tools/release/nanoff-version)"
fi
if [ -n "$NANOFF_DIR" ]; then
  [ -f "$NANOFF_DIR/LICENSE.md" ] || fail "--nanoff-dir $NANOFF_DIR: LICENSE.md (nanoff's licence) not found there"
  for rid in "${RIDS[@]}"; do
    case "$rid" in win-*) exe=nanoff.exe ;; *) exe=nanoff ;; esac
    [ -f "$NANOFF_DIR/$rid/$exe" ] || fail "--nanoff-dir $NANOFF_DIR: $rid/$exe not found"
  done
fi
if command -v sha256sum >/dev/null 2>&1; then SHA=(sha256sum); elif command -v shasum >/dev/null 2>&1; then SHA=(shasum -a 256); else fail "sha256sum (or shasum) not found"; fi

NAME="pingantong-edge-$VERSION"
BUNDLE="$OUT/$NAME"
rm -rf "$BUNDLE" "$OUT/$NAME.tar.gz"
mkdir -p "$BUNDLE"

echo "== pat $VERSION as a .NET tool package"
dotnet pack tools/PingAnTong.Edge.Pat -c Release -p:Version="$VERSION" -o "$BUNDLE/pat/tool" --nologo -v q

for rid in "${RIDS[@]}"; do
  echo "== pat $VERSION for $rid (self-contained, single file)"
  dir="$BUNDLE/pat/$rid"
  dotnet publish tools/PingAnTong.Edge.Pat -c Release -r "$rid" --self-contained \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none \
    -p:Version="$VERSION" -o "$dir" --nologo -v q
  case "$rid" in
    win-*) mv "$dir/PingAnTong.Edge.Pat.exe" "$dir/pat.exe" ;;
    *) mv "$dir/PingAnTong.Edge.Pat" "$dir/pat" ;;
  esac
done

if [ -n "$NANOFF_SRC" ] || [ -n "$NANOFF_DIR" ]; then
  mkdir -p "$BUNDLE/nanoff"
  for rid in "${RIDS[@]}"; do
    dir="$BUNDLE/nanoff/$rid"
    if [ -n "$NANOFF_DIR" ]; then
      echo "== nanoff for $rid from $NANOFF_DIR"
      cp -R "$NANOFF_DIR/$rid" "$dir"
    else
      # nanoFirmwareFlasher v2.5.162: the tool project targets net8.0 (nanoFirmwareFlasher.Tool.csproj). Self-contained
      # but not single-file: its Program.Main reads Assembly.GetExecutingAssembly().Location, which is empty in a
      # single-file app. The ESP32 bootloader files (lib/esp32bootloader, read by EspTool.cs from the executable's
      # folder) are copied by a Build target only, not by publish, so they are copied here. Its serial protocol is
      # C# (nanoFirmwareFlasher.Library/Esp32Serial): no esptool binary to carry. J-Link, silink and Uniflash
      # (STM32, Silabs, TI boards) are left out: this bundle flashes ESP32s only.
      echo "== nanoff $NANOFF_VERSION for $rid (self-contained) from $NANOFF_SRC"
      dotnet publish "$NANOFF_SRC/nanoFirmwareFlasher.Tool/nanoFirmwareFlasher.Tool.csproj" -c Release -f net8.0 -r "$rid" \
        --self-contained -p:PublicRelease=true -p:DebugType=none -o "$dir" --nologo -v q
      rm -rf "$dir"/jlink* "$dir/silink" "$dir/uniflash"
      cp -R "$NANOFF_SRC/lib/esp32bootloader" "$dir/"
    fi
  done
  cp "${NANOFF_DIR:-$NANOFF_SRC}/LICENSE.md" "$BUNDLE/nanoff/LICENSE.md"
  echo "$NANOFF_VERSION" > "$BUNDLE/nanoff/VERSION"
fi

echo "== scripts, samples, guides"
mkdir -p "$BUNDLE/nanoff-config" "$BUNDLE/samples" "$BUNDLE/docs"
cp -R nanoff-config/. "$BUNDLE/nanoff-config/"
cp tools/PingAnTong.Edge.Pat/samples/* "$BUNDLE/samples/"
cp tools/PingAnTong.Edge.Pat/hub-template.json "$BUNDLE/samples/"
cp docs/installer-guide.md docs/hub-checklist.md docs/field-debugging.md docs/security.md "$BUNDLE/docs/"
cp tools/release/README.md "$BUNDLE/README.md"
cp LICENSE "$BUNDLE/"
if [ -n "$FIRMWARE" ]; then
  mkdir -p "$BUNDLE/firmware"
  cp "$FIRMWARE/PingAnTong.Edge.Esp32.bin" "$BUNDLE/firmware/"
  cp "$FIRMWARE"/*.pe "$BUNDLE/firmware/" 2>/dev/null || true
fi
echo "$VERSION" > "$BUNDLE/VERSION"

echo "== checksums"
(cd "$BUNDLE" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort | sed 's:^\./::' | while read -r f; do "${SHA[@]}" "$f"; done > SHA256SUMS)
(cd "$OUT" && tar -czf "$NAME.tar.gz" "$NAME")
(cd "$OUT" && "${SHA[@]}" "$NAME.tar.gz" > "$NAME.tar.gz.sha256")

if [ "$SMOKE" -eq 1 ]; then
  echo "== smoke test of the bundle's pat"
  host=""
  case "$(uname -s)" in Linux) host="$BUNDLE/pat/linux-x64/pat" ;; MINGW*|MSYS*|CYGWIN*) host="$BUNDLE/pat/win-x64/pat.exe" ;; esac
  [ -n "$host" ] && [ -x "$host" ] || fail "--smoke: no pat for this machine in the bundle (build it with --rid)"
  "$host" --lang en --help | grep -q "pat: the PingAnTong.Edge field tool" || fail "--smoke: $host --help did not print the tool's help"
  "$host" --version | grep -q "^$VERSION" || fail "--smoke: $host --version is not $VERSION"
  smoke="$OUT/smoke-provisioned"
  rm -rf "$smoke"
  "$host" provision --batch "$BUNDLE/samples/batch.csv" --profiles "$BUNDLE/samples/brokers.json" \
    --secrets "$BUNDLE/samples/secrets.example.json" --out "$smoke" >/dev/null 2>&1 || fail "--smoke: $host provision of the samples failed"
  "$host" config validate "$smoke/hub-0101/config.json" --board esp32-devkitc-v4 >/dev/null 2>&1 || fail "--smoke: $host config validate failed"
  rm -rf "$smoke"
  if [ -d "$BUNDLE/nanoff" ]; then
    case "$(uname -s)" in Linux) nf="$BUNDLE/nanoff/linux-x64/nanoff" ;; *) nf="$BUNDLE/nanoff/win-x64/nanoff.exe" ;; esac
    if [ -x "$nf" ]; then
      # CommandLineParser's --version: the assembly's informational version (v2.5.162: 2.5.162+COMMIT).
      banner="$(NANOFRAMEWORK_TELEMETRY_OPTOUT=1 "$nf" --version 2>&1 || true)"
      echo "$banner" | grep -q "$NANOFF_VERSION" || fail "--smoke: $nf --version did not print $NANOFF_VERSION: $banner"
      echo "smoke test passed: $nf"
    fi
  fi
  (cd "$BUNDLE" && "${SHA[@]}" -c --quiet SHA256SUMS) || fail "--smoke: SHA256SUMS does not match the bundle"
  echo "smoke test passed: $host"
fi
echo "bundle: $BUNDLE (and $OUT/$NAME.tar.gz, $OUT/$NAME.tar.gz.sha256)"
