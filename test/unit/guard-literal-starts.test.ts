// Rules run only where a match can start: at a word with one of their start words
// (start-words.ts startPrefixes) or, in text the scanner would otherwise search whole, where one of
// the literals read from their pattern occurs (literalStarts), or where a line starts
// (startsAtLines). That is sound only if every match starts there: checked here on patterns and on
// the rule file.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { collectText, listDefinitions } from "../../src/guard/definition-text.js";
import { loadRuleSet } from "../../src/guard/rule-set.js";
import { literalStarts, startPrefixes, startsAtLines } from "../../src/guard/start-words.js";
import type { UpstreamDefinitions } from "../../src/guard/tool-guard.js";

const sorted = (starts: ReturnType<typeof literalStarts>) => starts && { words: [...starts.words].sort(), exact: [...starts.exact].sort(), substrings: [...starts.substrings].sort() };

describe("start words", () => {
  it("are the words each alternative begins with, whole unless a quantifier follows their last letter", () => {
    expect(startPrefixes(String.raw`\b(?:when|if|tool)\b\s+x`)).toEqual(["when", "if", "tool"]);
    expect(startPrefixes(String.raw`\bcolou?r|\bas`)).toEqual(["colo", "as"]);
    expect(startPrefixes(String.raw`\bfoo|bar`)).toBeUndefined();
  });
});

describe("line starts", () => {
  it("hold for a multiline pattern whose every alternative begins with ^", () => {
    expect(startsAtLines(String.raw`^foo$|^[ \t]*bar`, "gim")).toBe(true);
    expect(startsAtLines(String.raw`^foo$|bar`, "gim")).toBe(false);
    expect(startsAtLines(String.raw`^foo$`, "gi")).toBe(false);
  });
});

describe("literal starts", () => {
  it("reads words after \\b and literals anywhere, through optional parts and groups", () => {
    expect(sorted(literalStarts(String.raw`\b(?:read|open)s?\s+the`))).toEqual({ words: [], exact: ["open", "opens", "read", "reads"], substrings: [] });
    expect(sorted(literalStarts(String.raw`~?\/?\.ssh\b`))).toEqual({ words: [], exact: [], substrings: [".ssh", "/.ssh", "~.ssh", "~/.ssh"] });
    expect(sorted(literalStarts(String.raw`(?<![\w/.-])\.(?:env|npmrc)\b|<!--`))).toEqual({ words: [], exact: [], substrings: [".env", ".npmrc", "<!--"] });
    expect(sorted(literalStarts(String.raw`\bAPI[-_ ]?KEY|\b-x`))).toEqual({ words: ["api"], exact: [], substrings: ["-x"] });
  });

  it("reads a start word as whole where the pattern ends the word: \\b, a space, \\s or a class of no letters", () => {
    expect(sorted(literalStarts(String.raw`\b(?:use|call)(?:s|d)?\b`))).toEqual({ words: [], exact: ["call", "calld", "calls", "use", "used", "uses"], substrings: [] });
    expect(sorted(literalStarts(String.raw`\bthe[\s_-]+x|\bto(?=\s)|\bsend\w*`))).toEqual({ words: ["send", "to"], exact: ["the"], substrings: [] });
    expect(sorted(literalStarts(String.raw`\bfoo[a-z]|\bbar[-x]`))).toEqual({ words: ["bar", "foo"], exact: [], substrings: [] });
    // The word pass reads [a-z0-9] only: "añadir" is the words "a" and "adir" to it.
    expect(sorted(literalStarts("\\b(?:a\u00f1adir|f\u00fcge)"))).toEqual({ words: [], exact: ["a", "f"], substrings: [] });
  });

  it("stops a literal where a repetition or a class begins", () => {
    expect(sorted(literalStarts(String.raw`(?:ab)+c`))).toEqual({ words: [], exact: [], substrings: ["ab"] });
    expect(sorted(literalStarts(String.raw`xy*z`))).toEqual({ words: [], exact: [], substrings: ["xy", "xz"] });
    expect(sorted(literalStarts(String.raw`foo\d+`))).toEqual({ words: [], exact: [], substrings: ["foo"] });
    expect(sorted(literalStarts(String.raw`foo(?=bar)`))).toEqual({ words: [], exact: [], substrings: ["foo"] });
  });

  it("reads on past a look-around, which reads no character (a bare `.` would be a start at every full stop)", () => {
    expect(sorted(literalStarts(String.raw`\.(?<![\w-]\.)(?:azure|kube)(?![\w.-])`))).toEqual({ words: [], exact: [], substrings: [".azure", ".kube"] });
    expect(sorted(literalStarts(String.raw`\bto(?!day)ward`))).toEqual({ words: ["toward"], exact: [], substrings: [] });
    expect(sorted(literalStarts(String.raw`\bto(?=\s)\s+x`))).toEqual({ words: [], exact: ["to"], substrings: [] });
  });

  it("gives nothing when a match could start anywhere or be empty", () => {
    expect(literalStarts(String.raw`[a-z]+@x`)).toBeUndefined();
    expect(literalStarts(String.raw`\bfoo|\w+bar`)).toBeUndefined();
    expect(literalStarts(String.raw`(?:abc)?`)).toBeUndefined();
    expect(literalStarts(String.raw`^\s*#`)).toBeUndefined();
  });

  it("keeps to ASCII: a literal ends before any other character", () => {
    expect(sorted(literalStarts("ab\u00e9c|\u5ffd\u7565"))).toBeUndefined();
    expect(sorted(literalStarts("ab\u00e9c"))).toEqual({ words: [], exact: [], substrings: ["ab"] });
  });

  it("hold for the rule file: every place a rule matches in the fixtures starts with one of its start words or literals", () => {
    const rules = loadRuleSet();
    const root = new URL("../fixtures/poisoning/", import.meta.url);
    const texts = new Set<string>();
    for (const dir of ["benign/", "poisoned/", "holdout-v2/benign/", "holdout-v2/poisoned/", "holdout-v2/unseen/"]) {
      for (const file of readdirSync(new URL(dir, root))) {
        const d = JSON.parse(readFileSync(new URL(dir + file, root), "utf8")) as UpstreamDefinitions & { cases?: Array<{ tool?: unknown; prompt?: unknown }> };
        const defs: UpstreamDefinitions[] = d.cases ? d.cases.map((c) => ({ tools: c.tool ? [c.tool as never] : [], prompts: c.prompt ? [c.prompt as never] : [], resourceTemplates: [] })) : [d];
        for (const def of defs) for (const e of listDefinitions(def)) for (const u of collectText(e.ref, e.definition)) texts.add(u.role === "prose" ? u.text : u.text.replace(/[_-]/g, " "));
      }
    }
    const missed: string[] = [];
    let checked = 0;
    for (const rule of rules.rules) {
      if (rule.kind !== "regex") continue;
      // As the rule set compiles them: start words read closer by the literals where they can be.
      const prefixes = startPrefixes(rule.regex.source);
      const literals = literalStarts(rule.regex.source);
      const starts = prefixes ? (literals && literals.substrings.length === 0 ? literals : { words: prefixes, exact: [], substrings: [] }) : literals;
      if (!starts) continue;
      const sticky = new RegExp(rule.regex.source, `${rule.regex.flags.replace("g", "")}y`);
      for (const text of texts) {
        rule.regex.lastIndex = 0;
        if (!rule.regex.test(text)) continue;
        const lower = text.toLowerCase();
        for (let at = 0; at < text.length; at++) {
          sticky.lastIndex = at;
          if (!sticky.test(text)) continue;
          checked++;
          const atWord = at === 0 || !/[a-z0-9]/.test(lower[at - 1]!);
          const word = /^[a-z0-9]+/.exec(lower.slice(at))?.[0] ?? "";
          const wordStarts = atWord && (starts.words.some((w) => word.startsWith(w)) || starts.exact.includes(word));
          if (!starts.substrings.some((s) => lower.startsWith(s, at)) && !wordStarts) missed.push(`${rule.id}: "${text.slice(at, at + 60)}"`);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(missed).toEqual([]);
  });

  it("hold for the rule file's line-start rules: every place one matches in the fixtures starts a line", () => {
    const rules = loadRuleSet().rules.filter((r) => r.kind === "regex" && startsAtLines(r.regex.source, r.regex.flags));
    expect(rules.length).toBeGreaterThan(0);
    const root = new URL("../fixtures/poisoning/", import.meta.url);
    const missed: string[] = [];
    for (const dir of ["benign/", "poisoned/"]) {
      for (const file of readdirSync(new URL(dir, root))) {
        const d = JSON.parse(readFileSync(new URL(dir + file, root), "utf8")) as UpstreamDefinitions & { cases?: Array<{ tool?: unknown }> };
        const defs: UpstreamDefinitions[] = d.cases ? d.cases.map((c) => ({ tools: c.tool ? [c.tool as never] : [], prompts: [], resourceTemplates: [] })) : [d];
        // Keys joined as the scanner joins them, so that lines of several fields are read together.
        const text = defs.flatMap((def) => listDefinitions(def).flatMap((e) => collectText(e.ref, e.definition).map((u) => u.text.replace(/[_-]/g, " ")))).join("\n\n");
        for (const rule of rules) {
          if (rule.kind !== "regex") continue;
          rule.regex.lastIndex = 0;
          for (let m = rule.regex.exec(text); m !== null; m = rule.regex.exec(text)) {
            if (m[0].length === 0) rule.regex.lastIndex++;
            if (m.index > 0 && !"\n\r\u2028\u2029".includes(text[m.index - 1]!)) missed.push(`${rule.id}: "${m[0].slice(0, 60)}"`);
          }
        }
      }
    }
    expect(missed).toEqual([]);
  });
});

describe("rules searched whole", () => {
  it("are only the known few: a macro that loses its start words or literals makes every rule using it search all text", () => {
    const whole = loadRuleSet().rules.filter((r) => r.kind === "regex" && !r.start && !r.lineStarts).map((r) => r.id);
    // Non-Latin scripts (no \b to start at), case-sensitive headers and markers, and look-behind starts.
    expect(whole).toEqual(["HI-002", "HI-003", "EX-040", "EX-041", "HI-024", "ST-009", "EX-019", "EX-020", "SH-018", "SH-025", "SH-027", "HI-028", "HI-026", "HI-040", "HI-046", "HI-048", "HI-054", "HI-043", "HI-039", "EX-029", "ST-017", "ST-024", "ST-026", "ST-027", "ST-029", "EX-055", "EX-058"]);
  });
});
