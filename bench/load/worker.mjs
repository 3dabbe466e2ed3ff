// Load worker process: drives a slice of the virtual sessions against one MCP endpoint.
// Controlled by its parent over IPC (see coordinator.mjs):
//   parent -> {cmd:'init', cfg}    worker opens its sessions (initialize + notifications/initialized)
//   worker -> {type:'ready', ...}
//   parent -> {cmd:'go', startAt, warmupMs, durationMs}
//   worker -> {type:'result', ...} and exits
// Each session owns one keep-alive TCP connection and runs a closed loop of tools/call.
import { Http1Conn } from './http1.mjs';
import { Histogram } from './histogram.mjs';

const PROTOCOL_VERSION = '2025-11-25';

let cfg = null;
const sessions = [];
const failures = Object.create(null); // kind -> count (after 'go')
const initFailures = Object.create(null); // kind -> count (during init)
const errorSamples = [];
const hist = new Histogram();
const initHist = new Histogram();
let okInWindow = 0;
let okOutsideWindow = 0;
let windowStart = 0;
let windowEnd = 0;
let stopAt = 0;
let inFlight = 0;
let cpuAtStart = null;
let cpuUsed = null;

function note(map, kind, detail) {
  map[kind] = (map[kind] ?? 0) + 1;
  if (errorSamples.length < 8 && !errorSamples.some((e) => e.kind === kind)) errorSamples.push({ kind, detail: String(detail ?? '').slice(0, 300) });
}

function buildRequest(sid, pv, body) {
  let raw = `POST ${cfg.path} HTTP/1.1\r\nHost: ${cfg.hostHeader}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n`;
  if (pv) raw += `MCP-Protocol-Version: ${pv}\r\n`;
  if (sid) raw += `Mcp-Session-Id: ${sid}\r\n`;
  return raw + `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` + body;
}

/** Extracts the JSON-RPC response with `id` from a JSON or SSE body. Returns [kind|null, msg]. */
function parseRpc(res, id) {
  const ct = res.headers['content-type'] || '';
  const text = res.body.toString('utf8');
  if (ct.startsWith('text/event-stream')) {
    // Events are separated by blank lines; a JSON-RPC message is in the event's data line(s).
    let data = '';
    const lines = text.split('\n');
    for (let i = 0; i <= lines.length; i++) {
      const line = i < lines.length ? lines[i].replace(/\r$/, '') : '';
      if (line === '') {
        if (data !== '') {
          let msg;
          try {
            msg = JSON.parse(data);
          } catch {
            return ['bad_sse_json', data];
          }
          if (msg && msg.id === id && ('result' in msg || 'error' in msg)) return [null, msg];
        }
        data = '';
      } else if (line.startsWith('data:')) {
        const v = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
        data = data === '' ? v : data + '\n' + v;
      }
    }
    return ['no_response', text];
  }
  if (ct.startsWith('application/json')) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return ['bad_json', text];
    }
    if (Array.isArray(msg)) msg = msg.find((m) => m && m.id === id);
    if (msg && msg.id === id && ('result' in msg || 'error' in msg)) return [null, msg];
    return ['no_response', text];
  }
  return [`bad_content_type`, `${ct} ${text}`];
}

// ---------------------------------------------------------------------------------- init

function initSession(s, done) {
  const t0 = process.hrtime.bigint();
  const id = s.nextId++;
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'sapper-bench', version: '1.0.0' } },
  });
  s.conn.request(buildRequest(null, null, body), cfg.initTimeoutMs, (err, res) => {
    if (err) return done(err, err);
    if (res.status !== 200) return done(`http_${res.status}`, res.body.toString('utf8'));
    const [kind, msg] = parseRpc(res, id);
    if (kind) return done(kind, msg);
    if (msg.error) return done('jsonrpc_error', JSON.stringify(msg.error));
    s.sid = res.headers['mcp-session-id'] || null;
    s.pv = msg.result?.protocolVersion || PROTOCOL_VERSION;
    const initialized = JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" });
    s.conn.request(buildRequest(s.sid, s.pv, initialized), cfg.initTimeoutMs, (err2, res2) => {
      if (err2) return done(err2, err2);
      if (res2.status !== 202 && res2.status !== 200 && res2.status !== 204) return done(`http_${res2.status}`, res2.body.toString('utf8'));
      initHist.record(Number(process.hrtime.bigint() - t0) / 1000);
      done(null);
    });
  });
}

function runInit() {
  return new Promise((resolve) => {
    let next = 0;
    let active = 0;
    let finished = 0;
    let ok = 0;
    const total = sessions.length;
    if (total === 0) return resolve({ ok: 0, failed: 0 });
    const deadline = Date.now() + cfg.initPhaseMs;
    const launch = () => {
      while (active < cfg.initParallel && next < total) {
        const s = sessions[next++];
        active++;
        initSession(s, (kind, detail) => {
          active--;
          finished++;
          if (kind) {
            s.dead = true;
            note(initFailures, kind, detail);
          } else ok++;
          if (finished === total) {
            clearInterval(sweep);
            resolve({ ok, failed: total - ok });
          } else if (Date.now() < deadline) launch();
        });
      }
    };
    const sweep = setInterval(() => {
      const now = Date.now();
      for (const s of sessions) s.conn.checkTimeout(now);
      if (now >= deadline) {
        // Phase over: sessions not started yet fail without a request; in-flight ones time out.
        while (next < total) {
          sessions[next++].dead = true;
          finished++;
          note(initFailures, 'init_not_attempted', 'init phase deadline passed');
        }
        for (const s of sessions) if (s.conn.cb !== null) s.conn.checkTimeout(Infinity);
        if (finished === total) {
          clearInterval(sweep);
          resolve({ ok, failed: total - ok });
        }
      }
    }, 100);
    launch();
  });
}

// ---------------------------------------------------------------------------------- load

function callOnce(s) {
  if (Date.now() >= stopAt) return maybeDone();
  const id = s.nextId++;
  const body = `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":${cfg.toolJson},"arguments":{"message":${cfg.messageJson}}}}`;
  const t0 = process.hrtime.bigint();
  inFlight++;
  s.conn.request(buildRequest(s.sid, s.pv, body), cfg.requestTimeoutMs, (err, res) => {
    inFlight--;
    const now = Date.now();
    let kind = err;
    let detail = err;
    if (!kind) {
      if (res.status !== 200) {
        kind = `http_${res.status}`;
        detail = res.body.toString('utf8');
      } else {
        const [k, msg] = parseRpc(res, id);
        if (k) [kind, detail] = [k, msg];
        else if (msg.error) [kind, detail] = ['jsonrpc_error', JSON.stringify(msg.error)];
        else if (msg.result?.isError) [kind, detail] = ['tool_error', JSON.stringify(msg.result)];
        else if (msg.result?.content?.[0]?.text !== cfg.expectText) [kind, detail] = ['wrong_result', JSON.stringify(msg.result)];
      }
    }
    if (kind) {
      note(failures, kind, detail);
      // Back off after a failure so a dead endpoint yields a bounded count, not a tight loop.
      setTimeout(() => callOnce(s), cfg.failureBackoffMs);
      return;
    }
    // Throughput counts completions inside the window; latency is recorded for every completion
    // from the window start on, including the tail after it, so a stall that straddles the end
    // of the window still shows up in p99.
    if (now >= windowStart) hist.record(Number(process.hrtime.bigint() - t0) / 1000);
    if (now >= windowStart && now < windowEnd) okInWindow++;
    else okOutsideWindow++;
    callOnce(s);
  });
}

let finishedResolve = null;
function maybeDone() {
  if (inFlight === 0 && finishedResolve) {
    const r = finishedResolve;
    finishedResolve = null;
    r();
  }
}

async function runLoad({ startAt, warmupMs, durationMs }) {
  const wait = startAt - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  windowStart = startAt + warmupMs;
  windowEnd = windowStart + durationMs;
  stopAt = windowEnd;
  const cpuTimer = setTimeout(() => {
    cpuAtStart = process.cpuUsage();
  }, Math.max(0, windowStart - Date.now()));
  const cpuEndTimer = setTimeout(() => {
    cpuUsed = process.cpuUsage(cpuAtStart ?? undefined);
  }, Math.max(0, windowEnd - Date.now()));
  const done = new Promise((r) => (finishedResolve = r));
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const s of sessions) s.conn.checkTimeout(now);
  }, 100);
  for (const s of sessions) if (!s.dead) callOnce(s);
  // Sessions waiting out a failure backoff past stopAt return via callOnce -> maybeDone.
  const hard = setTimeout(() => finishedResolve && finishedResolve(), warmupMs + durationMs + cfg.requestTimeoutMs + cfg.failureBackoffMs + 2000);
  if (sessions.every((s) => s.dead)) maybeDone();
  await done;
  // Anything still in flight at the hard stop never got an answer: a failure, not a no-show.
  for (const s of sessions) if (s.conn.cb !== null) s.conn.fail('unfinished_at_hard_stop');
  clearTimeout(hard);
  clearTimeout(cpuTimer);
  clearTimeout(cpuEndTimer);
  clearInterval(sweep);
  cpuUsed ??= process.cpuUsage(cpuAtStart ?? undefined);
}

process.on('message', async (m) => {
  if (m.cmd === 'init') {
    cfg = m.cfg;
    for (let i = 0; i < cfg.sessions; i++) sessions.push({ conn: new Http1Conn(cfg.host, cfg.port), sid: null, pv: null, nextId: 1, dead: false });
    const r = await runInit();
    process.send({ type: 'ready', ...r });
  } else if (m.cmd === 'go') {
    await runLoad(m);
    for (const s of sessions) s.conn.destroy();
    process.send(
      {
        type: 'result',
        okInWindow,
        okOutsideWindow,
        failures,
        initFailures,
        errorSamples,
        hist: hist.toJSON(),
        initHist: initHist.toJSON(),
        cpuSeconds: cpuUsed ? (cpuUsed.user + cpuUsed.system) / 1e6 : null,
      },
      () => process.exit(0),
    );
  } else if (m.cmd === 'abort') {
    process.exit(0);
  }
});
