#!/usr/bin/env bash
# Builds every libFuzzer target with clang (preset "fuzz", one cmake --build call) and runs them on
# seed corpora made from the shared vectors (make_corpus.sh). Fails on any crash, leak, timeout or
# sanitizer report; the reproducer is left in build/fuzz/artifacts/.
#
#   tests/fuzz/run.sh [SECONDS]          CI: SECONDS (default 60) split evenly across the targets
#   tests/fuzz/run.sh --all SECONDS      campaign: every target runs SECONDS
#   tests/fuzz/run.sh --only NAME SECONDS   one target (e.g. policy_yaml_fuzz)
#   tests/fuzz/run.sh --seeds-only [--bin DIR]   replay the seeds once, no fuzzing (CTest)
#
# New inputs are kept in build/fuzz/corpus/<target>/ and reused by later runs. A summary table
# (executions, executions per second) is printed at the end and written to build/fuzz/summary.txt.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

TARGETS=(tx_decoder_fuzz text_envelope_fuzz evm_decode_fuzz policy_yaml_fuzz snapshot_json_fuzz
         cli_import_fuzz ogmios_decode_fuzz koios_decode_fuzz ledger_reply_fuzz trezor_reply_fuzz
         mock_ledger_apdu_fuzz mock_trezor_message_fuzz evm_rpc_decode_fuzz)
MODE=split
SECONDS_TOTAL=60
BIN=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --all) MODE=each; SECONDS_TOTAL="${2:?--all SECONDS}"; shift 2 ;;
    --only) TARGETS=("${2:?--only NAME SECONDS}"); MODE=each
            SECONDS_TOTAL="${3:?--only NAME SECONDS}"; shift 3 ;;
    --seeds-only) MODE=seeds; shift ;;
    --bin) BIN="${2:?--bin DIR}"; shift 2 ;;
    *) SECONDS_TOTAL="$1"; shift ;;
  esac
done

OUT="$ROOT/build/fuzz"
if [[ -z "$BIN" ]]; then
  cmake --preset fuzz >/dev/null
  cmake --build "$OUT" --target "${TARGETS[@]}" -j"$(nproc)"
  BIN="$OUT/bin"
fi
mkdir -p "$OUT/artifacts" "$OUT/logs"
SEEDS="$OUT/seeds"
rm -rf "$SEEDS"
sh "$ROOT/tests/fuzz/make_corpus.sh" "$SEEDS"

per_target="$SECONDS_TOTAL"
if [[ "$MODE" == split ]]; then
  # About a second per target goes to start-up and the seed replay: keep the total near SECONDS.
  per_target=$(( (SECONDS_TOTAL - ${#TARGETS[@]}) / ${#TARGETS[@]} ))
  (( per_target >= 1 )) || per_target=1
fi

status=0
summary="target executions seconds exec/s result"
for t in "${TARGETS[@]}"; do
  log="$OUT/logs/$t.log"
  seeds="$SEEDS/$t"
  mkdir -p "$seeds"
  if [[ "$MODE" == seeds ]]; then
    args=(-runs=0 "$seeds")
  else
    corpus="$OUT/corpus/$t"
    mkdir -p "$corpus"
    args=(-max_total_time="$per_target" -print_final_stats=1 "$corpus" "$seeds")
  fi
  start=$(date +%s)
  if "$BIN/$t" -rss_limit_mb=2048 -timeout=25 -artifact_prefix="$OUT/artifacts/$t-" \
       "${args[@]}" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
    echo "== $t FAILED (log $log):" >&2
    tail -n 40 "$log" >&2
  fi
  secs=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  execs="${execs:-0}"
  rate=$(( secs > 0 ? execs / secs : execs ))
  summary+=$'\n'"$t $execs $secs $rate $result"
  total=$(( ${total:-0} + execs ))
done
column -t <<<"$summary" | tee "$OUT/summary.txt"
if [[ "$status" == 0 ]]; then
  echo "fuzz: ${#TARGETS[@]} targets, $total executions, no crash, leak or sanitizer report"
else
  echo "fuzz: FAILED, reproducers in $OUT/artifacts/"
fi
exit "$status"
