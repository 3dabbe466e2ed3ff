// The poisoning scanner: runs the compiled rules over every piece of text in an upstream's
// instructions, tools, prompts and resource templates, and reports each finding with its span.
// Cost matters (it runs on every connect and list_changed): a definition's text is joined into a
// few channels so each rule runs once per definition, and cheap word gates skip rules that cannot
// match.
import { collectText, definitionLabel, listDefinitions, type DefinitionRef, type TextUnit } from "./definition-text.js";
import { loadRuleSet, type CompiledDetectorRule, type CompiledRegexRule, type CompiledRule, type Family, type RuleSet } from "./rule-set.js";
import type { Severity } from "./severity.js";
import { charClasses, visible, type DetectorContext } from "./text-detectors.js";
import type { UpstreamDefinitions } from "./tool-guard.js";

export interface Finding {
  definition: DefinitionRef;
  /** The definition as named in reports: tool name, `prompt:NAME`, `resource-template:NAME` or `(instructions)`. */
  tool: string;
  rule: string;
  family: Family;
  severity: Severity;
  /** Where in the definition, e.g. `inputSchema.properties.x.description`. */
  path: string;
  /** UTF-16 offsets of the match in the text at `path`. */
  span: { start: number; end: number };
  /** The matched text with hidden characters made visible. */
  excerpt: string;
  /** One line: what the rule means and what was found (hidden text decoded). */
  message: string;
}

export interface Scanner {
  readonly rules: RuleSet;
  /** Scans everything an upstream exposes; tool and prompt names of the same upstream count as its own. */
  scan(definitions: UpstreamDefinitions): Finding[];
  /** Scans one definition of an upstream whose own tool and prompt names are `ownNames`. */
  scanDefinition(ref: DefinitionRef, definition: unknown, ownNames: OwnNames): Finding[];
}

export interface ScannerOptions {
  rules?: RuleSet;
  /** Rule ids never applied. */
  ignoreRules?: Iterable<string>;
}

export interface OwnNames {
  /** Tool and prompt names, lower case, '-' and '.' as '_'. */
  names: ReadonlySet<string>;
  /** The words of those names: "search" is this server's own word when it has "brave_web_search". */
  tokens: ReadonlySet<string>;
}

const EXCERPT_CHARS = 120;
const SEPARATOR = "\n\n";
const LONG_TOKEN = /[a-z0-9]{12,}/g;

type ChannelName = "prose" | "proseArgs" | "key" | "keyArgs" | "name";

/** Units of one role joined by a blank line (rules never match across one), with each unit's offset. */
interface Channel {
  text: string;
  starts: number[];
  units: TextUnit[];
}

export function ownNamesOf(defs: UpstreamDefinitions): OwnNames {
  const names = new Set<string>();
  const tokens = new Set<string>();
  for (const d of [...defs.tools, ...defs.prompts]) {
    const n = String(d.name).toLowerCase().replace(/[-.]/g, "_");
    names.add(n);
    for (const t of n.split(/[_/:\s]+/)) if (t) tokens.add(t);
  }
  return { names, tokens };
}

export function createScanner(options: ScannerOptions = {}): Scanner {
  const ruleSet = options.rules ?? loadRuleSet();
  const ignored = new Set(options.ignoreRules ?? []);
  const rules = ruleSet.rules.filter((r) => !ignored.has(r.id));
  const regexRules = rules.filter((r): r is CompiledRegexRule => r.kind === "regex");
  const detectorRules = rules.filter((r): r is CompiledDetectorRule => r.kind !== "regex");
  const proseRegexRules = regexRules.filter((r) => r.roles.has("prose"));
  const detectorCtx: DetectorContext = { confusables: ruleSet.confusables };

  function isForeignTool(name: string | undefined, own: OwnNames): boolean {
    if (!name) return false;
    const n = name.toLowerCase();
    if (ruleSet.foreignAlways.has(n)) return true;
    if (ruleSet.foreignNever.has(n)) return false;
    const normalized = n.replace(/[-.]/g, "_");
    return !own.names.has(normalized) && !own.tokens.has(normalized);
  }

  function firstMatch(rule: CompiledRegexRule, text: string, own: OwnNames, accept: (start: number, end: number) => boolean): RegExpExecArray | undefined {
    rule.regex.lastIndex = 0;
    for (let m = rule.regex.exec(text); m !== null; m = rule.regex.exec(text)) {
      if (m[0].length === 0) rule.regex.lastIndex++;
      else if ((!rule.foreignToolOnly || isForeignTool(toolNamed(m), own)) && accept(m.index, m.index + m[0].length)) return m;
    }
    return undefined;
  }

  function scanDefinition(ref: DefinitionRef, definition: unknown, own: OwnNames): Finding[] {
    const units = collectText(ref, definition);
    if (units.length === 0) return [];
    const out: Finding[] = [];
    const reported = new Set<string>();
    const report = (rule: CompiledRule, unit: TextUnit, start: number, end: number, excerpt: string, detail: string, key = rule.id) => {
      const k = `${key}\u0000${unit.path}`;
      if (reported.has(k)) return;
      reported.add(k);
      out.push(finding(ref, rule, unit.path, start, end, excerpt, detail));
    };

    const lower = units.map((u) => u.text).join("\n").toLowerCase();
    const gateState = ruleSet.gates.evaluate(lower);
    const channels = new Map<ChannelName, Channel>();
    const channel = (name: ChannelName): Channel => {
      let c = channels.get(name);
      if (!c) {
        c = buildChannel(units.filter((u) => inChannel(u, name)), name === "prose" || name === "proseArgs");
        channels.set(name, c);
      }
      return c;
    };

    for (const rule of regexRules) {
      if (rule.gate && !rule.gate(gateState)) continue;
      for (const name of channelsFor(rule)) {
        const c = channel(name);
        if (c.units.length === 0) continue;
        let unit: TextUnit | undefined;
        let offset = 0;
        const m = firstMatch(rule, c.text, own, (start, end) => {
          const i = unitAt(c.starts, start);
          unit = c.units[i]!;
          offset = c.starts[i]!;
          return end <= offset + unit.text.length && (!rule.path || rule.path.test(unit.path)); // never across two fields
        });
        if (m && unit) report(rule, unit, m.index - offset, m.index - offset + m[0].length, m[0], `"${visible(m[0], EXCERPT_CHARS)}"`);
      }
    }

    let longMixedToken: boolean | undefined;
    for (const unit of units) {
      const classes = charClasses(unit.text);
      for (const rule of detectorRules) {
        if (!rule.roles.has(unit.role) || (rule.argumentsOnly && !unit.inArguments)) continue;
        if ((rule.needs & classes) !== rule.needs) continue;
        if (rule.kind === "base64" || rule.kind === "hex") {
          longMixedToken ??= hasLongMixedToken(lower);
          if (!longMixedToken) continue;
        }
        for (const hit of rule.detect(unit.text, rule.params, detectorCtx)) {
          report(rule, unit, hit.start, hit.end, unit.text.slice(hit.start, hit.end), hit.detail);
          // What was hidden or encoded is text the model reads: the language rules judge it too.
          if (!hit.decoded) continue;
          for (const inner of proseRegexRules) {
            const m = firstMatch(inner, hit.decoded, own, () => !inner.path || inner.path.test(unit.path));
            if (m) report(inner, unit, hit.start, hit.end, m[0], `in hidden text "${visible(m[0], EXCERPT_CHARS)}"`, `${inner.id}:hidden`);
          }
        }
      }
    }
    return out;
  }

  return {
    rules: ruleSet,
    scanDefinition,
    scan(definitions) {
      const own = ownNamesOf(definitions);
      const out: Finding[] = [];
      for (const entry of listDefinitions(definitions)) out.push(...scanDefinition(entry.ref, entry.definition, own));
      return out;
    },
  };
}

/** The tool a foreign-tool rule matched: its first named group that took part (`tool`, `tool2`, ...). */
function toolNamed(m: RegExpExecArray): string | undefined {
  if (!m.groups) return undefined;
  for (const v of Object.values(m.groups)) if (v !== undefined) return v;
  return undefined;
}

function inChannel(u: TextUnit, name: ChannelName): boolean {
  switch (name) {
    case "prose":
      return u.role === "prose";
    case "proseArgs":
      return u.role === "prose" && u.inArguments;
    case "key":
      return u.role === "key";
    case "keyArgs":
      return u.role === "key" && u.inArguments;
    case "name":
      return u.role === "name";
  }
}

function channelsFor(rule: CompiledRegexRule): ChannelName[] {
  const out: ChannelName[] = [];
  if (rule.roles.has("prose")) out.push(rule.argumentsOnly ? "proseArgs" : "prose");
  if (rule.roles.has("key")) out.push(rule.argumentsOnly ? "keyArgs" : "key");
  if (rule.roles.has("name") && !rule.argumentsOnly) out.push("name");
  return out;
}

function buildChannel(units: TextUnit[], prose: boolean): Channel {
  const starts: number[] = [];
  const parts: string[] = [];
  let at = 0;
  for (const u of units) {
    starts.push(at);
    // Identifiers are matched as words: `content_from_reading_ssh_id_rsa` -> `content from reading ssh id rsa` (same length).
    parts.push(prose ? u.text : u.text.replace(/[_-]/g, " "));
    at += u.text.length + SEPARATOR.length;
  }
  return { text: parts.join(SEPARATOR), starts, units };
}

function unitAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Encoded blobs show up as long runs mixing letters and digits; plain language has none. */
function hasLongMixedToken(lower: string): boolean {
  for (const m of lower.matchAll(LONG_TOKEN)) if (/\d/.test(m[0]) && /[a-z]/.test(m[0])) return true;
  return false;
}

function finding(ref: DefinitionRef, rule: CompiledRule, path: string, start: number, end: number, excerpt: string, detail: string): Finding {
  return {
    definition: ref,
    tool: definitionLabel(ref),
    rule: rule.id,
    family: rule.family,
    severity: rule.severity,
    path,
    span: { start, end },
    excerpt: visible(excerpt, EXCERPT_CHARS),
    message: `${rule.message}: ${detail}`,
  };
}
