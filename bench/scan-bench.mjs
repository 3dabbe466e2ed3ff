// Scanner cost: 1,000 real tool definitions (the labelled set's benign and poisoned tools, cycled),
// scanned as one upstream's list, against JSON.stringify of the same definitions in the same run.
// Usage: npm run build && node bench/scan-bench.mjs [--rounds N]
import { readdirSync, readFileSync } from "node:fs";
import { createScanner } from "../dist/guard/scanner.js";

const root = new URL("../test/fixtures/poisoning/", import.meta.url);
const all = [];
const reference = [];
for (const f of readdirSync(new URL("benign/", root))) {
  const d = JSON.parse(readFileSync(new URL(`benign/${f}`, root), "utf8"));
  all.push(...d.tools);
  if (d.source.publisher === "reference") reference.push(...d.tools);
}
for (const f of readdirSync(new URL("poisoned/", root))) for (const c of JSON.parse(readFileSync(new URL(`poisoned/${f}`, root), "utf8")).cases) if (c.tool) all.push(c.tool);
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
