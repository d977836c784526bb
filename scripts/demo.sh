#!/usr/bin/env bash
# The main job on embedded defaults: installs what is missing, builds (Release) and runs one
# re-balance round and one reward round end to end against the device mocks
# (see scripts/main-job.sh for the steps).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
bash scripts/install-deps.sh
bash scripts/install-npm.sh  # anvil and solc-js: the reward round's L2 chain
cmake --preset release -DSTAKEWARD_BUILD_BENCH=OFF >/dev/null
cmake --build build/release -j"${JOBS:-$(nproc)}" --target stakewardd stakeward mock-ledger mock-trezor
exec bash scripts/main-job.sh "$ROOT/build/release/bin"
