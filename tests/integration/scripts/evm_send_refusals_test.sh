#!/usr/bin/env bash
# `stakeward evm send` refusals (issue 14), each shown to stop before anything is broadcast:
#   1. a transaction signed for another chain than --chain-id: refused before any node is
#      contacted (the --rpc port is closed; contacting it would be another error);
#   2. a node serving another chain: refused after eth_chainId, before eth_sendRawTransaction
#      (a fake node on a free port logs every method it is asked; stopped by PID).
# The signed transactions are made offline by `cast mktx` (npm @foundry-rs/cast, pinned in
# tests/interop's lock file), an independent signer.
# Usage: evm_send_refusals_test.sh <bin-dir> <scratch-dir>
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
SW="$(cd "${1:?bin dir}" && pwd)/stakeward"
W="${2:?scratch dir}/evm-send.$$"
CAST="$ROOT/tests/interop/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
[ -x "$CAST" ] || { echo "evm_send_refusals_test: cast missing: run scripts/install-npm.sh" >&2; exit 1; }
rm -rf "$W" && mkdir -p "$W"
NODE_PID=""
cleanup() { [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
fail() { echo "evm_send_refusals_test: $*" >&2; exit 1; }
mktx() {  # chain id → signed EIP-1559 transfer, 0x hex
  "$CAST" mktx --private-key 0x0000000000000000000000000000000000000000000000000000000000000001 \
    --chain "$1" --nonce 0 --gas-limit 21000 --gas-price 2000000000 \
    --priority-gas-price 1000000000 0x00000000000000000000000000000000000000aa --value 1
}
# expect_refusal EXIT TEXT [args…]
expect_refusal() {
  local want_rc="$1" want="$2"; shift 2
  local rc=0
  "$SW" evm send "$@" > "$W/out" 2>&1 || rc=$?
  [ "$rc" = "$want_rc" ] || { cat "$W/out"; fail "exit $rc (want $want_rc) for: $want"; }
  grep -qF -- "$want" "$W/out" || { cat "$W/out"; fail "missing '$want'"; }
  echo "refused as expected: $want"
}

# A closed port: bind one, note it, release it.
CLOSED="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
expect_refusal 3 "the transaction is signed for chain 200101, not 2001" \
  --rpc "http://127.0.0.1:$CLOSED" --chain-id 2001 "$(mktx 200101)"

# A node of chain 1 that logs the methods it is asked.
mkfifo "$W/port"
python3 - "$W" > "$W/port" <<'PY' &
import http.server, json, sys
log = open(sys.argv[1] + "/methods", "a", buffering=1)
class Node(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        log.write(req["method"] + "\n")
        body = json.dumps({"jsonrpc": "2.0", "id": req["id"], "result": "0x1"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), Node)
print(srv.server_address[1], flush=True)
srv.serve_forever()
PY
NODE_PID=$!
PORT=""
read -r -t 30 PORT < "$W/port" || true  # blocks until the node prints its port
[ -n "$PORT" ] || fail "fake node did not start"
expect_refusal 3 "serves chain 1, not 200101" \
  --rpc "http://127.0.0.1:$PORT" --chain-id 200101 "$(mktx 200101)"
grep -qx eth_chainId "$W/methods" || fail "the node was never asked its chain id"
if grep -qx eth_sendRawTransaction "$W/methods"; then fail "the transaction reached the node"; fi
echo "evm_send_refusals_test: OK"
