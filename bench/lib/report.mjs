// Turns the cells of one run into the markdown report: ratios first, then targets, then raw.

export const TARGETS = [
  {
    id: 'zero-failures',
    text: 'Sapper: zero failed requests (echo + everything)',
    eval: (get, n) => {
      const a = get('echo', 'sapper', n);
      const b = get('everything', 'sapper', n);
      if (!measured(a) || !measured(b)) return { shown: 'n/a', pass: false };
      const f = a.load.failedRequests + b.load.failedRequests;
      return { shown: `${a.load.failedRequests} / ${b.load.failedRequests}`, pass: f === 0 };
    },
  },
  {
    id: 'echo-vs-mcp-proxy',
    text: 'echo: Sapper throughput ≥ 1.5× mcp-proxy',
    eval: (get, n) => ratioTarget(get('echo', 'sapper', n), get('echo', 'mcp-proxy', n), 'throughput', (r) => r >= 1.5),
  },
  {
    id: 'echo-vs-ceiling',
    text: 'echo: Sapper throughput ≥ 0.5× ceiling',
    eval: (get, n) => ratioTarget(get('echo', 'sapper', n), get('echo', 'ceiling', n), 'throughput', (r) => r >= 0.5),
  },
  {
    id: 'everything-vs-supergateway',
    text: 'everything: Sapper throughput ≥ 10× supergateway',
    eval: (get, n) => ratioTarget(get('everything', 'sapper', n), get('everything', 'supergateway', n), 'throughput', (r) => r >= 10),
  },
  {
    id: 'everything-p50-vs-direct',
    text: 'everything: Sapper p50 ≤ 1.3× direct',
    eval: (get, n) => ratioTarget(get('everything', 'sapper', n), get('everything', 'direct', n), 'p50Ms', (r) => r <= 1.3),
  },
];

function measured(cell) {
  return cell && cell.load && !cell.skipped;
}

/** Ratio of a Sapper metric to a baseline's, with honest handling of a baseline that served 0. */
export function ratio(sapper, base, key) {
  if (!measured(sapper) || !measured(base)) return null;
  const a = sapper.load[key];
  const b = base.load[key];
  if (a === null || a === undefined) return null;
  if (b === null || b === undefined || b === 0) return key === 'throughput' && a > 0 ? Infinity : null;
  return a / b;
}

function ratioTarget(sapper, base, key, ok) {
  const r = ratio(sapper, base, key);
  if (r === null) return { shown: 'n/a', pass: false };
  return { shown: fmtRatio(r), pass: ok(r) };
}

export function fmtRatio(r) {
  if (r === null) return 'n/a';
  if (r === Infinity) return '∞ (baseline served 0)';
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

const int = (n) => (n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));
const ms = (n) => (n === null || n === undefined ? '–' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const mib = (b) => (b ? (b / 1048576).toFixed(0) : '–');
const upCores = (cpu) =>
  cpu?.gatewayCores == null || cpu?.gatewayProcessCores == null ? '–' : cpu.gatewayCores - cpu.gatewayProcessCores < 0.005 ? '–' : (cpu.gatewayCores - cpu.gatewayProcessCores).toFixed(2);
const cores = (c) => (c === null || c === undefined ? '–' : c.toFixed(2));

export function evaluate(cells, levels) {
  const get = (u, g, n) => cells.find((c) => c.upstream === u && c.gateway === g && c.sessions === n);
  return TARGETS.map((t) => {
    const per = levels.map((n) => t.eval(get, n));
    return { id: t.id, text: t.text, per, pass: per.every((x) => x.pass) };
  });
}

export function renderMarkdown(run) {
  const { cells, config } = run;
  const levels = config.levels;
  const get = (u, g, n) => cells.find((c) => c.upstream === u && c.gateway === g && c.sessions === n);
  const L = [];
  const m = run.machine;
  L.push(
    `Run ${run.startedAt}: ${m.cpus} × ${m.cpuModel}, ${m.memTotalGiB} GiB, Linux ${m.kernel}, Node ${m.node}; ` +
      `Sapper ${run.versions.sapper}; ${config.rounds} round(s) of ${config.warmupMs / 1000} s warm-up + ${config.durationMs / 1000} s window per cell ` +
      `(median round by req/s shown; failures summed over rounds).`,
  );
  L.push('');
  L.push('#### Ratios (Sapper ÷ baseline measured in the same run)');
  L.push('');
  L.push('| sessions | echo: Sapper/mcp-proxy req/s (≥1.5) | echo: Sapper/ceiling req/s (≥0.5) | everything: Sapper/supergateway req/s (≥10) | everything: Sapper/direct p50 (≤1.3) | Sapper failed requests (echo / everything) |');
  L.push('|---:|---:|---:|---:|---:|---:|');
  const targets = evaluate(cells, levels);
  levels.forEach((n, i) => {
    const row = [n.toLocaleString('en-US')];
    for (const t of targets.slice(1)) row.push(`${t.per[i].shown} ${t.per[i].pass ? '✅' : '❌'}`);
    row.push(`${targets[0].per[i].shown} ${targets[0].per[i].pass ? '✅' : '❌'}`);
    L.push(`| ${row.join(' | ')} |`);
  });
  L.push('');
  L.push('#### Targets');
  L.push('');
  L.push(`| target | ${levels.map((n) => n.toLocaleString('en-US')).join(' | ')} | result |`);
  L.push(`|---|${levels.map(() => '---:').join('|')}|:---:|`);
  for (const t of targets) L.push(`| ${t.text} | ${t.per.map((x) => x.shown).join(' | ')} | **${t.pass ? 'PASS' : 'FAIL'}** |`);
  // Context for a noisy machine: CPU spent per completed call by each gateway's process tree.
  // Throughput ratios move with whatever else the machine runs; CPU per call mostly does not.
  const cpuRatio = (u, peer, n) => {
    const s = get(u, 'sapper', n)?.cpu?.cpuUsPerCall;
    const b = get(u, peer, n)?.cpu?.cpuUsPerCall;
    return s && b ? `${(b / s).toFixed(2)}×` : 'n/a';
  };
  L.push('');
  L.push('#### CPU cost per call, baseline ÷ Sapper (higher = Sapper cheaper; robust to machine noise)');
  L.push('');
  L.push('| sessions | echo: mcp-proxy | echo: supergateway | echo: ceiling | everything: mcp-proxy | everything: supergateway | everything: direct |');
  L.push('|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of levels) {
    L.push(`| ${n.toLocaleString('en-US')} | ${cpuRatio('echo', 'mcp-proxy', n)} | ${cpuRatio('echo', 'supergateway', n)} | ${cpuRatio('echo', 'ceiling', n)} | ${cpuRatio('everything', 'mcp-proxy', n)} | ${cpuRatio('everything', 'supergateway', n)} | ${cpuRatio('everything', 'direct', n)} |`);
  }
  for (const up of config.upstreams) {
    L.push('');
    L.push(`#### Raw numbers: ${up === 'echo' ? 'minimal echo upstream' : 'server-everything upstream'}`);
    L.push('');
    L.push('| gateway | sessions | sessions up | failed requests | req/s | req/s by round | p50 ms | p99 ms | CPU µs per call | gateway RSS MiB | tree PSS MiB | CPU cores: gateway process / its upstreams / load gen / other | notes |');
    L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const g of config.gateways) {
      for (const n of levels) {
        const c = get(up, g, n);
        if (!c) continue;
        if (!c.load) {
          const dashes = Array(8).fill('–').join(' | ');
          if (c.skipped || c.error) L.push(`| ${g} | ${n} | – | ${c.error ? int(n) : '–'} | ${dashes} | ${c.skipped ? `skipped: ${c.skipped}` : c.error} |`);
          continue;
        }
        if (c.skipped) {
          L.push(`| ${g} | ${n} | – | – | – | – | – | – | – | – | – | – | skipped: ${c.skipped} |`);
          continue;
        }
        const l = c.load ?? {};
        const notes = [];
        if (c.error) notes.push(c.error);
        if (c.aborted) notes.push(c.aborted);
        const kinds = { ...(l.initFailures ?? {}), ...(l.failures ?? {}) };
        if (Object.keys(kinds).length) notes.push(Object.entries(kinds).map(([k, v]) => `${k}: ${int(v)}`).join(', '));
        L.push(
          `| ${g} | ${n} | ${int(l.sessionsOk)} | ${int(l.failedRequests)} | ${int(l.throughput)} | ${(c.throughputByRound ?? []).map(int).join(' / ')} | ${ms(l.p50Ms)} | ${ms(l.p99Ms)} | ${int(c.cpu?.cpuUsPerCall)} | ${mib(c.mem?.gatewayRssPeak)} | ${mib(c.mem?.treePssPeak)}${c.mem?.treeProcsPeak > 2 ? ` (${c.mem.treeProcsPeak} procs)` : ''} | ${cores(c.cpu?.gatewayProcessCores)} / ${upCores(c.cpu)} / ${cores(l.loadGenCores)} / ${cores(c.cpu?.otherCores)} | ${notes.join('; ')} |`,
        );
      }
    }
  }
  return L.join('\n');
}
