// The scanner runs a rule only where its gate's words occur (and, in long text, only within a few
// hundred characters of them): that is sound only if every match holds its gate's words and is
// short. These checks hold the rule file to it over every text unit of the evaluation fixtures, and
// over the hidden text the detectors decode from them.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { collectText, listDefinitions } from "../../src/guard/definition-text.js";
import { loadRuleSet, type CompiledDetectorRule } from "../../src/guard/rule-set.js";
import type { UpstreamDefinitions } from "../../src/guard/tool-guard.js";

const root = new URL("../fixtures/poisoning/", import.meta.url);
const rules = loadRuleSet();

interface Case {
  tool?: Record<string, unknown>;
  prompt?: Record<string, unknown>;
  resourceTemplate?: Record<string, unknown>;
  server?: { instructions: string };
}

function definitionsIn(dir: string): UpstreamDefinitions[] {
  const url = new URL(dir, root);
  return readdirSync(url).map((file) => {
    const d = JSON.parse(readFileSync(new URL(file, url), "utf8")) as UpstreamDefinitions & { cases?: Case[] };
    if (!d.cases) return [d];
    return d.cases.map((c) => ({
      ...(c.server ? { instructions: c.server.instructions } : {}),
      tools: c.tool ? [c.tool as never] : [],
      prompts: c.prompt ? [c.prompt as never] : [],
      resourceTemplates: c.resourceTemplate ? [c.resourceTemplate as never] : [],
    }));
  }).flat();
}

// Every set's definitions: the labelled set, and each holdout's poisoned and benign ones.
const dirs = readdirSync(root).flatMap((set) =>
  set === "poisoned" || set === "benign" ? [`${set}/`] : readdirSync(new URL(`${set}/`, root)).filter((d) => !d.endsWith(".md")).map((d) => `${set}/${d}/`),
);
const units = dirs.flatMap(definitionsIn).flatMap((d) => listDefinitions(d).flatMap((e) => collectText(e.ref, e.definition)));
// What the detectors decode (hidden, encoded or padded-away text) is read by the prose rules too, under the same gates.
const detectors = rules.rules.filter((r): r is CompiledDetectorRule => r.kind !== "regex");
const decoded = units.flatMap((u) =>
  detectors.flatMap((r) => r.detect(u.text, r.params, { confusables: rules.confusables }).flatMap((hit) => (hit.decoded ? [hit.decoded] : []))),
);
// Text as each role's rules see it: identifiers with `_`/`-` read as spaces.
const texts = [...units.map((u) => (u.role === "prose" ? u.text : u.text.replace(/[_-]/g, " "))), ...decoded];

function matches(re: RegExp, text: string): string[] {
  const out: string[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) re.lastIndex++;
    else out.push(m[0]);
  }
  return out;
}

// Every rule over every fixture text: tens of seconds, more on a loaded machine, and growing with the sets.
const EVERY_TEXT_TIMEOUT = 180_000;

describe("rule gates", () => {
  it("hold within every match: each match of a gated rule has the words its gate needs", () => {
    const violations: string[] = [];
    for (const rule of rules.rules) {
      if (rule.kind !== "regex" || !rule.gate) continue;
      for (const text of texts) {
        for (const m of matches(rule.regex, text)) {
          if (!rule.gate.test(rules.gates.evaluate(m.toLowerCase()))) violations.push(`${rule.id}: "${m.slice(0, 80)}"`);
        }
      }
    }
    expect(violations).toEqual([]);
  }, EVERY_TEXT_TIMEOUT);

  it("leave matches short enough to be found near the words that let a rule run (400 characters)", () => {
    const long: string[] = [];
    for (const rule of rules.rules) {
      if (rule.kind !== "regex" || !rule.windowed) continue;
      for (const text of texts) for (const m of matches(rule.regex, text)) if (m.length > 400) long.push(`${rule.id}: ${m.length}`);
    }
    expect(long).toEqual([]);
  }, EVERY_TEXT_TIMEOUT);
});
