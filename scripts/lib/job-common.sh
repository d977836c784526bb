# Shared by scripts/main-job.sh (synthetic snapshot) and scripts/main-job-chain.sh (local ledger):
# processes started and stopped by PID, the three device mocks, trust anchors and the policy
# approval. The caller sets ROOT, BIN and WORK, sources this file and runs `trap cleanup EXIT`.

# The jobs pass every connection flag themselves; the user's client profile (and a dev_role in it)
# must not change what they talk to.
export STAKEWARD_PROFILE=none
unset STAKEWARD_SERVER STAKEWARD_DEV_ROLE STAKEWARD_TLS_CERT STAKEWARD_TLS_KEY STAKEWARD_TLS_CA \
  STAKEWARD_TLS_SERVER_NAME STAKEWARD_TIMEOUT_S

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

# Sets ALICE_DEV, BOB_DEV (mock Trezors) and CAROL_DEV (mock Ledger).
start_mocks() {
  step "Starting the device mocks"
  local alice bob carol
  alice=$(start_ready alice-trezor "$BIN/mock-trezor" --port 0 --control-port 0 \
    --screen-log "$WORK/logs/alice-screens.log")
  bob=$(start_ready bob-trezor "$BIN/mock-trezor" --port 0 --control-port 0 \
    --mnemonic "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about" \
    --screen-log "$WORK/logs/bob-screens.log")
  carol=$(start_ready carol-ledger "$BIN/mock-ledger" --apdu-port 0 --control-port 0 \
    --screen-log "$WORK/logs/carol-screens.log")
  ALICE_DEV=$(uri_of "$alice" udp)
  BOB_DEV=$(uri_of "$bob" udp)
  CAROL_DEV=$(uri_of "$carol" tcp)
  echo "alice: mock Trezor at $ALICE_DEV"
  echo "bob:   mock Trezor at $BOB_DEV"
  echo "carol: mock Ledger at $CAROL_DEV"
}

# Starts stakewardd NAME (pid and logs under that name, database $WORK/NAME.db) with the given
# extra flags; sets SERVER and S (the CLI's --server flag) from its READY line.
start_daemon() {
  local name="$1" ready; shift
  ready=$(start_ready "$name" "$BIN/stakewardd" --dev --listen 127.0.0.1:0 \
    --db "$WORK/$name.db" --metrics-listen 127.0.0.1:0 "$@")
  SERVER=$(tr ' ' '\n' <<<"$ready" | grep -m1 '^grpc:' | sed 's/^grpc://')
  echo "$name listening on $SERVER"
  S=(--server "$SERVER")
}

# Each signer and the operator trust the policy document POLICY; alice (Trezor) and carol (Ledger)
# approve it on their devices. Sets POLICY_HASH.
trust_and_approve() {
  local policy="$1" who
  step "Trust anchors: each signer and the operator trust the policy document the DAO agreed on"
  for who in alice bob carol operator; do
    "$SW" policy trust "$policy" --trust-dir "$WORK/trust/$who" >/dev/null
  done
  POLICY_HASH=$("$SW" policy check "$policy" | awk '/^policy hash/{print $3}')
  echo "policy $POLICY_HASH anchored for alice, bob, carol and the operator"
  step "Policy approval: alice (Trezor) and carol (Ledger) sign the policy hash on their devices"
  "$SW" policy sign "${S[@]}" --signer alice --device "$ALICE_DEV" --trust-dir "$WORK/trust/alice"
  "$SW" policy sign "${S[@]}" --signer carol --device "$CAROL_DEV" --trust-dir "$WORK/trust/carol"
}

# alice (Trezor) and carol (Ledger) review and sign proposal ID on their devices.
sign_twice() {
  local id="$1"
  "$SW" proposal sign "$id" "${S[@]}" --signer alice --device "$ALICE_DEV" --trust-dir "$WORK/trust/alice"
  "$SW" proposal sign "$id" "${S[@]}" --signer carol --device "$CAROL_DEV" --trust-dir "$WORK/trust/carol"
}

# Exports proposal ID's signed transactions to DIR and decodes each one.
export_and_describe() {
  local id="$1" dir="$2" f
  mkdir -p "$dir"
  "$SW" proposal export "$id" "${S[@]}" --dev-role operator --out-dir "$dir"
  for f in "$dir"/*; do
    "$SW" tx describe "$f" > "${f%.*}.txt" || { echo "main-job: exported $f does not decode" >&2; exit 1; }
  done
}
