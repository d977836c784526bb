#!/usr/bin/env bash
# The main job: one re-balance round and one reward round end to end on embedded defaults.
#   - two mock Trezors (signers alice and bob) and one mock Ledger (signer carol), as in
#     policy/samples/policy.yaml (3 signers, threshold 2);
#   - stakewardd in dev mode on loopback with an embedded SQLite database, the sample policy and
#     the synthetic chain snapshot;
#   - the policy is approved on two devices, a plan is made, a proposal is created, two signers
#     review and sign it on their devices through the CLI, and the assembled, verified
#     transactions are exported as cardano-cli TextEnvelope files.
# Usage: scripts/main-job.sh <bin-dir> [<work-dir>]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$(cd "${1:?usage: main-job.sh <bin-dir> [work-dir]}" && pwd)"
WORK="${2:-$ROOT/out/main-job}"
rm -rf "$WORK" && mkdir -p "$WORK/export" "$WORK/logs"

# start_ready runs inside $(...), a subshell: it records each PID in a file, not a variable,
# so the cleanup here sees every process it started.
cleanup() {
  local f
  for f in "$WORK"/logs/*.pid; do
    [ -e "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
  done
  for f in "$WORK"/logs/*.pid; do
    [ -e "$f" ] || continue
    # Wait for each to exit (they are not this shell's children, so `wait` cannot).
    while kill -0 "$(cat "$f")" 2>/dev/null; do sleep 0.05; done
    rm -f "$f"
  done
}
trap cleanup EXIT

# Starts a process whose first stdout line is "READY ..."; echoes that line.
start_ready() {
  local name="$1"; shift
  "$@" >"$WORK/logs/$name.out" 2>"$WORK/logs/$name.err" &
  local pid=$! i
  echo "$pid" >"$WORK/logs/$name.pid"
  for i in $(seq 1 100); do
    if grep -q '^READY' "$WORK/logs/$name.out" 2>/dev/null; then
      grep -m1 '^READY' "$WORK/logs/$name.out"; return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "main-job: $name did not become ready; see $WORK/logs/$name.err" >&2
  cat "$WORK/logs/$name.err" >&2 || true
  exit 1
}
uri_of() { tr ' ' '\n' <<<"$1" | grep -m1 "^$2:"; }

step() { printf '\n== %s\n' "$*"; }

step "Starting the device mocks"
ALICE_READY=$(start_ready alice-trezor "$BIN/mock-trezor" --port 0 --control-port 0 \
  --screen-log "$WORK/logs/alice-screens.log")
BOB_READY=$(start_ready bob-trezor "$BIN/mock-trezor" --port 0 --control-port 0 \
  --mnemonic "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about" \
  --screen-log "$WORK/logs/bob-screens.log")
CAROL_READY=$(start_ready carol-ledger "$BIN/mock-ledger" --apdu-port 0 --control-port 0 \
  --screen-log "$WORK/logs/carol-screens.log")
ALICE_DEV=$(uri_of "$ALICE_READY" udp)
BOB_DEV=$(uri_of "$BOB_READY" udp)
CAROL_DEV=$(uri_of "$CAROL_READY" tcp)
echo "alice: mock Trezor at $ALICE_DEV"
echo "bob:   mock Trezor at $BOB_DEV"
echo "carol: mock Ledger at $CAROL_DEV"

step "Starting stakewardd (dev mode, loopback, SQLite at $WORK/stakeward.db)"
D_READY=$(start_ready stakewardd "$BIN/stakewardd" --dev --listen 127.0.0.1:0 \
  --db "$WORK/stakeward.db" --metrics-listen 127.0.0.1:0 \
  --policy "$ROOT/policy/samples/policy.yaml" --snapshot "$ROOT/policy/samples/snapshot.json")
SERVER=$(tr ' ' '\n' <<<"$D_READY" | grep -m1 '^grpc:' | sed 's/^grpc://')
echo "stakewardd listening on $SERVER"
S=(--server "$SERVER")
SW="$BIN/stakeward"

step "Trust anchors: each signer and the operator trust the policy document the DAO agreed on"
for who in alice bob carol operator; do
  "$SW" policy trust "$ROOT/policy/samples/policy.yaml" --trust-dir "$WORK/trust/$who" >/dev/null
done
POLICY_HASH=$("$SW" policy check "$ROOT/policy/samples/policy.yaml" | awk '/^policy hash/{print $3}')
echo "policy $POLICY_HASH anchored for alice, bob, carol and the operator"

step "Policy approval: alice (Trezor) and carol (Ledger) sign the policy hash on their devices"
"$SW" policy sign "${S[@]}" --signer alice --device "$ALICE_DEV" --trust-dir "$WORK/trust/alice"
"$SW" policy sign "${S[@]}" --signer carol --device "$CAROL_DEV" --trust-dir "$WORK/trust/carol"

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

step "Signer review and signature: alice on her Trezor"
"$SW" proposal sign "$ID" "${S[@]}" --signer alice --device "$ALICE_DEV" --trust-dir "$WORK/trust/alice"
step "Signer review and signature: carol on her Ledger"
"$SW" proposal sign "$ID" "${S[@]}" --signer carol --device "$CAROL_DEV" --trust-dir "$WORK/trust/carol"

step "Export the assembled, verified transactions"
"$SW" proposal export "$ID" "${S[@]}" --dev-role operator --out-dir "$WORK/export"
for f in "$WORK"/export/*; do
  "$SW" tx describe "$f" > "${f%.*}.txt" || { echo "main-job: exported $f does not decode" >&2; exit 1; }
done

step "Reward round (epoch 200): a later snapshot of the epoch with a fresh treasury UTxO"
"$SW" snapshot push "$ROOT/policy/samples/snapshot-rewards.json" "${S[@]}" --dev-role operator

step "Build the reward proposal (operator; the operator's L2 address is read from alice's Trezor)"
RID=$("$SW" rewards build 200 "${S[@]}" --device "$ALICE_DEV" | tee "$WORK/rewards-build.txt" \
  | awk '/^proposal /{print $2; exit}')
cat "$WORK/rewards-build.txt"
[ -n "$RID" ] || { echo "main-job: no reward proposal id" >&2; exit 1; }

step "Signers review and sign the reward proposal: alice (Trezor), carol (Ledger)"
"$SW" proposal sign "$RID" "${S[@]}" --signer alice --device "$ALICE_DEV" --trust-dir "$WORK/trust/alice"
"$SW" proposal sign "$RID" "${S[@]}" --signer carol --device "$CAROL_DEV" --trust-dir "$WORK/trust/carol"
mkdir -p "$WORK/export-rewards"
"$SW" proposal export "$RID" "${S[@]}" --dev-role operator --out-dir "$WORK/export-rewards"
for f in "$WORK"/export-rewards/*; do
  "$SW" tx describe "$f" > "${f%.*}.txt" || { echo "main-job: exported $f does not decode" >&2; exit 1; }
done

step "L1 reward transaction confirmed; the operator signs the L2 deposit (accreditToPool) on a Trezor"
"$SW" rewards confirm-l1 200 "${S[@]}"
"$SW" rewards deposit 200 "${S[@]}" --device "$ALICE_DEV" --nonce 0 --gas-limit 150000 \
  --max-fee-per-gas 100000000000 --max-priority-fee-per-gas 1000000000 --bridge-fee 1000000 \
  --trust-dir "$WORK/trust/operator" \
  | tee "$WORK/deposit.txt"
"$SW" rewards show 200 "${S[@]}" | tee "$WORK/rewards-epoch-200.txt"

step "Audit log verification (offline)"
"$SW" audit verify --db "$WORK/stakeward.db"

step "Controller status"
"$SW" status "${S[@]}" --dev-role auditor

step "Summary"
echo "policy approved by alice (Trezor) and carol (Ledger)"
echo "proposal $ID: READY, signed by alice and carol, verified by the controller"
echo "reward proposal $RID: READY and confirmed; L2 deposit signed once (see $WORK/deposit.txt)"
echo "plan:                  $WORK/plan.txt"
echo "signed transactions:   $(ls "$WORK"/export/* | grep -v '\.txt$' | tr '\n' ' ')"
echo "decoded summaries:     $WORK/export/*.txt"
echo "reward transactions:   $(ls "$WORK"/export-rewards/* | grep -v '\.txt$' | tr '\n' ' ')"
echo "epoch ledger:          $WORK/rewards-epoch-200.txt"
echo "device screens:        $WORK/logs/*-screens.log"
echo "database + audit log:  $WORK/stakeward.db"
