// Load coordinator: forks worker processes, splits the virtual sessions among them, runs the
// init phase, starts every worker's measurement window at the same instant, and merges results.
//
// Library: runLoad(options) -> result (used by bench/run.mjs).
// CLI:     node bench/load/coordinator.mjs --url http://127.0.0.1:PORT/mcp --sessions 100
//            [--workers 2] [--duration 5] [--warmup 1] [--tool echo] [--message hi] [--expect hi]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Histogram } from './histogram.mjs';

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));

export const LOAD_DEFAULTS = {
  workers: 1,
  tool: 'echo',
  message: 'hello from the sapper bench',
  expectText: 'hello from the sapper bench',
  initParallel: 64, // initializes in flight at once, across all workers
  initPhaseMs: 30_000, // sessions not up by then count as failed
  initTimeoutMs: 20_000,
  requestTimeoutMs: 10_000,
  warmupMs: 1_000,
  durationMs: 6_000,
  failureBackoffMs: 100,
};

/**
 * @param {object} o  LOAD_DEFAULTS plus { url, sessions, hooks?: { onWindowStart, onWindowEnd } }
 */
export async function runLoad(o) {
  o = { ...LOAD_DEFAULTS, ...o };
  const url = new URL(o.url);
  if (url.hostname !== '127.0.0.1') throw new Error(`the load generator only targets 127.0.0.1 (got ${url.hostname})`);
  const workers = Math.max(1, Math.min(o.workers, o.sessions));
  const base = {
    host: '127.0.0.1',
    port: Number(url.port),
    hostHeader: url.host,
    path: url.pathname,
    toolJson: JSON.stringify(o.tool),
    messageJson: JSON.stringify(o.message),
    expectText: o.expectText,
    initParallel: Math.max(1, Math.ceil(o.initParallel / workers)),
    initPhaseMs: o.initPhaseMs,
    initTimeoutMs: o.initTimeoutMs,
    requestTimeoutMs: o.requestTimeoutMs,
    failureBackoffMs: o.failureBackoffMs,
  };
  const children = [];
  const hardMs = o.initPhaseMs + o.initTimeoutMs + o.warmupMs + o.durationMs + o.requestTimeoutMs + 15_000;
  let hardTimer;
  const killAll = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  try {
    const hard = new Promise((_, reject) => {
      hardTimer = setTimeout(() => reject(new Error(`load run exceeded its hard bound of ${hardMs} ms`)), hardMs);
    });
    const per = [];
    for (let i = 0; i < workers; i++) per.push(Math.floor(o.sessions / workers) + (i < o.sessions % workers ? 1 : 0));
    const messages = (child, type) =>
      new Promise((resolve, reject) => {
        const onMsg = (m) => {
          if (m.type === type) {
            child.off('message', onMsg);
            child.off('exit', onExit);
            resolve(m);
          }
        };
        const onExit = (code, sig) => reject(new Error(`load worker exited (${code ?? sig}) before '${type}'`));
        child.on('message', onMsg);
        child.once('exit', onExit);
      });
    const t0 = Date.now();
    const readies = [];
    for (let i = 0; i < workers; i++) {
      const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
      children.push(child);
      readies.push(messages(child, 'ready'));
      child.send({ cmd: 'init', cfg: { ...base, sessions: per[i] } });
    }
    const ready = await Promise.race([Promise.all(readies), hard]);
    const initMs = Date.now() - t0;
    const sessionsOk = ready.reduce((a, r) => a + r.ok, 0);
    const startAt = Date.now() + 200;
    const results = children.map((c) => messages(c, 'result'));
    for (const c of children) c.send({ cmd: 'go', startAt, warmupMs: o.warmupMs, durationMs: o.durationMs });
    const windowStart = startAt + o.warmupMs;
    const windowEnd = windowStart + o.durationMs;
    // Window hooks (the runner samples the gateway's CPU). Each runs exactly once: on its timer,
    // or right after the results if the workers reported before this process's timer fired.
    const once = (f) => {
      let done = !f;
      return () => {
        if (!done) {
          done = true;
          f();
        }
      };
    };
    const onStart = once(o.hooks?.onWindowStart);
    const onEnd = once(o.hooks?.onWindowEnd);
    const timers = [setTimeout(onStart, windowStart - Date.now()), setTimeout(onEnd, windowEnd - Date.now())];
    const rs = await Promise.race([Promise.all(results), hard]);
    for (const t of timers) clearTimeout(t);
    onStart();
    onEnd();
    return merge(o, rs, { sessionsOk, initMs, workers });
  } finally {
    clearTimeout(hardTimer);
    killAll();
  }
}

function add(into, from) {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  return into;
}

function merge(o, rs, { sessionsOk, initMs, workers }) {
  const hist = new Histogram();
  const initHist = new Histogram();
  const failures = {};
  const initFailures = {};
  const errorSamples = [];
  let okInWindow = 0;
  let okOutsideWindow = 0;
  const loadCpu = [];
  for (const r of rs) {
    hist.merge(Histogram.fromJSON(r.hist));
    initHist.merge(Histogram.fromJSON(r.initHist));
    add(failures, r.failures);
    add(initFailures, r.initFailures);
    for (const e of r.errorSamples) if (errorSamples.length < 8 && !errorSamples.some((x) => x.kind === e.kind)) errorSamples.push(e);
    okInWindow += r.okInWindow;
    okOutsideWindow += r.okOutsideWindow;
    if (r.cpuSeconds !== null) loadCpu.push(r.cpuSeconds);
  }
  const sum = (m) => Object.values(m).reduce((a, b) => a + b, 0);
  const callFailures = sum(failures);
  const initFailed = sum(initFailures);
  const sec = o.durationMs / 1000;
  const ms = (us) => (us === null ? null : us / 1000);
  return {
    sessions: o.sessions,
    sessionsOk,
    workers,
    initMs,
    durationMs: o.durationMs,
    warmupMs: o.warmupMs,
    okCalls: okInWindow,
    okCallsOutsideWindow: okOutsideWindow,
    // A failed session initialize counts as one failed request; failed calls count one each.
    failedRequests: callFailures + initFailed,
    failures,
    initFailures,
    errorSamples,
    throughput: okInWindow / sec,
    p50Ms: ms(hist.quantile(0.5)),
    p90Ms: ms(hist.quantile(0.9)),
    p99Ms: ms(hist.quantile(0.99)),
    maxMs: ms(hist.quantile(1)),
    initP50Ms: ms(initHist.quantile(0.5)),
    initP99Ms: ms(initHist.quantile(0.99)),
    // CPU the load generator itself used during the window, in cores (1.0 = one core busy).
    loadGenCores: loadCpu.length ? loadCpu.reduce((a, b) => a + b, 0) / sec : null,
    loadGenMaxWorkerCores: loadCpu.length ? Math.max(...loadCpu) / sec : null,
  };
}

// ---------------------------------------------------------------------------------- CLI
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      sessions: { type: 'string', default: '20' },
      workers: { type: 'string', default: String(LOAD_DEFAULTS.workers) },
      duration: { type: 'string', default: String(LOAD_DEFAULTS.durationMs / 1000) },
      warmup: { type: 'string', default: String(LOAD_DEFAULTS.warmupMs / 1000) },
      tool: { type: 'string', default: LOAD_DEFAULTS.tool },
      message: { type: 'string', default: LOAD_DEFAULTS.message },
      expect: { type: 'string' },
    },
  });
  if (!values.url) {
    console.error('usage: node bench/load/coordinator.mjs --url http://127.0.0.1:PORT/mcp [--sessions N] [--workers W] [--duration S]');
    process.exit(2);
  }
  const r = await runLoad({
    url: values.url,
    sessions: Number(values.sessions),
    workers: Number(values.workers),
    durationMs: Number(values.duration) * 1000,
    warmupMs: Number(values.warmup) * 1000,
    tool: values.tool,
    message: values.message,
    expectText: values.expect ?? values.message,
  });
  console.log(JSON.stringify(r, null, 2));
}
