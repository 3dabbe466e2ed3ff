#!/usr/bin/env node
// The ceiling: a bare node:http server that answers the benchmark's HTTP requests with no
// protocol work at all (no session table, no validation, no upstream). Whatever it achieves on
// this machine with this load generator is the most any Node gateway could achieve.
//
//   initialize            -> fixed JSON result + an `mcp-session-id` header
//   notifications/*       -> 202, empty body
//   tools/call            -> JSON result echoing arguments.message as text content
//   anything else with id -> {"result":{}}
//
// Usage: node bench/ceiling-server.mjs [--port N]  (default 0 = ephemeral)
// Prints `listening on http://127.0.0.1:PORT/mcp` when ready. Binds 127.0.0.1 only.
import http from 'node:http';

const portArg = process.argv.indexOf('--port');
const port = portArg !== -1 ? Number(process.argv[portArg + 1]) : 0;

const SESSION_ID = 'ceiling-0123456789abcdef0123456789abcdef';
const INIT_RESULT = {
  protocolVersion: '2025-11-25',
  capabilities: { tools: {} },
  serverInfo: { name: 'sapper-bench-ceiling', version: '1.0.0' },
};

const server = http.createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(405, { 'content-length': '0' }).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let msg;
    try {
      msg = JSON.parse(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    } catch {
      res.writeHead(400, { 'content-length': '0' }).end();
      return;
    }
    if (msg.id === undefined) {
      res.writeHead(202, { 'content-length': '0' }).end();
      return;
    }
    let result;
    if (msg.method === 'initialize') result = INIT_RESULT;
    else if (msg.method === 'tools/call') result = { content: [{ type: 'text', text: String(msg.params?.arguments?.message ?? '') }] };
    else result = {};
    const body = JSON.stringify({ jsonrpc: '2.0', id: msg.id, result });
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (msg.method === 'initialize') headers['mcp-session-id'] = SESSION_ID;
    res.writeHead(200, headers).end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}/mcp\n`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
