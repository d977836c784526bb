#!/usr/bin/env bash
# Installs what is missing, builds from this checkout and runs every test:
# unit, integration (against the device mocks), interop (real npm clients), a bounded fuzz run,
# and the same plans from a Release build of the planner (scripts/check-release-plans.sh).
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

status=0
echo "== release plans: plan-print built with Release flags must plan byte for byte as this build"
bash scripts/check-release-plans.sh build/ci/bin || status=1

if [ "$FUZZ_SECONDS" -gt 0 ]; then
  echo "== fuzz: every parser target for ${FUZZ_SECONDS}s in total (clang, libFuzzer, ASan+UBSan)"
  if bash tests/fuzz/run.sh "$FUZZ_SECONDS" > build/fuzz-run.log 2>&1; then
    tail -n 16 build/fuzz-run.log
    echo "fuzz: no crash, leak or sanitizer report"
  else
    tail -n 60 build/fuzz-run.log
    echo "fuzz: FAILED (full log: build/fuzz-run.log)"
    status=1
  fi
fi

echo "== tests: unit, integration (device mocks), interop (npm clients)"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ctest --test-dir build/ci --output-on-failure -j"$JOBS" --timeout 600 || status=$?
exit "$status"
