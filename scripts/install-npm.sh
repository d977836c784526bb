#!/usr/bin/env bash
# Installs the pinned npm packages the interop tests use (tests/interop/package-lock.json).
# Skipped when node_modules already matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/../tests/interop"
if [ -f node_modules/.package-lock.json ] && cmp -s <(sed -n '/"packages"/,$p' package-lock.json | grep -v '"name"') \
     <(sed -n '/"packages"/,$p' node_modules/.package-lock.json | grep -v '"name"') 2>/dev/null; then
  echo "install-npm: node_modules up to date"
  exit 0
fi
echo "install-npm: installing pinned interop packages"
npm ci --no-audit --no-fund --loglevel=error
