#!/usr/bin/env bash
# Runs every test project of PingAnTong.Edge.Linux.sln and ends with ONE line for the whole run:
#   N passed, M failed, K skipped
# The exit code is non-zero, and M is at least 1, when anything went wrong: a failed test, a build
# failure, a test project that crashed or wrote no results, dotnet test failing, or no test at all.
# The test output stays on the console (normal verbosity: chaos seeds etc.); a trx file per project
# goes to TestResults/run-all/, which the summary is computed from. Extra arguments go to dotnet test.
# Needs only bash 4+, grep, sed and the .NET SDK.
set -euo pipefail
((BASH_VERSINFO[0] >= 4)) || { echo "error: needs bash 4 or newer (macOS: brew install bash)" >&2; exit 2; }
cd "$(dirname "$0")/.."
sln=PingAnTong.Edge.Linux.sln
results=TestResults/run-all
rm -rf "$results"
mkdir -p "$results"

rc=0
dotnet test "$sln" --logger "console;verbosity=normal" --logger trx --results-directory "$results" "$@" || rc=$?

# The expected test projects: those in the solution that reference a test SDK (Microsoft.NET.Test.Sdk,
# MSTest.Sdk, ...), named by their assembly (the trx files name the test dll, not the project).
expected=()
while read -r proj; do
  [[ -f "$proj" ]] && grep -q 'Test\.Sdk' "$proj" || continue
  name=$(sed -n 's:.*<AssemblyName>\([^$<]*\)</AssemblyName>.*:\1:p' "$proj" | head -n 1)
  expected+=("${name:-$(basename "${proj%.*}")}")
done < <(grep -o '"[^"]*proj"' "$sln" | tr -d '"' | tr '\\' '/')

# First value of attribute $3 on the first <$2 ...> element of file $1 (raw '<' only starts markup in XML).
attr() { grep -o "<$2 [^>]*>" "$1" | head -n 1 | grep -o " $3=\"[^\"]*\"" | head -n 1 | cut -d '"' -f 2 || true; }
count() { local v; v=$(attr "$1" Counters "$2"); echo "${v:-0}"; }

declare -A passed failed skipped seen
problems=()
for trx in "$results"/*.trx; do
  [[ -e "$trx" ]] || break
  dll=$(attr "$trx" TestMethod codeBase)
  name=$(basename "${dll%.dll}")
  outcome=$(attr "$trx" ResultSummary outcome)
  if [[ -z "$dll" ]]; then problems+=("$trx: no test result, run outcome ${outcome:-missing}"); continue; fi
  bad=0
  for k in failed error timeout aborted; do bad=$((bad + $(count "$trx" "$k"))); done
  # A run that ended Failed/Aborted with no failed test (e.g. the test host crashed) is one failure.
  if [[ $outcome != Completed && $outcome != Passed && $bad -eq 0 ]]; then
    bad=1; problems+=("$name: test run $outcome (see $trx)")
  fi
  passed[$name]=$(( ${passed[$name]:-0} + $(count "$trx" passed) ))
  failed[$name]=$(( ${failed[$name]:-0} + bad ))
  skipped[$name]=$(( ${skipped[$name]:-0} + $(count "$trx" total) - $(count "$trx" executed) ))
done

p=0 f=0 s=0
echo
echo "Test projects (trx files in $results):"
[[ ${#expected[@]} -gt 0 ]] || problems+=("no test project found in $sln")
for name in "${expected[@]}" "${!passed[@]}"; do
  [[ -v "seen[$name]" ]] && continue
  seen[$name]=1
  if [[ ! -v "passed[$name]" ]]; then
    echo "  $name: NO RESULTS (build failed, test host crashed, or no test ran): 1 failure"
    f=$((f + 1)); continue
  fi
  echo "  $name: passed ${passed[$name]}, failed ${failed[$name]}, skipped ${skipped[$name]}"
  p=$((p + passed[$name])) f=$((f + failed[$name])) s=$((s + skipped[$name]))
done
for problem in "${problems[@]}"; do echo "error: $problem"; done
[[ $rc -eq 0 ]] || echo "error: dotnet test exited with code $rc"
[[ $((p + f)) -gt 0 ]] || echo "error: no test ran"
# Whatever made the run fail shows in the summary: never 'M failed' = 0 with a non-zero exit code.
if [[ $rc -ne 0 || ${#problems[@]} -gt 0 || $((p + f)) -eq 0 ]] && [[ $f -eq 0 ]]; then f=1; fi
echo "$p passed, $f failed, $s skipped"
[[ $f -eq 0 ]]
