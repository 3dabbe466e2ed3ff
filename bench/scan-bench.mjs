// Scanner cost: 1,000 real tool definitions (the labelled set's benign and poisoned tools, cycled),
// scanned as one upstream's list, against JSON.stringify of the same definitions in the same run;
// the official reference servers' tools the same way; and every real benign definition of every set.
// Usage: npm run build && node bench/scan-bench.mjs [--rounds N]   (any node binary: the lines name its version)
import { createScanner } from "../dist/guard/scanner.js";
import { fixtureFiles, serverDefinitions } from "../test/helpers/poisoning-fixtures.mjs";

const files = fixtureFiles();
const all = [];
const reference = [];
for (const { set, part, data } of files) {
  if (set !== "labelled") continue;
  if (part === "benign") {
    all.push(...data.tools);
    if (data.source.publisher === "reference") reference.push(...data.tools);
  } else if (part === "poisoned") for (const c of data.cases) if (c.tool) all.push(c.tool);
}
// Every real benign definition of every set (labelled set and holdouts), each server's list scanned as
// one upstream: distinct definitions, none repeated; reported per 1,000 definitions.
const servers = files.filter((f) => f.part === "benign").map((f) => serverDefinitions(f.data));
/** Each server's size as JSON, measured once. */
const serverBytes = servers.map((s) => JSON.stringify(s).length);
const realCount = servers.reduce((n, s) => n + s.tools.length + s.prompts.length + s.resourceTemplates.length + (s.instructions ? 1 : 0), 0);
const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1]) || 20;
const scanner = createScanner();

const time = (fn) => {
  for (let i = 0; i < 3; i++) fn();
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[samples.length >> 1], min: samples[0] };
};
// Two corpora: every real and poisoned tool of the labelled set (third-party servers with multi-KB
// descriptions included), and the official reference servers' tools alone.
for (const [corpus, tools] of [["labelled set", all], ["reference servers", reference]]) {
  const defs = Array.from({ length: 1000 }, (_, i) => tools[i % tools.length]);
  const list = { tools: defs, prompts: [], resourceTemplates: [] };
  const scan = time(() => scanner.scan(list));
  const baseline = time(() => JSON.stringify(defs));
  console.log(
    JSON.stringify({
      corpus,
      node: process.version,
      definitions: defs.length,
      jsonBytes: JSON.stringify(defs).length,
      scanMs: { median: +scan.median.toFixed(2), min: +scan.min.toFixed(2) },
      stringifyMs: { median: +baseline.median.toFixed(2), min: +baseline.min.toFixed(2) },
      ratio: +(scan.median / baseline.median).toFixed(1),
      budgetMs: 50,
      withinBudget: scan.median < 50,
    }),
  );
}
{
  const scan = time(() => { for (const s of servers) scanner.scan(s); });
  const baseline = time(() => { for (const s of servers) JSON.stringify(s); });
  const per1000 = (ms) => +((ms * 1000) / realCount).toFixed(2);
  console.log(
    JSON.stringify({
      corpus: "every real benign definition, server by server",
      node: process.version,
      definitions: realCount,
      servers: servers.length,
      jsonBytes: serverBytes.reduce((n, bytes) => n + bytes, 0),
      scanMsPer1000: { median: per1000(scan.median), min: per1000(scan.min) },
      stringifyMsPer1000: { median: per1000(baseline.median), min: per1000(baseline.min) },
      ratio: +(scan.median / baseline.median).toFixed(1),
      budgetMs: 50,
      withinBudget: per1000(scan.median) < 50,
    }),
  );
}
// The gateway scans an upstream with scanYielding: the longest the event loop waits while the largest
// real server's list is scanned, against the same list scanned in one go (scan), in the same run.
{
  const largestAt = serverBytes.indexOf(Math.max(...serverBytes));
  const largest = servers[largestAt];
  const longestWait = async (scanning) => {
    let last = performance.now();
    let longest = 0;
    let ticking = true;
    const tick = () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    await new Promise((r) => setImmediate(r));
    const t = performance.now();
    await scanning();
    const total = performance.now() - t;
    ticking = false;
    await new Promise((r) => setImmediate(r));
    return { longest, total };
  };
  const samples = { scan: [], scanYielding: [] };
  for (let i = 0; i < Math.max(3, rounds >> 1); i++) {
    samples.scan.push(await longestWait(async () => scanner.scan(largest)));
    samples.scanYielding.push(await longestWait(() => scanner.scanYielding(largest)));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const of = (k) => ({ longestWaitMs: +median(samples[k].map((s) => s.longest)).toFixed(2), totalMs: +median(samples[k].map((s) => s.total)).toFixed(2) });
  const sync = of("scan");
  const sliced = of("scanYielding");
  console.log(
    JSON.stringify({
      corpus: "largest real server, event loop while scanning",
      node: process.version,
      definitions: largest.tools.length + largest.prompts.length + largest.resourceTemplates.length + (largest.instructions ? 1 : 0),
      jsonBytes: serverBytes[largestAt],
      scan: sync,
      scanYielding: sliced,
      longestWaitRatio: +(sliced.longestWaitMs / sync.longestWaitMs).toFixed(3),
      totalRatio: +(sliced.totalMs / sync.totalMs).toFixed(3),
    }),
  );
}
