#!/usr/bin/env bash
# Usage: layout_symbols_test.sh BIN_DIR. Fails when a shipped binary defines a symbol of a library
# it must not link (issue 12). The patterns name classes and functions defined only there.
set -euo pipefail
bin=$1
daemon='stakeward::controller::(Controller::|IdentifyCaller|StreamCaps|ServiceEnv)'
mocks='stakeward::mocks::'
test_only='stakeward::(rewards::SoftwareEvmSigner|policy::SplitMix64|policy::MakeSyntheticSnapshot)'
check() {  # binary, pattern, what
  local hits
  hits=$(count "$1" "$2")
  if [ "$hits" != 0 ]; then
    echo "FAIL: $1 defines $hits symbols of $3:"
    nm -C --defined-only "$bin/$1" | grep -E "$2" | head -5
    exit 1
  fi
  echo "ok: $1 has no $3 code"
}
# The patterns must match where the code does live, or this test proves nothing.
count() { nm -C --defined-only "$bin/$1" | grep -cE "$2" || true; }
[ "$(count stakewardd "$daemon")" != 0 ] || { echo "FAIL: pattern misses the daemon"; exit 1; }
[ "$(count mock-ledger "$mocks")" != 0 ] || { echo "FAIL: pattern misses the mocks"; exit 1; }
[ "$(count rewards_vectors "$test_only")" != 0 ] || { echo "FAIL: pattern misses test code"; exit 1; }
check stakeward "$daemon" "daemon"
check stakeward "$mocks" "firmware mock"
check stakeward "$test_only" "test-support"
check stakewardd "$mocks" "firmware mock"
check stakewardd "$test_only" "test-support"
