#!/usr/bin/env bash
# Fuzzes one decoder target with afl++ and SharpFuzz, on one core, for a bounded time.
#   fuzz/afl.sh TARGET [SECONDS]      TARGET: core311 | core5 | nano311 | nano5 | all (each decoder in turn); SECONDS defaults to 600
# Builds fuzz/ (Release), copies the build to $FUZZ_WORK/bin-TARGET (default fuzz/out, git-ignored), instruments the
# decoder assemblies there with the sharpfuzz tool (dotnet-tools.json), and runs afl-fuzz from fuzz/corpus/TARGET into
# $FUZZ_WORK/findings-TARGET. Ends with a summary line: executions, corpus size, crashes, hangs.
# Settings: FUZZ_CONFIGURATION (Release), FUZZ_NO_BUILD=1 (use the existing build), FUZZ_WORK (fuzz/out).
set -euo pipefail

target=${1:?usage: fuzz/afl.sh TARGET [SECONDS]   (TARGET: core311, core5, nano311, nano5, all)}
seconds=${2:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
config=${FUZZ_CONFIGURATION:-Release}
work=${FUZZ_WORK:-$root/fuzz/out}
corpus=$root/fuzz/corpus/$target

case "$target" in core311|core5|nano311|nano5|all) ;; *) echo "error: unknown target '$target': use core311, core5, nano311, nano5 or all." >&2; exit 2 ;; esac
command -v afl-fuzz >/dev/null || { echo "error: afl-fuzz is not on PATH: apt-get install afl++." >&2; exit 2; }

if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
  dotnet build "$root/fuzz/StateMachineMqtt.Fuzz.csproj" -c "$config" -v q -nologo
fi

bin=$work/bin-$target
findings=$work/findings-$target
mkdir -p "$work"
rm -rf "$bin" "$findings"
cp -r "$root/fuzz/bin/$config/net10.0" "$bin"
(cd "$root" && dotnet tool restore >/dev/null)
# The decoders and the rules they call; the harness itself and the BCL stay uninstrumented.
for dll in StateMachineMqtt.dll StateMachineMqtt.Spec.dll StateMachineMqtt.Nano.Desktop.dll; do
  (cd "$root" && dotnet tool run sharpfuzz "$bin/$dll" >/dev/null)
done

# One instance, no CPU binding (the machine is shared); no UI so logs stay readable; a .NET process is not an ELF afl knows.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
set +e
afl-fuzz -i "$corpus" -o "$findings" -V "$seconds" -t 5000 -m none -- dotnet "$bin/StateMachineMqtt.Fuzz.dll" fuzz "$target" >"$work/afl-$target.log" 2>&1
status=$?
set -e
stats=$findings/default/fuzzer_stats
if [ ! -f "$stats" ]; then
  echo "error: afl-fuzz exited $status without statistics; see $work/afl-$target.log" >&2
  tail -n 20 "$work/afl-$target.log" >&2
  exit 1
fi

stat() { grep "^$1 " "$stats" | sed 's/.*: //'; }
echo "$target: $(stat execs_done) executions in $(stat run_time) s, corpus $(stat corpus_count), crashes $(stat saved_crashes), hangs $(stat saved_hangs)"
echo "findings: $findings (crashes in default/crashes; replay one with: dotnet $root/fuzz/bin/$config/net10.0/StateMachineMqtt.Fuzz.dll replay $target FILE)"
