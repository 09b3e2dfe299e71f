#!/usr/bin/env bash
# Builds the installer's release bundle: pat as self-contained single-file executables (no .NET needed on the
# laptop) and as a .NET tool package, the flash scripts, the sample inputs, the guides, the firmware image when
# given, and SHA256SUMS over every file. Layout: see tools/release/README.md. Needs bash, the .NET 10 SDK,
# sha256sum (or shasum) and tar; runs on Linux and on Windows (Git Bash, as in the Windows workflow).
#
#   tools/release/make-bundle.sh [--version 1.0.0 | --suffix ci.42] [--out release] [--rid linux-x64 --rid win-x64] [--firmware DIR] [--smoke]
#
# --version V      the bundle's version (default: pat's <Version> in its .csproj); --suffix S appends -S to it
# --firmware DIR   the Windows build's folder with PingAnTong.Edge.Esp32.bin (and its .pe files)
# --smoke          run the bundle's pat for this machine (--help, --version, config validate on a sample) after building
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "make-bundle.sh: $1" >&2; exit 2; }

VERSION="" SUFFIX="" OUT="release" FIRMWARE="" SMOKE=0 RIDS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --version) [ $# -ge 2 ] || fail "--version needs a value (e.g. 1.0.0)"; VERSION="$2"; shift 2 ;;
    --suffix) [ $# -ge 2 ] || fail "--suffix needs a value (e.g. ci.42)"; SUFFIX="$2"; shift 2 ;;
    --out) [ $# -ge 2 ] || fail "--out needs a folder"; OUT="$2"; shift 2 ;;
    --rid) [ $# -ge 2 ] || fail "--rid needs a runtime identifier (linux-x64, win-x64)"; RIDS+=("$2"); shift 2 ;;
    --firmware) [ $# -ge 2 ] || fail "--firmware needs the folder holding PingAnTong.Edge.Esp32.bin"; FIRMWARE="$2"; shift 2 ;;
    --smoke) SMOKE=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
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
  (cd "$BUNDLE" && "${SHA[@]}" -c --quiet SHA256SUMS) || fail "--smoke: SHA256SUMS does not match the bundle"
  echo "smoke test passed: $host"
fi
echo "bundle: $BUNDLE (and $OUT/$NAME.tar.gz, $OUT/$NAME.tar.gz.sha256)"
