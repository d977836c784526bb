# The main job's L2 chain (issue 14): the pinned anvil (tests/interop/node_modules, installed by
# scripts/install-npm.sh) on a free port, chain id 200101, with the liquid-staking test contract
# at the sample policy's address. Sourced after scripts/lib/job-common.sh (uses WORK, ROOT, step;
# the PID file makes `cleanup` stop it).

# Sets L2_URL.
start_anvil() {
  local bin="$ROOT/tests/interop/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil" i
  [ -x "$bin" ] || { echo "main-job: anvil is missing: run scripts/install-npm.sh" >&2; exit 1; }
  # --config-out puts the work directory on its command line (main_job_test.sh looks for it).
  "$bin" --chain-id 200101 --hardfork london --port 0 --config-out "$WORK/logs/anvil-config.json" \
    >"$WORK/logs/anvil.out" 2>"$WORK/logs/anvil.err" &
  echo $! >"$WORK/logs/anvil.pid"
  for i in $(seq 1 100); do
    L2_URL=$(sed -n 's/^Listening on \(127\.0\.0\.1:[0-9]*\)$/http:\/\/\1/p' "$WORK/logs/anvil.out" | head -n1)
    [ -n "$L2_URL" ] && { echo "anvil (L2, chain 200101) at $L2_URL"; return 0; }
    kill -0 "$(cat "$WORK/logs/anvil.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "main-job: anvil did not start; see $WORK/logs/anvil.err" >&2
  exit 1
}

# setup_pool CONTRACT OPERATOR EPOCH: the contract at CONTRACT, the operator funded.
setup_pool() {
  node "$ROOT/tests/interop/l2/devnet.mjs" setup "$L2_URL" "$1" "$2" "$3"
}

# pool_state CONTRACT EPOCH: JSON with the contract's balance, deposit count and total of EPOCH.
pool_state() {
  node "$ROOT/tests/interop/l2/devnet.mjs" check "$L2_URL" "$1" "$2"
}
