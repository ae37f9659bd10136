#!/usr/bin/env bash
# The test suite under sanitizers, in its own build directory.
#   scripts/sanitize.sh asan   every test of ctest under AddressSanitizer + UndefinedBehaviorSanitizer
#                              (build-asan/; any finding fails the test that found it)
#   scripts/sanitize.sh tsan   the [threads] test (16 threads sharing one plan and calendar), the
#                              [concurrency] tests and `vigil classify --threads N` over
#                              tests/cli/threads_equivalence.py under ThreadSanitizer (build-tsan/)
# Also run by ctest: ctest -C sanitize -L sanitize (tests/CMakeLists.txt). Before each release.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-asan}"
common=(-G Ninja -DVIGIL_BUILD_BENCH=OFF -DVIGIL_BUILD_JAVA=OFF -DVIGIL_INSTALL=OFF)
if command -v ccache >/dev/null; then common+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
case "$mode" in
  asan)
    flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1"
    [ -f build-asan/CMakeCache.txt ] || cmake -S . -B build-asan "${common[@]}" -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
      -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
    cmake --build build-asan
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    # Left out: the bindings and json_equality (a Python or Java process loading the instrumented
    # library would need the ASan runtime preloaded: "ASan runtime does not come first"), the
    # C ABI's own sanitizer build (this is one), the installed-package tests, and cli_bad_input
    # (it caps address space at 1 GiB, which ASan's shadow memory exceeds; its refusals are
    # checked by test_read_file under ASan here).
    ctest --test-dir build-asan --output-on-failure -j2 \
      -E '^(python_binding.*|java_binding.*|json_equality|capi_sanitize|package_.*|cli_bad_input|lifecycle_matrix_up_to_date_.*|plan_schema)$'
    ;;
  tsan)
    # target_clones resolvers run before the TSan runtime is ready: one version of each function
    flags="-fsanitize=thread -fno-omit-frame-pointer -g -O1 -DVIGIL_NO_MULTIVERSION"
    cmake -S . -B build-tsan "${common[@]}" -DCMAKE_BUILD_TYPE=Debug \
      -DVIGIL_BUILD_C_API=OFF -DVIGIL_BUILD_CLI=ON \
      -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
      -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" >/dev/null
    cmake --build build-tsan --target vigil_tests vigil
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:exitcode=66"
    build-tsan/tests/vigil_tests "[threads],[concurrency]"
    # the command's --threads N on real files (216 comparisons with one thread); a report exits 66
    python3 tests/cli/threads_equivalence.py build-tsan/vigil
    ;;
  *)
    echo "usage: scripts/sanitize.sh asan|tsan" >&2
    exit 2
    ;;
esac
