// The scanner runs a rule only where its gate's words occur (and, in long text, only within a few
// hundred characters of them): that is sound only if every match holds its gate's words and is
// short. These checks hold the rule file to it over every text unit of the evaluation fixtures, and
// over the hidden text the detectors decode from them.
import { beforeAll, describe, expect, it } from "vitest";
import { collectText, listDefinitions } from "../../src/guard/definition-text.js";
import { loadRuleSet, type CompiledDetectorRule, type CompiledRegexRule } from "../../src/guard/rule-set.js";
import { asRulesRead, everyFixtureDefinition } from "../helpers/poisoning-fixtures.mjs";

const rules = loadRuleSet();

// Every set's definitions: the labelled set, and each holdout's poisoned and benign ones.
const units = everyFixtureDefinition().flatMap((d) => listDefinitions(d).flatMap((e) => collectText(e.ref, e.definition)));
// What the detectors decode (hidden, encoded or padded-away text) is read by the prose rules too, under the same gates.
const detectors = rules.rules.filter((r): r is CompiledDetectorRule => r.kind !== "regex");
const decoded = units.flatMap((u) =>
  detectors.flatMap((r) => r.detect(u.text, r.params, { confusables: rules.confusables }).flatMap((hit) => (hit.decoded ? [hit.decoded] : []))),
);
// Text as each role's rules see it: identifiers with `_`/`-` read as spaces; each distinct text once.
const texts = [...new Set([...units.map(asRulesRead), ...decoded])];

/**
 * Every match of a rule in a text, widened to whole words at both ends: the gate pass reads a text's words whole, so a
 * match that ends inside a word ("system prompt" of "system prompts") needs the gate to know the whole word.
 */
function matches(re: RegExp, text: string): string[] {
  const out: string[] = [];
  const wordChar = (i: number) => i >= 0 && i < text.length && /[a-z0-9]/i.test(text[i]!);
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    let from = m.index;
    let to = m.index + m[0].length;
    while (wordChar(from - 1) && wordChar(from)) from--;
    while (wordChar(to) && wordChar(to - 1)) to++;
    out.push(text.slice(from, to));
  }
  return out;
}

// Every gated or windowed rule over every distinct fixture text (120,000 of them, two of 100,000 characters), once for
// both checks: two to three minutes, more on a loaded machine, and growing with the sets.
const EVERY_TEXT_TIMEOUT = 600_000;

describe("rule gates", () => {
  const found: Array<{ rule: CompiledRegexRule; match: string }> = [];
  beforeAll(() => {
    for (const rule of rules.rules) {
      if (rule.kind !== "regex" || (!rule.gate && !rule.windowed)) continue;
      for (const text of texts) for (const match of matches(rule.regex, text)) found.push({ rule, match });
    }
  }, EVERY_TEXT_TIMEOUT);

  it("hold within every match: each match of a gated rule has the words its gate needs", () => {
    const violations = found.filter(({ rule, match }) => rule.gate && !rule.gate.test(rules.gates.evaluate(match.toLowerCase())));
    expect(violations.map(({ rule, match }) => `${rule.id}: "${match.slice(0, 80)}"`)).toEqual([]);
    // The fixtures are read: the rules match thousands of times in them.
    expect(found.length).toBeGreaterThan(1000);
  });

  it("leave matches short enough to be found near the words that let a rule run (400 characters)", () => {
    const long = found.filter(({ rule, match }) => rule.windowed && match.length > 400);
    expect(long.map(({ rule, match }) => `${rule.id}: ${match.length}`)).toEqual([]);
  });
});
