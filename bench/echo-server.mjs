#!/usr/bin/env node
// Minimal stdio MCP server for the load benchmark: raw newline-delimited JSON-RPC, no SDK.
// It exists so that the gateway in front of it, not the upstream, is the bottleneck.
//
// Methods: initialize, notifications/initialized (and any other notification: ignored),
// ping, tools/list (one tool: `echo`), tools/call echo -> text content with the input.
// Everything else gets -32601. Responses produced from one stdin chunk are written with a
// single write, so a burst of multiplexed requests costs one syscall, not one per message.
// Exits when stdin ends (the gateway went away).

const SUPPORTED = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];
const LATEST = SUPPORTED[0];

const ECHO_TOOL = {
  name: 'echo',
  title: 'Echo',
  description: 'Echoes back the input message.',
  inputSchema: {
    type: 'object',
    properties: { message: { type: 'string', description: 'Message to echo' } },
    required: ['message'],
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

function handle(msg) {
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
    return { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request' } };
  }
  const { id, method, params } = msg;
  if (typeof method !== 'string') return undefined; // a response to us: we never send requests
  if (id === undefined || id === null) return undefined; // notification
  switch (method) {
    case 'initialize': {
      const requested = params?.protocolVersion;
      return {
        jsonrpc: '2.0',
        id,
        result: {
          protocolVersion: SUPPORTED.includes(requested) ? requested : LATEST,
          capabilities: { tools: {} },
          serverInfo: { name: 'sapper-bench-echo', version: '1.0.0' },
        },
      };
    }
    case 'ping':
      return { jsonrpc: '2.0', id, result: {} };
    case 'tools/list':
      return { jsonrpc: '2.0', id, result: { tools: [ECHO_TOOL] } };
    case 'tools/call': {
      if (params?.name !== 'echo') {
        return { jsonrpc: '2.0', id, error: { code: -32602, message: `Unknown tool: ${String(params?.name)}` } };
      }
      const message = params?.arguments?.message;
      if (typeof message !== 'string') {
        return { jsonrpc: '2.0', id, error: { code: -32602, message: 'echo: "message" must be a string' } };
      }
      return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: message }] } };
    }
    default:
      return { jsonrpc: '2.0', id, error: { code: -32601, message: `Method not found: ${method}` } };
  }
}

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let out = '';
  let start = 0;
  let nl;
  while ((nl = pending.indexOf('\n', start)) !== -1) {
    const line = pending.slice(start, nl).trim();
    start = nl + 1;
    if (line === '') continue;
    let reply;
    try {
      reply = handle(JSON.parse(line));
    } catch {
      reply = { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } };
    }
    if (reply !== undefined) out += JSON.stringify(reply) + '\n';
  }
  pending = pending.slice(start);
  if (out !== '') process.stdout.write(out);
});
process.stdin.on('end', () => process.exit(0));
process.stdout.on('error', () => process.exit(0)); // EPIPE: the gateway is gone
