#!/usr/bin/env bash
# Issue 16: the client profile and STAKEWARD_* variables as a user meets them. A dev-mode
# stakewardd is reached with no connection flag at all (server and role from the profile), the
# environment wins over the profile and a flag over both, `profile show` says where each value
# comes from, a bad profile stops client commands with exit 2 naming the file, and the generated
# bash completion offers the commands and flags of this binary.
set -euo pipefail
BIN="$1"
WORK="$(mktemp -d "$2/client-profile.XXXXXX")"
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
SW="$BIN/stakeward"
mkdir -p "$WORK/logs"
source "$ROOT/scripts/lib/job-common.sh"   # start_ready, cleanup; sets STAKEWARD_PROFILE=none
trap 'cleanup; rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

start_daemon stakewardd >/dev/null   # sets SERVER
PROFILE="$WORK/conf/client.yaml"
mkdir -p "$WORK/conf"
printf 'server: %s\ndev_role: auditor\ntimeout_s: 9\ntls:\n  ca: pki/ca.pem\n' "$SERVER" >"$PROFILE"

# 1. No flag: server and role come from the profile.
out=$(STAKEWARD_PROFILE="$PROFILE" "$SW" status) || fail "status with the profile: $out"
grep -q "you are auditor" <<<"$out" || fail "status did not use the profile's role: $out"

# 2. Sources, paths relative to the profile, environment over profile.
show=$(STAKEWARD_PROFILE="$PROFILE" STAKEWARD_TIMEOUT_S=4 "$SW" profile show --json)
python3 - "$show" "$WORK/conf" "$SERVER" <<'PY'
import json, sys
d = json.loads(sys.argv[1]); s = d["settings"]
assert s["server"] == {"value": sys.argv[3], "from": "profile"}, s["server"]
assert s["tls.ca"]["value"] == sys.argv[2] + "/pki/ca.pem", s["tls.ca"]
assert s["timeout_s"] == {"value": "4", "from": "env STAKEWARD_TIMEOUT_S"}, s["timeout_s"]
assert s["tls.cert"]["from"] == "default", s["tls.cert"]
PY

# 3. A flag wins: another role on the command line.
out=$(STAKEWARD_PROFILE="$PROFILE" "$SW" status --dev-role operator)
grep -q "you are operator" <<<"$out" || fail "--dev-role did not override the profile: $out"

# 4. A bad profile: exit 2, the file and the key named; `profile show` says the same.
printf 'sever: %s\n' "$SERVER" >"$WORK/conf/bad.yaml"
set +e
err=$(STAKEWARD_PROFILE="$WORK/conf/bad.yaml" "$SW" status 2>&1); rc=$?
set -e
[ "$rc" -eq 2 ] || fail "bad profile: exit $rc, want 2 ($err)"
grep -q "bad.yaml: unknown key 'sever'" <<<"$err" || fail "bad profile message: $err"
set +e
STAKEWARD_PROFILE="$WORK/conf/missing.yaml" "$SW" profile show >/dev/null 2>&1; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "missing explicit profile: exit $rc, want 2"

# 5. Completion generated from the binary's own command tree.
source <("$SW" completion bash)
offers() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _stakeward; printf '%s\n' "${COMPREPLY[@]}"; }
# The offers are captured before grep reads them: with pipefail, `offers | grep -q` fails when
# grep stops at the first match and the writer meets the closed pipe.
expect() {
  local want="$1" got; shift
  got=$(offers "$@")
  grep -qx -- "$want" <<<"$got" || fail "completing '$*' should offer $want; got: $(tr '\n' ' ' <<<"$got")"
}
expect proposal stakeward prop
expect show stakeward proposal ''
expect --server stakeward proposal show --se
expect --json stakeward profile show --
expect --tls-ca stakeward status --server h:1 --tls-c   # a flag's value does not derail the path
expect completion stakeward comp
under_proposal=$(offers stakeward proposal '')
if grep -qx -- 'policy' <<<"$under_proposal"; then fail "root words offered under proposal"; fi
zsh_script=$("$SW" completion zsh)
[[ "${zsh_script%%$'\n'*}" == *bashcompinit* ]] || fail "zsh completion lacks bashcompinit"
echo "client profile and completion: ok"
