// The Ogmios v6-shaped front: JSON-RPC 2.0 over WebSocket and over plain HTTP POST, on one
// http.Server (as Ogmios serves both on one port: server/src/Ogmios/App/Server/Http.hs proxies
// POST / to its WebSocket handler and answers 200, or 400 when the answer carries "error").
//
// Every Ogmios answer is checked against the v6.14 schema definition of its method's response
// (ogmios_schema.mjs) before it is sent. An answer that fails is a bug in this front: the ajv
// errors go to stderr and the process exits with code 70, so tests fail loudly instead of
// receiving a wrong answer.
//
// Requests Ogmios cannot match (not JSON, no method, unknown method, params that break the
// method's request schema) get what Ogmios sends then (server/src/Ogmios/App/Protocol.hs
// onUnmatchedMessage): {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid request:
// …"}, "id": <the request's id or null>}, checked against ogmios.json RpcError.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { stringify } from './bigjson.mjs';
import { CONTROL_METHODS, InvalidParams } from './control_methods.mjs';
import { InvalidRequest, OGMIOS_METHODS } from './ogmios_methods.mjs';
import { REQUEST_DEFINITIONS, RESPONSE_DEFINITIONS, RPC_ERROR_DEFINITION } from './ogmios_schema.mjs';

const MAX_MESSAGE_BYTES = 16 << 20;

// A short reason from ajv's first error, e.g. "field 'params' is not allowed in request".
function describeAjv(errors) {
  const e = errors?.[0];
  if (!e) return 'does not match the method schema';
  const where = e.instancePath ? `'${e.instancePath.slice(1).replaceAll('/', '.')}'` : 'request';
  if (e.keyword === 'additionalProperties') {
    return `field '${e.params.additionalProperty}' is not allowed in ${where}`;
  }
  return `${where} ${e.message}`;
}

export class OgmiosFront {
  // `ctx`: {ledger, seed, log}; `schema`: loadOgmiosSchema(); `fatal(text)`: called when an
  // answer fails its schema (default: print and exit 70).
  constructor({ ctx, schema, fatal }) {
    this.ctx = ctx;
    this.schema = schema;
    this.fatal = fatal ?? ((text) => {
      process.stderr.write(`${text}\n`);
      process.exit(70);
    });
    this.server = http.createServer((req, res) => this.#onHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
    this.server.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.#onSocket(ws));
    });
  }

  listen(port) {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve(this.server.address().port));
    });
  }

  close() {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections?.();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  // One request text → one answer text. An exception here is a bug in the front (client
  // mistakes are answered, not thrown): it is fatal, like an answer that fails its schema.
  handle(text, transport) {
    try {
      return this.#handle(text, transport);
    } catch (e) {
      this.fatal(`localchain: internal error; exiting 70.\n${e?.stack ?? e}`);
      throw e; // only reached when `fatal` returns (tests of the front itself)
    }
  }

  #handle(text, transport) {
    const invalid = (id, reason, method = '?') =>
      this.#rpcError(id, -32600, `Invalid request: ${reason}`, transport, method);
    let req;
    try {
      req = JSON.parse(text);
    } catch {
      req = null;
    }
    if (req === null || typeof req !== 'object' || Array.isArray(req)) {
      return invalid(null, 'must be a well-formed JSON object.');
    }
    const id = req.id ?? null;
    if (typeof req.method !== 'string') {
      return invalid(id, "field 'method' must be present and be a string.");
    }
    if (req.jsonrpc !== '2.0') return invalid(id, "field 'jsonrpc' must be \"2.0\".", req.method);
    if (Object.hasOwn(CONTROL_METHODS, req.method)) return this.#control(req, id, transport);
    if (!Object.hasOwn(OGMIOS_METHODS, req.method)) {
      const message = "Invalid request: unknown method in 'method' (beware names are case-sensitive).";
      return this.#rpcError(id, -32600, message, transport, req.method);
    }
    return this.#ogmios(req, id, transport);
  }

  #ogmios(req, id, transport) {
    const method = req.method;
    const bad = this.schema.check(REQUEST_DEFINITIONS[method], req);
    const invalid = (reason) =>
      this.#rpcError(id, -32600, `Invalid request: ${reason}`, transport, method);
    if (bad) return invalid(`${describeAjv(bad)}.`);
    let answer;
    try {
      answer = OGMIOS_METHODS[method](req.params, this.ctx);
    } catch (e) {
      if (!(e instanceof InvalidRequest)) throw e;
      return invalid(e.message);
    }
    const body = { jsonrpc: '2.0', method, ...answer, id };
    const text = this.#checked(RESPONSE_DEFINITIONS[method], body);
    this.ctx.log(`${transport} ${method} -> ${answer.error ? `error ${answer.error.code}` : 'ok'}`);
    return text;
  }

  #control(req, id, transport) {
    try {
      const result = CONTROL_METHODS[req.method](req.params, this.ctx);
      this.ctx.log(`${transport} ${req.method} -> ok`);
      return stringify({ jsonrpc: '2.0', method: req.method, result, id });
    } catch (e) {
      if (!(e instanceof InvalidParams)) throw e;
      this.ctx.log(`${transport} ${req.method} -> error -32602: ${e.message}`);
      const error = { code: -32602, message: e.message };
      return stringify({ jsonrpc: '2.0', method: req.method, error, id });
    }
  }

  #rpcError(id, code, message, transport, method) {
    const what = String(method).slice(0, 80);
    this.ctx.log(`${transport} ${what} -> error ${code}: ${message.slice(0, 160)}`);
    return this.#checked(RPC_ERROR_DEFINITION, { jsonrpc: '2.0', error: { code, message }, id });
  }

  // Serialises `body` and validates exactly what goes on the wire.
  #checked(definition, body) {
    const text = stringify(body);
    const errors = this.schema.check(definition, JSON.parse(text));
    if (errors) {
      const lines = errors
        .slice(0, 20)
        .map((e) => `  ${e.instancePath || '/'}: ${e.message} (${e.schemaPath})`);
      this.fatal(
        `localchain: answer does not match ogmios.json ${definition}; exiting 70.\n` +
          `answer: ${text.slice(0, 2000)}\najv (${errors.length} errors):\n${lines.join('\n')}`,
      );
    }
    return text;
  }

  #onSocket(ws) {
    ws.on('message', (data) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data).toString('utf8');
      ws.send(this.handle(text, 'ws'));
    });
  }

  #onHttp(req, res) {
    if (req.method !== 'POST' || (req.url !== '/' && req.url !== '')) {
      res.writeHead(req.url === '/' ? 405 : 404, { 'Content-Type': 'text/plain' });
      res.end('POST a JSON-RPC 2.0 request to / (or open a WebSocket on /)\n');
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_MESSAGE_BYTES) {
        res.writeHead(413).end();
        req.destroy();
      } else {
        chunks.push(c);
      }
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      const text = this.handle(Buffer.concat(chunks).toString('utf8'), 'http');
      const status = Object.hasOwn(JSON.parse(text), 'error') ? 400 : 200;
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(text);
    });
  }
}
