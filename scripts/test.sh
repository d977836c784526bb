#!/usr/bin/env bash
# Installs what is missing, builds from this checkout and runs every test:
# unit, integration (against the device mocks), interop (real npm clients) and a bounded fuzz run.
# Usage: scripts/test.sh            (FUZZ_SECONDS=60 by default; set FUZZ_SECONDS=0 to skip fuzzing)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JOBS="${JOBS:-$(nproc)}"
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"

bash scripts/install-deps.sh
bash scripts/install-npm.sh

echo "== configure + build (preset ci: RelWithDebInfo, ASan+UBSan, -Werror)"
cmake --preset ci >/dev/null
cmake --build build/ci -j"$JOBS"

echo "== tests"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
ctest --test-dir build/ci --output-on-failure -j"$JOBS" --timeout 600 || status=$?

if [ "$FUZZ_SECONDS" -gt 0 ]; then
  echo "== fuzz: transaction decoder for ${FUZZ_SECONDS}s (clang, libFuzzer, ASan+UBSan)"
  if bash tests/fuzz/run.sh "$FUZZ_SECONDS"; then
    echo "fuzz: passed"
  else
    echo "fuzz: FAILED"
    status=1
  fi
fi
exit "$status"
