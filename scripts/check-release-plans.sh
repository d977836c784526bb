#!/usr/bin/env bash
# Issue 12: plans must not depend on the build. Builds plan-print with the Release flags (-O3,
# no sanitizers; only the policy engine and chain/) in build/release-plan and compares its plan
# JSON byte for byte with the given build's plan-print, for the sample policy under each
# allocation strategy and churn setting on both sample snapshots.
# Usage: scripts/check-release-plans.sh <bin-dir of the build to compare>
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OTHER="$(cd "${1:?bin dir}" && pwd)/plan-print"
JOBS="${JOBS:-$(nproc)}"
[ -x "$OTHER" ] || { echo "check-release-plans: $OTHER is not built" >&2; exit 1; }
cd "$ROOT"
cmake -S . -B build/release-plan -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DSTAKEWARD_BUILD_TESTS=OFF -DSTAKEWARD_BUILD_BENCH=OFF >/dev/null
cmake --build build/release-plan --target plan-print -j"$JOBS" >/dev/null
RELEASE="$ROOT/build/release-plan/bin/plan-print"
[ -x "$RELEASE" ] || RELEASE="$(find build/release-plan -name plan-print -type f -perm -u+x | head -n1)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
n=0
for strategy in max-rewards equal score-weighted; do
  for churn in 2500 10000; do
    sed -e "s/^  strategy: .*/  strategy: $strategy/" \
        -e "s/^\(  *max_moved_bps_per_epoch:\) .*/\1 $churn/" \
        policy/samples/policy.yaml >"$WORK/policy.yaml"
    for snap in policy/samples/snapshot.json policy/samples/snapshot-rewards.json; do
      "$OTHER" "$WORK/policy.yaml" "$snap" >"$WORK/other.json"
      "$RELEASE" "$WORK/policy.yaml" "$snap" >"$WORK/release.json"
      if ! cmp -s "$WORK/other.json" "$WORK/release.json"; then
        echo "check-release-plans: $strategy, churn $churn, $snap: the Release plan differs" >&2
        diff "$WORK/other.json" "$WORK/release.json" | head -n 20 >&2
        exit 1
      fi
      n=$((n + 1))
    done
  done
done
echo "release plans: $n plans identical byte for byte ($(sha256sum "$WORK/release.json" | cut -c1-16)… last)"
