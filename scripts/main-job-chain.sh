#!/usr/bin/env bash
# The main job against a local ledger (issue 13): the same re-balance and reward rounds as
# scripts/main-job.sh, but the chain is real ledger rules instead of a synthetic snapshot file:
#   - tests/interop/localchain: the npm `scalus` ledger emulator behind an Ogmios v6-shaped
#     JSON-RPC front, seeded with the state of policy/samples/snapshot.json;
#   - stakewardd with `chain: {ogmios: …}` builds its snapshot from the ledger, submits the READY
#     transactions and marks them CONFIRMED only when the ledger shows them 3 blocks deep;
#   - next epoch the ledger pays rewards into the slots' accounts and the reward proposal
#     withdraws them; the ledger accepts every transaction.
# Needs the interop npm packages (scripts/install-npm.sh).
# Usage: scripts/main-job-chain.sh <bin-dir> [<work-dir>]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$(cd "${1:?usage: main-job-chain.sh <bin-dir> [work-dir]}" && pwd)"
WORK="${2:-$ROOT/out/main-job-chain}"
rm -rf "$WORK" && mkdir -p "$WORK/logs"

source "$ROOT/scripts/lib/job-common.sh"
source "$ROOT/scripts/lib/ledger-common.sh"
trap cleanup EXIT
SW="$BIN/stakeward"

start_local_ledger
write_chain_config "$WORK/stakewardd.yaml"
start_mocks
step "Starting stakewardd (dev mode, loopback, chain link to the ledger)"
start_daemon stakewardd --config "$WORK/stakewardd.yaml" --policy "$POLICY"
trust_and_approve "$POLICY"

step "Snapshot from the chain: stakewardd's own, and one each signer can fetch themselves"
"$SW" snapshot refresh "${S[@]}" --dev-role operator
"$SW" snapshot fetch --ogmios "$OGMIOS" --bridge-policy "$POLICY" --out "$WORK/snapshot.json"
"$SW" plan --policy "$POLICY" --snapshot "$WORK/snapshot.json" --out "$WORK/plan.json" | tee "$WORK/plan.txt"
LOCAL_PLAN=$(awk '/^plan /{print $2; exit}' "$WORK/plan.txt")

step "Create the re-balance proposal (operator), pinned to the plan recomputed locally"
ID=$("$SW" proposal create "${S[@]}" --dev-role operator --expect-plan "$LOCAL_PLAN")
echo "proposal id: $ID"
"$SW" proposal show "$ID" "${S[@]}" --dev-role auditor --trust-dir "$WORK/trust/operator"
step "Signer review and signature: alice on her Trezor, carol on her Ledger"
sign_twice "$ID"
export_and_describe "$ID" "$WORK/export"

step "Submit through stakewardd's chain source; confirmed only when the ledger shows it 3 deep"
"$SW" proposal submit "$ID" "${S[@]}" --dev-role operator
# Ogmios gives no inclusion height: stakewardd counts depth from the block it first sees the
# transaction in, so it looks after every block here, as its poll loop would.
mine_and_confirm "$ID"

step "Next epoch: the ledger pays rewards into every registered slot's account"
ledger stakeward/advance '{"slots": 432000}'
REGISTERED=$(json "$WORK/snapshot.json" \
  'console.log(j.slots.filter(s => s.registered).map(s => s.index).join(" "))')
for i in $REGISTERED; do
  CRED=$(json "$WORK/addresses.json" "console.log(j.slots.find(s => s.slot === $i).stake_script_hash)")
  ledger stakeward/addRewards "{\"credential\": \"$CRED\", \"lovelace\": \"250000000\"}"
done
"$SW" snapshot refresh "${S[@]}" --dev-role operator
EPOCH=$(ledger stakeward/status | json /dev/stdin 'console.log(j.epoch)')

step "Reward round (epoch $EPOCH): build, sign on two devices, submit, confirmed on the ledger"
RID=$("$SW" rewards build "$EPOCH" "${S[@]}" --device "$ALICE_DEV" | tee "$WORK/rewards-build.txt" \
  | awk '/^proposal /{print $2; exit}')
cat "$WORK/rewards-build.txt"
[ -n "$RID" ] || { echo "main-job-chain: no reward proposal id" >&2; exit 1; }
sign_twice "$RID"
export_and_describe "$RID" "$WORK/export-rewards"
"$SW" proposal submit "$RID" "${S[@]}" --dev-role operator
mine_and_confirm "$RID"
"$SW" rewards show "$EPOCH" "${S[@]}" | tee "$WORK/rewards-epoch.txt"

step "Audit log verification (offline)"
"$SW" audit verify --db "$WORK/stakewardd.db"

step "Summary"
echo "ledger:               scalus $(json "$ROOT/tests/interop/node_modules/scalus/package.json" 'console.log(j.version)') behind $OGMIOS"
echo "re-balance proposal:  $ID CONFIRMED on the ledger"
echo "reward proposal:      $RID CONFIRMED on the ledger (epoch $EPOCH)"
echo "ledger log:           $WORK/logs/ledger.err"
