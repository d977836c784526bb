#!/usr/bin/env bash
# The main job: one re-balance round and one reward round end to end on embedded defaults.
#   - two mock Trezors (signers alice and bob) and one mock Ledger (signer carol), as in
#     policy/samples/policy.yaml (3 signers, threshold 2);
#   - stakewardd in dev mode on loopback with an embedded SQLite database, the sample policy and
#     the synthetic chain snapshot;
#   - the policy is approved on two devices, a plan is made, a proposal is created, two signers
#     review and sign it on their devices through the CLI, and the assembled, verified
#     transactions are exported as cardano-cli TextEnvelope files.
#   - the reward round ends on a real L2 chain (issue 14): the pinned anvil with the liquid-staking
#     test contract at the policy's address; stakewardd (--l2-rpc) broadcasts the deposit the
#     operator signed on a Trezor and confirms it from the chain; the job then reads the contract:
#     one deposit of the epoch, balance up by exactly the deposit's value in wei.
# scripts/main-job-chain.sh runs the same job against a local ledger instead (issue 13).
# Usage: scripts/main-job.sh <bin-dir> [<work-dir>]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$(cd "${1:?usage: main-job.sh <bin-dir> [work-dir]}" && pwd)"
WORK="${2:-$ROOT/out/main-job}"
rm -rf "$WORK" && mkdir -p "$WORK/export" "$WORK/logs"

source "$ROOT/scripts/lib/job-common.sh"
source "$ROOT/scripts/lib/l2-devnet.sh"
trap cleanup EXIT
SW="$BIN/stakeward"

start_mocks
step "Starting the L2 chain (anvil) with the liquid-staking contract at the policy's address"
start_anvil
POOL=$(awk '/^  contract_address:/{print $2}' "$ROOT/policy/samples/policy.yaml")
OPERATOR_L2=$(awk '/^  operator_l2_address:/{print $2}' "$ROOT/policy/samples/policy.yaml")
setup_pool "$POOL" "$OPERATOR_L2" 200
step "Starting stakewardd (dev mode, loopback, SQLite at $WORK/stakewardd.db, L2 at $L2_URL)"
start_daemon stakewardd --policy "$ROOT/policy/samples/policy.yaml" --snapshot "$ROOT/policy/samples/snapshot.json" \
  --l2-rpc "$L2_URL" --l2-confirmations 1
trust_and_approve "$ROOT/policy/samples/policy.yaml"

step "The plan, recomputed locally from the policy and the snapshot (what every signer can do)"
"$SW" plan --policy "$ROOT/policy/samples/policy.yaml" --snapshot "$ROOT/policy/samples/snapshot.json" \
  --out "$WORK/plan.json" | tee "$WORK/plan.txt"

step "Dry-run plan on the controller (operator)"
"$SW" proposal plan "${S[@]}" --dev-role operator > "$WORK/plan-controller.json"
tail -n1 "$WORK/plan-controller.json"

step "Create the re-balance proposal (operator)"
ID=$("$SW" proposal create "${S[@]}" --dev-role operator)
echo "proposal id: $ID"
"$SW" proposal show "$ID" "${S[@]}" --dev-role auditor --trust-dir "$WORK/trust/operator"

step "Signer review and signature: alice on her Trezor, carol on her Ledger"
sign_twice "$ID"

step "Export the assembled, verified transactions"
export_and_describe "$ID" "$WORK/export"

step "Reward round (epoch 200): a later snapshot of the epoch with a fresh treasury UTxO"
"$SW" snapshot push "$ROOT/policy/samples/snapshot-rewards.json" "${S[@]}" --dev-role operator

step "Build the reward proposal (operator; the operator's L2 address is read from alice's Trezor)"
RID=$("$SW" rewards build 200 "${S[@]}" --device "$ALICE_DEV" | tee "$WORK/rewards-build.txt" \
  | awk '/^proposal /{print $2; exit}')
cat "$WORK/rewards-build.txt"
[ -n "$RID" ] || { echo "main-job: no reward proposal id" >&2; exit 1; }

step "Signers review and sign the reward proposal: alice (Trezor), carol (Ledger)"
sign_twice "$RID"
export_and_describe "$RID" "$WORK/export-rewards"

step "L1 reward transaction confirmed; the operator signs the L2 deposit (accreditToPool) on a Trezor"
"$SW" rewards confirm-l1 200 "${S[@]}"
# Nonce, fees and gas limit come from the operator's own view of the L2 node; stakewardd
# broadcasts the signed deposit and confirms it from the chain (--wait follows it there).
"$SW" rewards deposit 200 "${S[@]}" --device "$ALICE_DEV" --l2-rpc "$L2_URL" --bridge-fee 1000000 \
  --trust-dir "$WORK/trust/operator" --wait 120 \
  | tee "$WORK/deposit.txt"
"$SW" rewards show 200 "${S[@]}" | tee "$WORK/rewards-epoch-200.txt"

step "The L2 chain's own account of epoch 200 (read from the contract, not from stakewardd)"
"$SW" rewards show 200 "${S[@]}" --json > "$WORK/rewards-epoch-200.json"
pool_state "$POOL" 200 | tee "$WORK/l2-pool-200.json"
python3 - "$WORK/rewards-epoch-200.json" "$WORK/l2-pool-200.json" <<'PY'
import json, sys
epoch = json.load(open(sys.argv[1]))
pool = json.load(open(sys.argv[2]))
dep = epoch["deposit"]
want = dep["value_wei"]
problems = []
if epoch["status"] != "DEPOSITED" or dep["state"] != "CONFIRMED":
    problems.append(f"epoch {epoch['status']}, deposit {dep['state']} (want DEPOSITED, CONFIRMED)")
if pool["deposits"] != "1" or pool["events"] != 1:
    problems.append(f"{pool['deposits']} deposits, {pool['events']} events on chain (want 1)")
if pool["balance_wei"] != want or pool["accredited_wei"] != want:
    problems.append(f"contract holds {pool['balance_wei']} wei, deposit value {want}")
if problems:
    sys.exit("main-job: the L2 deposit is not exactly once on chain: " + "; ".join(problems))
print(f"L2 deposit mined once: {want} wei in {dep['tx_hash']} (block {dep['block_number']}); "
      f"contract balance {pool['balance_wei']} wei, 1 PoolAccredited event")
PY

step "Audit log verification (offline)"
"$SW" audit verify --db "$WORK/stakewardd.db"

step "Controller status"
"$SW" status "${S[@]}" --dev-role auditor

step "Summary"
echo "policy approved by alice (Trezor) and carol (Ledger)"
echo "proposal $ID: READY, signed by alice and carol, verified by the controller"
echo "reward proposal $RID: READY and confirmed; L2 deposit mined once on anvil, CONFIRMED"
echo "L2 chain check:        $WORK/l2-pool-200.json"
echo "plan:                  $WORK/plan.txt"
echo "signed transactions:   $(ls "$WORK"/export/* | grep -v '\.txt$' | tr '\n' ' ')"
echo "decoded summaries:     $WORK/export/*.txt"
echo "reward transactions:   $(ls "$WORK"/export-rewards/* | grep -v '\.txt$' | tr '\n' ' ')"
echo "epoch ledger:          $WORK/rewards-epoch-200.txt"
echo "device screens:        $WORK/logs/*-screens.log"
echo "database + audit log:  $WORK/stakewardd.db"
