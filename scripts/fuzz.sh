#!/usr/bin/env bash
# Fuzz every reader of vigil and its C ABI with libFuzzer under AddressSanitizer and
# UndefinedBehaviorSanitizer (Clang 14 from Debian: clang-14, libclang-rt-14-dev).
#   scripts/fuzz.sh [SECONDS] [TARGET...]   default: 60 seconds each, every target
# Builds into build-fuzz/ (or $FUZZ_BUILD), runs each target on a copy of its seed corpus (tests/fuzz/corpus/T)
# with its dictionary, and prints per target: executions, new corpus entries, findings. A finding
# (crash, leak, sanitizer report, timeout, out-of-memory) is kept as <build>/findings/T/*:
# add it to tests/fuzz/corpus/T once fixed, where ctest replays it. Exit 1 when any was found.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
CC="${CC:-clang-14}"
CXX="${CXX:-clang++-14}"
if ! command -v "$CXX" >/dev/null; then
  echo "fuzz: $CXX not found; install clang-14 and libclang-rt-14-dev (Debian)" >&2
  exit 2
fi
build="${FUZZ_BUILD:-build-fuzz}"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DVIGIL_FUZZ=ON -DVIGIL_BUILD_BENCH=OFF -DVIGIL_BUILD_CLI=OFF -DVIGIL_BUILD_JAVA=OFF -DVIGIL_INSTALL=OFF >/dev/null
fi
targets=("$@")
if ((${#targets[@]} == 0)); then targets=(plan csv jsonl e2b timeline calendar event_log report capi); fi
cmake --build "$build" --target "${targets[@]/#/fuzz_}"
dict_of() { case "$1" in csv|calendar) echo tests/fuzz/dict/csv.dict ;; e2b) echo tests/fuzz/dict/e2b.dict ;; *) echo tests/fuzz/dict/json.dict ;; esac; }
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
found=0
printf '%-10s %12s %10s %9s\n' target executions corpus+ findings
for t in "${targets[@]}"; do
  work="$build/work/$t"
  findings="$build/findings/$t"
  rm -rf "$work"
  mkdir -p "$work" "$findings"
  cp tests/fuzz/corpus/"$t"/* "$work"/
  before=$(ls "$work" | wc -l)
  log="$build/fuzz-$t.log"
  set +e
  "$build/tests/fuzz/fuzz_$t" "$work" -dict="$(dict_of "$t")" -max_total_time="$seconds" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" \
    -close_fd_mask=3 >"$log" 2>&1
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  after=$(ls "$work" | wc -l)
  n=$(ls "$findings" | wc -l)
  printf '%-10s %12s %10s %9s\n' "$t" "${execs:-?}" "$((after - before))" "$n"
  if ((n > 0)); then found=1; grep -m3 -E 'ERROR|runtime error|SUMMARY' "$log" | sed 's/^/    /' || true; fi
done
exit $found
