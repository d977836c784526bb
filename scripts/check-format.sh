#!/usr/bin/env bash
# Fails when a C++ source or header of the project differs from what clang-format makes of it
# (.clang-format at the root; Debian 12's clang-format 14, installed by scripts/install-deps.sh).
# Usage: scripts/check-format.sh [--fix]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
command -v clang-format >/dev/null || { echo "check-format: clang-format is not installed" >&2; exit 1; }
mapfile -t files < <(find bench chain chainsource controller devices firmware-mocks policy proto tests \
  \( -name node_modules -o -name generated \) -prune -o \
  -type f \( -name '*.cc' -o -name '*.h' \) -print | LC_ALL=C sort)
[ ${#files[@]} -gt 100 ] || { echo "check-format: found only ${#files[@]} files" >&2; exit 1; }
if [ "${1:-}" = --fix ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "check-format: ${#bad[@]} of ${#files[@]} files are not clang-formatted (scripts/check-format.sh --fix):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
