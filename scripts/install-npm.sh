#!/usr/bin/env bash
# Installs the pinned npm packages the interop tests use (tests/interop/package-lock.json).
# Skipped when node_modules already matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/../tests/interop"
# Compared from the first installed package on: npm's hidden lock file in node_modules has no
# root ("") entry, so comparing the whole "packages" map never matched.
if [ -f node_modules/.package-lock.json ] && cmp -s <(sed -n '/"node_modules\//,$p' package-lock.json | grep -v '"name"') \
     <(sed -n '/"node_modules\//,$p' node_modules/.package-lock.json | grep -v '"name"') 2>/dev/null; then
  echo "install-npm: node_modules up to date"
  exit 0
fi
echo "install-npm: installing pinned interop packages"
npm ci --no-audit --no-fund --loglevel=error
