#!/usr/bin/env node
// Sapper load benchmark (issue #3). See docs/benchmarks.md.
//
//   node bench/run.mjs [--quick] [--levels 20,100,500,1000] [--upstreams echo,everything]
//                      [--gateways sapper,mcp-proxy,supergateway,ceiling,direct]
//                      [--duration 6] [--warmup 1] [--workers auto|N] [--init-phase 30]
//                      [--rounds 3] [--mem-floor-gb 6] [--tree-cap-gb 8] [--mcp-proxy-node 20|22]
//                      [--quiet-cores 0.3] [--quiet-wait 10] [--sapper dist/cli/main.js] [--profile] [--strict]
//                      [--sapper-node-flags=--single-threaded-gc]   (node flags for the Sapper process only)
//   BENCH_QUICK=1 is the same as --quick.
//
// For each upstream × concurrency level × gateway: start the gateway fresh on an ephemeral
// 127.0.0.1 port, open N sessions, run a closed loop of tools/call for a fixed window, sample the
// gateway's memory and CPU, stop the gateway and its whole process tree. Every loop is bounded
// in count (levels × gateways) and time (init phase, warm-up, window, request timeouts, a hard
// bound per load run). Results: bench/results/<timestamp>.json and a markdown report on stdout.
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { runLoad, LOAD_DEFAULTS } from './load/coordinator.mjs';
import { GATEWAYS, UPSTREAMS, ROOT, NODE22, startGateway } from './lib/gateways.mjs';
import { processTree, rssBytes, pssBytes, cpuSeconds, memAvailableBytes, killTree, machineCpuSeconds } from './lib/proc.mjs';
import { renderMarkdown, evaluate } from './lib/report.mjs';

const { values: a } = parseArgs({
  options: {
    quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' },
    levels: { type: 'string' },
    upstreams: { type: 'string', default: 'echo,everything' },
    gateways: { type: 'string', default: 'sapper,mcp-proxy,supergateway,ceiling,direct' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    workers: { type: 'string', default: 'auto' },
    'init-phase': { type: 'string' },
    'init-parallel': { type: 'string', default: String(LOAD_DEFAULTS.initParallel) },
    'request-timeout': { type: 'string', default: String(LOAD_DEFAULTS.requestTimeoutMs / 1000) },
    'mem-floor-gb': { type: 'string', default: '6' },
    'tree-cap-gb': { type: 'string', default: '8' },
    'mcp-proxy-node': { type: 'string', default: '20' },
    cooldown: { type: 'string', default: '1' },
    'quiet-cores': { type: 'string', default: '0.3' },
    'quiet-wait': { type: 'string', default: '10' },
    rounds: { type: 'string' },
    out: { type: 'string' },
    strict: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    sapper: { type: 'string', default: process.env.SAPPER_BENCH_MAIN ?? 'dist/cli/main.js' },
    'sapper-node-flags': { type: 'string', default: '' },
  },
});

const GiB = 1024 ** 3;
const config = {
  quick: a.quick,
  levels: (a.levels ?? '20,100,500,1000').split(',').map(Number),
  upstreams: a.upstreams.split(',').filter((u) => UPSTREAMS[u]),
  gateways: a.gateways.split(',').filter((g) => GATEWAYS[g]),
  durationMs: Number(a.duration ?? (a.quick ? 2 : 6)) * 1000,
  warmupMs: Number(a.warmup ?? (a.quick ? 0.5 : 1)) * 1000,
  workers: a.workers,
  initPhaseMs: Number(a['init-phase'] ?? (a.quick ? 15 : 30)) * 1000,
  initParallel: Number(a['init-parallel']),
  requestTimeoutMs: Number(a['request-timeout']) * 1000,
  memFloorBytes: Number(a['mem-floor-gb']) * GiB,
  treeCapBytes: Number(a['tree-cap-gb']) * GiB,
  mcpProxyNode: a['mcp-proxy-node'],
  cooldownMs: Number(a.cooldown) * 1000,
  quietCores: Number(a['quiet-cores']),
  quietWaitMs: Number(a['quiet-wait']) * 1000,
  rounds: Number(a.rounds ?? (a.quick ? 1 : 3)),
  sapperMain: a.sapper, // Sapper's CLI entry (a private build keeps a long run safe from concurrent rebuilds)
  profile: a.profile, // Sapper runs with --cpu-prof; profiles land in bench/results/logs/<run>/profiles/
  sapperNodeFlags: a['sapper-node-flags'].split(' ').filter(Boolean), // e.g. "--single-threaded-gc"
};
const MAX_LEVEL = 5000;
if (config.levels.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_LEVEL)) throw new Error(`--levels: integers 1..${MAX_LEVEL}`);
if (!(config.durationMs > 0 && config.durationMs <= 120_000)) throw new Error('--duration: 0 < s <= 120');
if (!(Number.isInteger(config.rounds) && config.rounds >= 1 && config.rounds <= 10)) throw new Error('--rounds: 1..10');

const workersFor = (n) => (config.workers === 'auto' ? (n >= 500 ? 2 : 1) : Math.max(1, Number(config.workers)));

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = path.join(ROOT, 'bench/results');
const logDir = path.join(resultsDir, 'logs', stamp);
mkdirSync(logDir, { recursive: true });
const outFile = a.out ?? path.join(resultsDir, `bench-${stamp}.json`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...m) => process.stderr.write(`[bench] ${m.join(' ')}\n`);

function version(bin, args = ['--version']) {
  try {
    return execFileSync(bin, args, { encoding: 'utf8', timeout: 5000 }).trim();
  } catch {
    return null;
  }
}
const pkgVersion = (name) => {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
};
// Which Sapper was measured: a snapshot names its commit; dist/ is whatever was last built there.
const sapperCommit = (() => {
  try {
    return readFileSync(path.join(path.dirname(path.resolve(ROOT, config.sapperMain)), '../../COMMIT'), 'utf8').trim();
  } catch {
    return `dist/ built from the working tree (HEAD ${version('git', ['-C', ROOT, 'rev-parse', '--short=12', 'HEAD'])})`;
  }
})();

const run = {
  startedAt: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memTotalGiB: +(os.totalmem() / GiB).toFixed(1),
    kernel: os.release(),
    loadAvgAtStart: os.loadavg(),
    node: process.version,
    node22: config.mcpProxyNode === '22' ? version(NODE22) : null,
  },
  versions: {
    sapper: sapperCommit,
    sapperMain: config.sapperMain,
    supergateway: pkgVersion('supergateway'),
    'mcp-proxy': pkgVersion('mcp-proxy'),
    'server-everything': pkgVersion('@modelcontextprotocol/server-everything'),
  },
  config: { ...config, memFloorGiB: config.memFloorBytes / GiB, treeCapGiB: config.treeCapBytes / GiB },
  rounds: [], // every measured cell
  cells: [], // one per (upstream, gateway, level), aggregated over rounds
};

// ------------------------------------------------------------------------- one cell
let current = null; // { child, known } of the gateway being measured, for SIGINT cleanup

async function runCell(upstream, gateway, sessions) {
  const cell = { upstream, gateway, sessions, workers: workersFor(sessions), startedAt: new Date().toISOString() };
  const gw = GATEWAYS[gateway];
  const unavailable = gw.available({ mcpProxyNode: config.mcpProxyNode, sapperMain: config.sapperMain });
  if (unavailable) return { ...cell, skipped: unavailable };
  // Do not start a cell on a machine that is already short of memory (it is shared).
  for (let i = 0; i < 20 && memAvailableBytes() < config.memFloorBytes * 1.5; i++) await sleep(500);
  if (memAvailableBytes() < config.memFloorBytes * 1.5) return { ...cell, skipped: 'machine low on memory before start' };

  cell.quiet = await waitForQuiet();
  const logFile = path.join(logDir, `${upstream}-${gateway}-${sessions}.stderr.log`);
  const state = { child: null, known: [] };
  current = state;
  const mem = { gatewayRssPeak: 0, treePssPeak: 0, treeProcsPeak: 0 };
  let aborted = null;
  let sampler = null;
  try {
    const t0 = Date.now();
    let started;
    try {
      started = await startGateway(gateway, upstream, {
        logFile,
        opts: { mcpProxyNode: config.mcpProxyNode, sapperMain: config.sapperMain, sapperNodeFlags: config.sapperNodeFlags, profileDir: config.profile ? path.join(logDir, 'profiles', `${upstream}-${gateway}-${sessions}`) : null },
        onSpawn: (child) => (state.child = child),
      });
    } catch (e) {
      return { ...cell, error: `start failed: ${e.message}` };
    }
    cell.startMs = Date.now() - t0;
    cell.url = started.url;
    const pid = state.child.pid;
    let tick = 0;
    const sample = () => {
      const rss = rssBytes(pid);
      if (rss > mem.gatewayRssPeak) mem.gatewayRssPeak = rss;
      if (tick++ % 2 !== 0) return;
      const tree = processTree(pid);
      if (tree.length > 0) state.known = mergeKnown(state.known, tree);
      let pss = 0;
      for (const { pid: p } of tree) pss += pssBytes(p);
      if (pss > mem.treePssPeak) mem.treePssPeak = pss;
      if (tree.length > mem.treeProcsPeak) mem.treeProcsPeak = tree.length;
      const avail = memAvailableBytes();
      if (!aborted && (pss > config.treeCapBytes || avail < config.memFloorBytes)) {
        aborted =
          `memory guard: gateway tree PSS ${(pss / GiB).toFixed(1)} GiB in ${tree.length} processes, machine MemAvailable ${(avail / GiB).toFixed(1)} GiB ` +
          `(limits ${config.treeCapBytes / GiB} GiB / ${config.memFloorBytes / GiB} GiB); gateway stopped`;
        log(aborted);
        void killTree(pid, { known: state.known, graceMs: 500 });
      }
    };
    sampler = setInterval(sample, 500);
    sample();

    const up = UPSTREAMS[upstream];
    const cpu = {};
    const treePids = () => processTree(pid).map((e) => e.pid);
    const load = await runLoad({
      url: started.url,
      sessions,
      workers: cell.workers,
      tool: up.tool,
      message: 'hello from the sapper bench',
      expectText: gateway === 'ceiling' ? 'hello from the sapper bench' : up.expectText,
      initParallel: config.initParallel,
      initPhaseMs: config.initPhaseMs,
      requestTimeoutMs: config.requestTimeoutMs,
      warmupMs: config.warmupMs,
      durationMs: config.durationMs,
      hooks: {
        onWindowStart: () => {
          cpu.start = new Map(treePids().map((p) => [p, cpuSeconds([p])]));
          cpu.machineStart = machineCpuSeconds();
        },
        onWindowEnd: () => {
          // CPU used in the window by the gateway's tree: processes that existed at the start count
          // their delta, processes that appeared during the window count all of theirs.
          if (!cpu.start) return;
          let used = 0;
          for (const p of new Set([...cpu.start.keys(), ...treePids()])) {
            const now = cpuSeconds([p]);
            const d = now > 0 ? now - (cpu.start.get(p) ?? 0) : 0;
            used += d;
            if (p === pid) cpu.root = d;
          }
          cpu.used = used;
          const m = machineCpuSeconds();
          if (m && cpu.machineStart) cpu.machineBusy = m.busy - cpu.machineStart.busy;
        },
      },
    }).catch((e) => ({ error: e.message }));
    if (load.error) cell.error = load.error;
    else cell.load = load;
    cell.cpu = {
      gatewayCores: cpu.used !== undefined ? cpu.used / (config.durationMs / 1000) : null,
      gatewayProcessCores: cpu.root !== undefined ? cpu.root / (config.durationMs / 1000) : null,
      machineBusyCores: cpu.machineBusy !== undefined ? cpu.machineBusy / (config.durationMs / 1000) : null,
    };
    // CPU the gateway and its upstreams spent per completed call: robust to a noisy machine,
    // where req/s is not (a gateway that gets half the CPU serves half the requests).
    if (cell.cpu.gatewayCores !== null && load.okCalls > 0) cell.cpu.cpuUsPerCall = (cell.cpu.gatewayCores * config.durationMs * 1000) / load.okCalls;
    // CPU used by everything else on this shared machine during the window (other engineers'
    // builds and tests): a noise indicator, not a measurement.
    if (cell.cpu.machineBusyCores !== null && cell.cpu.gatewayCores !== null && load.loadGenCores != null) {
      cell.cpu.otherCores = Math.max(0, cell.cpu.machineBusyCores - cell.cpu.gatewayCores - load.loadGenCores);
    }
    return { ...cell, mem, aborted };
  } finally {
    if (sampler) clearInterval(sampler);
    if (state.child) {
      const left = await killTree(state.child.pid, { known: state.known, graceMs: 3000 });
      if (left > 0) log(`warning: ${left} processes of ${gateway} survived SIGKILL`);
    }
    current = null;
  }
}

/**
 * The machine is shared: before a cell, wait (bounded by --quiet-wait) until the rest of the
 * machine uses less than --quiet-cores of CPU, measured over 500 ms windows. Returns what it saw.
 */
async function waitForQuiet() {
  const until = Date.now() + config.quietWaitMs;
  let busy = null;
  for (;;) {
    const a0 = machineCpuSeconds();
    await sleep(500);
    const a1 = machineCpuSeconds();
    busy = a0 && a1 ? (a1.busy - a0.busy) / 0.5 : 0;
    if (busy <= config.quietCores || Date.now() >= until) break;
  }
  return { otherCoresBefore: +busy.toFixed(2), waitedMs: config.quietWaitMs - Math.max(0, until - Date.now()) };
}

function mergeKnown(known, tree) {
  const m = new Map(known.map((e) => [`${e.pid}:${e.starttime}`, e]));
  for (const e of tree) m.set(`${e.pid}:${e.starttime}`, e);
  return [...m.values()];
}

// ------------------------------------------------------------------------- main
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    log(`${sig}: stopping the current gateway`);
    if (current?.child) await killTree(current.child.pid, { known: current.known, graceMs: 1000 });
    process.exit(130);
  });
}

const plan = [];
// Order: upstream → level → round → gateway (rotated each round), so the cells a ratio compares
// run seconds apart, and no gateway always runs first or last in its group.
for (const upstream of config.upstreams)
  for (const n of config.levels) {
    const gws = config.gateways.filter((g) => GATEWAYS[g].upstreams.includes(upstream));
    for (let r = 0; r < config.rounds; r++) for (let k = 0; k < gws.length; k++) plan.push([upstream, gws[(k + r) % gws.length], n, r + 1]);
  }

log(`${plan.length} cells; ~${Math.round((plan.length * (config.durationMs + config.warmupMs + 5000)) / 60000)}+ min; results -> ${path.relative(ROOT, outFile)}`);
for (const [i, [upstream, g, n, round]] of plan.entries()) {
  if (stopping) break;
  log(`(${i + 1}/${plan.length}) ${upstream} × ${g} × ${n} sessions, round ${round}/${config.rounds}   [loadavg ${os.loadavg()[0].toFixed(1)}]`);
  const cell = { round, ...(await runCell(upstream, g, n)) };
  run.rounds.push(cell);
  const l = cell.load;
  log(
    cell.skipped
      ? `  skipped: ${cell.skipped}`
      : l
        ? `  up ${l.sessionsOk}/${n}, failed ${l.failedRequests}, ${Math.round(l.throughput)} req/s, p50 ${l.p50Ms?.toFixed(2)} ms, p99 ${l.p99Ms?.toFixed(2)} ms, ` +
          `rss ${(cell.mem.gatewayRssPeak / 1048576).toFixed(0)} MiB, cpu: gw ${cell.cpu.gatewayCores?.toFixed(2)} loadgen ${l.loadGenCores?.toFixed(2)} other ${cell.cpu.otherCores?.toFixed(2)}` +
          (cell.aborted ? ` [${cell.aborted}]` : '') +
          (l.errorSamples.length ? `\n  errors: ${JSON.stringify(l.errorSamples.slice(0, 3))}` : '')
        : `  error: ${cell.error}`,
  );
  run.cells = aggregate(run.rounds);
  writeFileSync(outFile, JSON.stringify(run, null, 2));
  await sleep(config.cooldownMs);
}
run.finishedAt = new Date().toISOString();
run.cells = aggregate(run.rounds);
run.targets = evaluate(run.cells, config.levels).map((t) => ({ id: t.id, text: t.text, pass: t.pass, per: t.per }));
writeFileSync(outFile, JSON.stringify(run, null, 2));

const md = renderMarkdown(run);
process.stdout.write(`\n${md}\n\n`);
for (const t of run.targets) process.stdout.write(`${t.pass ? 'PASS' : 'FAIL'}  ${t.text}\n`);
process.stdout.write(`\nJSON: ${path.relative(ROOT, outFile)}\n`);
process.exit(config.strict && run.targets.some((t) => !t.pass) ? 1 : 0);

/**
 * One cell per (upstream, gateway, level) from its rounds: the median round by throughput for
 * rates and latencies (so req/s, p50 and p99 come from the same round), failures summed over all
 * rounds (a failure in any round counts), memory peaks as the maximum over rounds.
 */
function aggregate(rounds) {
  const groups = new Map();
  for (const c of rounds) {
    const k = `${c.upstream}|${c.gateway}|${c.sessions}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(c);
  }
  const out = [];
  for (const cs of groups.values()) {
    const first = cs[0];
    const measured = cs.filter((c) => c.load);
    const base = { upstream: first.upstream, gateway: first.gateway, sessions: first.sessions, rounds: cs.length };
    if (measured.length === 0) {
      out.push({ ...base, skipped: first.skipped, error: cs.map((c) => c.error).filter(Boolean).join(' | ') || undefined });
      continue;
    }
    const sorted = [...measured].sort((x, y) => x.load.throughput - y.load.throughput);
    const med = sorted[Math.floor((sorted.length - 1) / 2)];
    const sumOf = (f) => measured.reduce((acc, c) => acc + f(c), 0);
    const mergeCounts = (f) => measured.reduce((acc, c) => { for (const [k2, v] of Object.entries(f(c))) acc[k2] = (acc[k2] ?? 0) + v; return acc; }, {});
    const unmeasured = cs.filter((c) => !c.load && c.error).length; // failed to start or to run
    out.push({
      ...base,
      medianRound: med.round,
      throughputByRound: cs.map((c) => (c.load ? Math.round(c.load.throughput) : null)),
      load: {
        ...med.load,
        failedRequests: sumOf((c) => c.load.failedRequests) + unmeasured * first.sessions,
        sessionsOk: Math.min(...measured.map((c) => c.load.sessionsOk)),
        failures: mergeCounts((c) => c.load.failures),
        initFailures: mergeCounts((c) => c.load.initFailures),
      },
      cpu: med.cpu,
      mem: {
        gatewayRssPeak: Math.max(...measured.map((c) => c.mem?.gatewayRssPeak ?? 0)),
        treePssPeak: Math.max(...measured.map((c) => c.mem?.treePssPeak ?? 0)),
        treeProcsPeak: Math.max(...measured.map((c) => c.mem?.treeProcsPeak ?? 0)),
      },
      aborted: cs.map((c) => c.aborted).filter(Boolean).join(' | ') || null,
      error: cs.map((c) => c.error).filter(Boolean).join(' | ') || undefined,
    });
  }
  return out;
}
