#!/usr/bin/env bash
# Runs the README's main job (scripts/main-job.sh) against the built binaries and checks that it
# succeeds and leaves none of the processes it started running (issue 15: the PID list used to be
# filled in a subshell, so the daemon and the mocks outlived the script).
# Usage: main_job_test.sh <bin-dir> <scratch-dir> [main-job.sh | main-job-chain.sh]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
BIN="${1:?bin dir}"
JOB="${3:-main-job.sh}"
WORK="${2:?scratch dir}/${JOB%.sh}-test.$$"
rm -rf "$WORK"
if ! bash "$ROOT/scripts/$JOB" "$BIN" "$WORK" >"$WORK.log" 2>&1; then
  tail -n 40 "$WORK.log"
  echo "main_job_test: the main job failed (log: $WORK.log)" >&2
  exit 1
fi
grep -q '^audit log OK' "$WORK.log" || { echo "main_job_test: no audit verification in the log" >&2; exit 1; }
# Every process started by the job had the work directory on its command line.
left=$(pgrep -f -- "$WORK/" || true)
if [ -n "$left" ]; then
  echo "main_job_test: processes left running:" >&2
  ps -o pid=,args= -p "$(tr '\n' ',' <<<"$left" | sed 's/,$//')" >&2 || true
  kill $left 2>/dev/null || true
  exit 1
fi
rm -rf "$WORK" "$WORK.log"
echo "main_job_test: $JOB OK, no process left"
