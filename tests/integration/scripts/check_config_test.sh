#!/usr/bin/env bash
# `stakewardd --check-config` (issue 16): a good configuration is reported and exits 0 without
# creating anything; each broken piece exits 1 naming the file and what to do. Certificates are
# made at test time with the openssl CLI.
# Usage: check_config_test.sh <bin-dir> <scratch-dir>
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
D="$(cd "${1:?bin dir}" && pwd)/stakewardd"
W="${2:?scratch dir}/check-config.$$"
rm -rf "$W" && mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
fail() { echo "check_config_test: $*" >&2; exit 1; }
cert() {  # name: a self-signed EC certificate and its key
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=$1" -keyout "$W/$1.key" -out "$W/$1.pem" 2>/dev/null
}
cert server; cert ca; cert other
# expect_ok CONFIG [flags…]: exit 0 and "config OK"; expect_fail TEXT CONFIG [flags…]: exit 1, TEXT.
expect_ok() {
  local cfg="$1"; shift
  "$D" --check-config --config "$cfg" "$@" > "$W/out" 2>&1 || { cat "$W/out"; fail "$cfg refused"; }
  grep -q '^config OK$' "$W/out" || fail "no 'config OK' for $cfg"
}
expect_fail() {
  local want="$1" cfg="$2"; shift 2
  local rc=0
  "$D" --check-config --config "$cfg" "$@" > "$W/out" 2>&1 || rc=$?
  [ "$rc" = 1 ] || { cat "$W/out"; fail "exit $rc (want 1) for: $want"; }
  grep -qF -- "$want" "$W/out" || { cat "$W/out"; fail "missing '$want'"; }
  echo "refused as expected: $want"
}

printf 'db: %s/dev.db\nlisten: 127.0.0.1:0\ndev: true\nchain:\n  ogmios: ws://127.0.0.1:1337\n' \
  "$W" > "$W/dev.yaml"
expect_ok "$W/dev.yaml" --policy "$ROOT/policy/samples/policy.yaml" \
  --snapshot "$ROOT/policy/samples/snapshot.json"
grep -q "(will be created)" "$W/out" || fail "db state not reported"
grep -q "^chain: *ogmios ws://127.0.0.1:1337" "$W/out" || fail "chain not reported"
grep -q "^policy: .* hash d1982a5dabb8a79712df09ae47b88a769889f72bf269eda9991a058df0fce603" \
  "$W/out" || fail "policy hash not reported"
[ ! -e "$W/dev.db" ] || fail "the check created the database"

tls() {  # cert key ca → a TLS config file
  printf 'db: %s/tls.db\nlisten: 0.0.0.0:0\ntls: {cert: %s, key: %s, ca: %s}\n' "$W" "$1" "$2" "$3" \
    > "$W/tls.yaml"
  echo "$W/tls.yaml"
}
expect_ok "$(tls "$W/server.pem" "$W/server.key" "$W/ca.pem")"
grep -q "matches key" "$W/out" || fail "TLS pair not reported"
expect_fail "is not the private key of tls.cert" "$(tls "$W/server.pem" "$W/other.key" "$W/ca.pem")"
echo "not a certificate" > "$W/junk.pem"
expect_fail "not a PEM certificate" "$(tls "$W/junk.pem" "$W/server.key" "$W/ca.pem")"
expect_fail "$W/missing-ca.pem" "$(tls "$W/server.pem" "$W/server.key" "$W/missing-ca.pem")"
expect_fail "not an unencrypted PEM private key" "$(tls "$W/server.pem" "$W/junk.pem" "$W/ca.pem")"
# Relative paths in the file are relative to the file's folder, whatever the working directory.
mkdir -p "$W/etc"
printf 'db: rel.db\nlisten: 0.0.0.0:0\ntls: {cert: ../server.pem, key: ../server.key, ca: ../ca.pem}\n' \
  > "$W/etc/rel.yaml"
(cd / && expect_ok "$W/etc/rel.yaml")
grep -qF "$W/etc/rel.db" "$W/out" || { cat "$W/out"; fail "db not resolved against the config's folder"; }
printf 'db: %s/no/such/dir/x.db\nlisten: 127.0.0.1:0\ndev: true\n' "$W" > "$W/nodir.yaml"
expect_fail "is not a writable directory" "$W/nodir.yaml"
printf 'db: %s/d.db\nlisten: 0.0.0.0:0\ndev: true\n' "$W" > "$W/devpublic.yaml"
expect_fail "loopback" "$W/devpublic.yaml"
echo "version: 2" > "$W/bad-policy.yaml"
expect_fail "--policy:" "$W/dev.yaml" --policy "$W/bad-policy.yaml"
echo "check_config_test: OK"
