#!/usr/bin/env bash
# Issue 16: the CLI's one exit-code table (controller/cli/exit_codes.h, docs/operator-guide.md
# section 10): every documented case exits with its code, and every subcommand's --help shows
# the table.
set -euo pipefail
BIN="$1"
WORK="$(mktemp -d "$2/exit-codes.XXXXXX")"
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
SW="$BIN/stakeward"
mkdir -p "$WORK/logs"
source "$ROOT/scripts/lib/job-common.sh"   # start_daemon, cleanup
trap 'cleanup; rm -rf "$WORK"' EXIT
failures=0
expect() {  # expect CODE command...
  local want="$1" rc=0; shift
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL: exit $rc, want $want: $*" >&2
    sed 's/^/  stderr: /' "$WORK/err" >&2
    failures=$((failures + 1))
  fi
}

start_daemon stakewardd >/dev/null   # dev mode on loopback; sets SERVER
POLICY="$ROOT/policy/samples/policy.yaml"
printf 'not: [a policy\n' >"$WORK/bad.yaml"

expect 0 "$SW" --version
expect 0 "$SW" policy check "$POLICY"
expect 0 "$SW" status --server "$SERVER" --dev-role auditor
# 1: the command line itself
expect 1 "$SW" status --bogus
expect 1 "$SW" nosuch
expect 1 "$SW" completion
expect 1 "$SW" completion fish
# 2: invalid input, not found
expect 2 "$SW" policy check "$WORK/missing.yaml"
expect 2 "$SW" policy check "$WORK/bad.yaml"
expect 2 "$SW" proposal show no-such-proposal --server "$SERVER" --dev-role auditor
# 3: denied by role
expect 3 "$SW" policy propose "$POLICY" --server "$SERVER" --dev-role auditor
# 4: network
expect 4 "$SW" status --server 127.0.0.1:1 --dev-role auditor --timeout-s 5
# 5: data loss: a database that is not one
printf 'this is not an SQLite database, it only has the name of one.%.0s' {1..200} >"$WORK/corrupt.db"
expect 5 "$SW" audit verify --db "$WORK/corrupt.db"

# Read commands with --json print JSON (the response in the proto3 JSON mapping).
"$SW" status --json --server "$SERVER" --dev-role auditor |
  python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["caller"] and "dev_mode" in d, d' ||
  { echo "FAIL: status --json" >&2; failures=$((failures + 1)); }
[ "$("$SW" proposal list --json --server "$SERVER" --dev-role auditor)" = "[]" ] ||
  { echo "FAIL: proposal list --json on a fresh controller is not []" >&2; failures=$((failures + 1)); }
"$SW" policy check "$POLICY" --json |
  python3 -c 'import json, sys; d = json.load(sys.stdin); assert len(d["policy_hash"]) == 64 and d["signers"] == ["alice", "bob", "carol"], d' ||
  { echo "FAIL: policy check --json" >&2; failures=$((failures + 1)); }
# audit verify --json: the findings as one object, on success and on failure (same exit code).
"$SW" audit verify --db "$WORK/stakewardd.db" --json |
  python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["ok"] and d["entries"] == d["state_facts"] == 0 and len(d["head"]) == 64, d' ||
  { echo "FAIL: audit verify --json" >&2; failures=$((failures + 1)); }
expect 3 "$SW" audit verify --db "$WORK/stakewardd.db" --min-entries 100000 --json
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["ok"] is False and "fewer than" in d["error"], d' "$WORK/out" ||
  { echo "FAIL: audit verify --json on a failure" >&2; failures=$((failures + 1)); }

# Every subcommand's --help ends with the table (paths from the generated completion).
while IFS= read -r path; do
  # Captured first: with pipefail, `--help | grep -q` fails when grep stops at the match and the
  # rest of the help meets the closed pipe.
  # shellcheck disable=SC2086
  if ! help=$("$SW" $path --help 2>&1) || ! grep -q "^Exit codes: " <<<"$help"; then
    echo "FAIL: 'stakeward$path --help' does not show the exit codes" >&2
    failures=$((failures + 1))
  fi
done < <("$SW" completion bash | sed -n "s/^ *'\( [^']*\)') path=.*/\1/p")
[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "exit codes: ok"
