#!/usr/bin/env bash
# Negative paths of the proposal lifecycle through the real ledger rules (issue 13): the local
# ledger (tests/interop/localchain, scalus) and two controllers that build conflicting proposals
# from the same chain state, as two operators (or one operator's out-of-band spend) would:
#   1. B's proposal is submitted and confirmed; A's proposal spends the same inputs, so its
#      submission is refused by the ledger with Ogmios 3117, surfaced, and nothing changes in A;
#   2. a rollback of B's three blocks returns B's proposal to SUBMITTED (its inputs are unspent
#      again); A's proposal is then submitted and confirmed;
#   3. B's transaction can no longer be included: once the tip passes its TTL, B marks the
#      proposal EXPIRED and releases its inputs.
# Usage: ledger_lifecycle_test.sh <bin-dir> <scratch-dir>
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
BIN="$(cd "${1:?bin dir}" && pwd)"
WORK="${2:?scratch dir}/ledger-lifecycle.$$"
rm -rf "$WORK" && mkdir -p "$WORK/logs"
source "$ROOT/scripts/lib/job-common.sh"
source "$ROOT/scripts/lib/ledger-common.sh"
trap 'cleanup; rm -rf "$WORK"' EXIT
SW="$BIN/stakeward"
fail() { echo "ledger_lifecycle_test: $*" >&2; exit 1; }

start_local_ledger
start_mocks
# Different TTLs give the two controllers different transactions over the same inputs.
write_chain_config "$WORK/a.yaml" "default_ttl_slots: 7200"
write_chain_config "$WORK/b.yaml" "default_ttl_slots: 3000"
start_daemon ctl-a --config "$WORK/a.yaml" --policy "$POLICY"
SA=("${S[@]}")
trust_and_approve "$POLICY"
"$SW" snapshot refresh "${S[@]}" --dev-role operator
start_daemon ctl-b --config "$WORK/b.yaml" --policy "$POLICY"
SB=("${S[@]}")
trust_and_approve "$POLICY"
"$SW" snapshot refresh "${S[@]}" --dev-role operator

step "Both controllers build and collect signatures for the same re-balance"
S=("${SA[@]}"); PA=$("$SW" proposal create "${S[@]}" --dev-role operator); sign_twice "$PA"
S=("${SB[@]}"); PB=$("$SW" proposal create "${S[@]}" --dev-role operator); sign_twice "$PB"

step "1. B's transaction is confirmed; A's, spending the same inputs, is refused with 3117"
"$SW" proposal submit "$PB" "${S[@]}" --dev-role operator
mine_and_confirm "$PB"
S=("${SA[@]}")
if "$SW" proposal submit "$PA" "${S[@]}" --dev-role operator > "$WORK/submit-a.txt" 2>&1; then
  cat "$WORK/submit-a.txt"; fail "A's double spend was accepted"
fi
cat "$WORK/submit-a.txt"
grep -q "3117" "$WORK/submit-a.txt" || fail "the refusal does not name Ogmios 3117"
grep -q "unknown or spent inputs" "$WORK/submit-a.txt" || fail "the refusal does not say what is wrong"
expect_state "$PA" ready

step "2. A rollback of B's blocks: B back to SUBMITTED, then A's transaction goes through"
ledger stakeward/rollback '{"blocks": 3}'
S=("${SB[@]}")
"$SW" proposal observe "${S[@]}" --dev-role operator
expect_state "$PB" submitted
S=("${SA[@]}")
"$SW" proposal submit "$PA" "${S[@]}" --dev-role operator
mine_and_confirm "$PA"

step "3. B's transaction cannot be included; past its TTL B expires the proposal"
S=("${SB[@]}")
"$SW" proposal observe "${S[@]}" --dev-role operator
expect_state "$PB" submitted
TTL=$("$SW" proposal list "${S[@]}" --dev-role auditor | awk -v id="$PB" '$1 == id {print $6}')
TIP=$(ledger stakeward/status | json /dev/stdin 'console.log(j.tip.slot)')
[ -n "$TTL" ] && [ "$TTL" -gt "$TIP" ] || fail "unexpected TTL '$TTL' at tip $TIP"
ledger stakeward/advance "{\"slots\": $((TTL - TIP + 1))}" >/dev/null
"$SW" proposal observe "${S[@]}" --dev-role operator
expect_state "$PB" expired
"$SW" audit verify --db "$WORK/ctl-b.db" | tee "$WORK/audit-b.txt"
grep -q '^audit log OK' "$WORK/audit-b.txt" || fail "B's audit log does not verify"
echo "ledger_lifecycle_test: 3117 surfaced, rollback to SUBMITTED, expiry after TTL: OK"
