// Calls one method (a stakeward/* control or an Ogmios method) of a running local ledger and
// prints its JSON result on stdout; a JSON-RPC error or an unreachable ledger exits 1 with the
// message on stderr.
// Usage: node ctl.mjs HTTP_URL METHOD [PARAMS_JSON]
//   e.g. node ctl.mjs http://127.0.0.1:4242 stakeward/mine '{"blocks": 3}'
const [url, method, params = '{}'] = process.argv.slice(2);
if (!url || !method) {
  console.error('usage: ctl.mjs HTTP_URL METHOD [PARAMS_JSON]');
  process.exit(2);
}
const body = JSON.stringify({
  jsonrpc: '2.0',
  method,
  params: JSON.parse(params),
  id: 1,
});
try {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(30000),
  });
  const answer = await res.json();
  if (answer.error) {
    console.error(`ctl: ${method}: ${answer.error.code} ${answer.error.message}`);
    process.exit(1);
  }
  console.log(JSON.stringify(answer.result));
} catch (e) {
  console.error(`ctl: ${method}: ${e.message}`);
  process.exit(1);
}
