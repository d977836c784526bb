# Shared by scripts/main-job-chain.sh and tests/integration/scripts/ledger_lifecycle_test.sh: the
# local ledger (tests/interop/localchain: scalus behind an Ogmios v6-shaped front) and the chain
# steps around it. Source after scripts/lib/job-common.sh; needs ROOT, BIN, WORK and SW.
LOCALCHAIN="$ROOT/tests/interop/localchain"

json() { node -e "const j=JSON.parse(require('fs').readFileSync(process.argv[1]));$2" "$1"; }
# A control or Ogmios method of the running ledger, e.g. `ledger stakeward/mine '{"blocks": 1}'`.
ledger() { node "$LOCALCHAIN/ctl.mjs" "$LEDGER_HTTP" "$@"; }

# The sample policy plus what to do when the chain source lacks pool age, blocks or the owners'
# live pledge (Ogmios cannot see them; without the line the gates deny every pool). Sets POLICY and TREASURY; starts the
# ledger seeded with policy/samples/snapshot.json's state and sets OGMIOS and LEDGER_HTTP.
start_local_ledger() {
  [ -d "$ROOT/tests/interop/node_modules/scalus" ] || {
    echo "the local ledger's npm packages are missing: run scripts/install-npm.sh" >&2
    exit 1
  }
  step "The DAO's policy: the sample, stating what to do when the chain lacks pool age, blocks or live pledge"
  sed 's/^  min_age_epochs: 10$/&\n  when_missing: {age: warn, performance: warn, pledge: warn}/' \
    "$ROOT/policy/samples/policy.yaml" > "$WORK/policy.yaml"
  grep -q '^  when_missing: ' "$WORK/policy.yaml" || { echo "policy edit failed" >&2; exit 1; }
  POLICY="$WORK/policy.yaml"
  "$SW" policy addresses "$POLICY" --json > "$WORK/addresses.json"
  TREASURY=$(json "$WORK/addresses.json" 'console.log(j.treasury_address)')
  echo "treasury (payment script) $TREASURY"
  step "Starting the local ledger (scalus + Ogmios-shaped front) with the sample chain state"
  local ready
  ready=$(start_ready ledger node "$LOCALCHAIN/local-ledger.mjs" --port 0 \
    --snapshot "$ROOT/policy/samples/snapshot.json" --treasury-address "$TREASURY")
  OGMIOS=$(uri_of "$ready" ws)
  LEDGER_HTTP=$(uri_of "$ready" http)
  echo "ledger: $OGMIOS"
}

# A stakewardd config linking to the ledger; the job looks at the chain itself (proposal
# observe), so the poll loop is slow. Extra top-level YAML lines may follow.
write_chain_config() {
  local file="$1"; shift
  {
    printf 'chain:\n  ogmios: %s\n  poll_seconds: 3600\n  confirmations: 3\n' "$OGMIOS"
    printf '%s\n' "$@"
  } > "$file"
}

# Fails unless proposal $1 is listed in state $2 (open, submitted, confirmed, expired, …).
expect_state() {
  if ! "$SW" proposal list "${S[@]}" --dev-role auditor --state "$2" | grep -q -- "$1"; then
    echo "proposal $1 is not $2:" >&2
    "$SW" proposal list "${S[@]}" --dev-role auditor >&2
    exit 1
  fi
  echo "proposal $1: $2"
}

# Ogmios gives no inclusion height: stakewardd counts depth from the block it first sees a
# transaction in, so this looks after every block, as its poll loop would: SUBMITTED at depth 1
# and 2, CONFIRMED at depth 3 (the configured confirmations).
mine_and_confirm() {
  local depth
  for depth in 1 2 3; do
    ledger stakeward/mine '{"blocks": 1}' >/dev/null
    "$SW" proposal observe "${S[@]}" --dev-role operator
    expect_state "$1" "$([ "$depth" -lt 3 ] && echo submitted || echo confirmed)"
  done
}
