#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (from `node bench/run.mjs --profile`, which runs Sapper with
// --cpu-prof): self time by area (Sapper's own modules, each dependency, Node internals, GC, idle)
// and the top functions by self time.
//
//   node bench/profile-summary.mjs bench/results/logs/<run>/profiles/<cell>/*.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
if (positionals.length === 0) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N]');
  process.exit(2);
}

function area(url, name) {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return '(program: native, not attributed)';
  if (!url) return `native/builtin`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = /\/dist\/(.+)$/.exec(url);
  if (m) return `sapper: ${m[1]}`;
  return url;
}

for (const file of positionals) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map(); // node id -> microseconds
  const { samples, timeDeltas } = prof;
  for (let i = 0; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const busy = total - [...self.entries()].filter(([id]) => byId.get(id).callFrame.functionName === '(idle)').reduce((a, [, v]) => a + v, 0);
  const areas = new Map();
  const fns = new Map();
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    const a = area(cf.url, cf.functionName);
    areas.set(a, (areas.get(a) ?? 0) + us);
    if (a === 'idle') continue;
    const key = `${cf.functionName || '(anonymous)'}  ${cf.url ? cf.url.replace(/^.*\/(node_modules|dist)\//, '$1/') : ''}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const pct = (us, of) => `${((100 * us) / of).toFixed(1).padStart(5)}%`;
  console.log(`\n${file}\n  sampled ${(total / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (${pct(busy, total).trim()})`);
  console.log('\n  self time by area (% of busy):');
  for (const [a, us] of [...areas].filter(([a]) => a !== 'idle').sort((x, y) => y[1] - x[1]).slice(0, 20)) console.log(`    ${pct(us, busy)}  ${a}`);
  console.log(`\n  top ${values.top} functions by self time (% of busy):`);
  for (const [k, us] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, Number(values.top))) console.log(`    ${pct(us, busy)}  ${k}`);
}
