// The poisoning scanner: runs the compiled rules over every piece of text in an upstream's
// instructions, tools, prompts and resource templates, and reports each finding with its span.
// Cost matters (it runs on every connect and list_changed): a definition's text is joined into a
// few channels so each rule runs once per definition; one pass of the gate index over each channel
// tells which rules' gates open and where each rule can start, so a rule is tried only there.
import { exampleSamples, insideSample } from "./example-calls.js";
import { imitatedOwnName, isSibling, normalizedName, ownNamesOf, type OwnNames } from "./own-names.js";
import { collectText, definitionLabel, listDefinitions, textArgumentNames, type DefinitionRef, type TextRole, type TextUnit } from "./definition-text.js";
import { loadRuleSet, restrictStarts, type CompiledDetectorRule, type CompiledRegexRule, type CompiledRule, type Family, type Gate, type RuleSet, type RuleStarts, type TextAnalysis } from "./rule-set.js";
import { severityAtLeast, type Severity } from "./severity.js";
import { tierUp } from "./regex-tier-up.js";
import { charClasses, visible, type DetectorContext } from "./text-detectors.js";
import type { UpstreamDefinitions } from "./tool-guard.js";
import { loadTextModel, MODEL_RULE_ID, readDefinition, type TextModel } from "./text-model.js";
import { isSuspicious, mayBeSuspicious, scoreSignals, SCORE_RULE_ID, strongestSignal, type Analysed, type SignalScore } from "./weak-signals.js";

export { ownNamesOf, type OwnNames } from "./own-names.js";

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
  /**
   * The same scan, giving the event loop a turn between definitions whenever `sliceMs` have been
   * spent since the last one: a server scanning a large upstream (a megabyte of definitions takes
   * well over 100 ms) keeps serving its other requests meanwhile. The findings are scan's.
   */
  scanYielding(definitions: UpstreamDefinitions, sliceMs?: number): Promise<Finding[]>;
  /** Scans one definition of an upstream whose own tool and prompt names are `ownNames`. */
  scanDefinition(ref: DefinitionRef, definition: unknown, ownNames: OwnNames): Finding[];
}

export interface ScannerOptions {
  rules?: RuleSet;
  /** The text model (see text-model.ts): the bundled one unless given; null for none. */
  model?: TextModel | null;
  /** Rule ids never applied. */
  ignoreRules?: Iterable<string>;
}

const EXCERPT_CHARS = 120;
/** How long scanYielding runs before it lets the event loop have a turn (a definition is never split). */
const SLICE_MS = 10;
/** A URL or an e-mail address: where data would go. */
const NAMES_DESTINATION = /\b(?:https?|ftp|wss?):\/\/|[\w.+-]@[\w-]+\./i;
const SEPARATOR = "\n\n";
/** An environment variable's name (`OPENROUTER_API_KEY`): upper case with underscores, never a tool's. */
const ENVIRONMENT_VARIABLE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

type ChannelName = "prose" | "proseArgs" | "key" | "keyArgs" | "name";

/** Units of one role joined by a blank line (rules never match across one), with each unit's offset. */
interface Channel {
  name: ChannelName;
  text: string;
  starts: number[];
  units: TextUnit[];
  /** The one pass over the text (gate groups, rule starts, and in long text gate word positions); made on first use. */
  analysis?: TextAnalysis;
  /** What running the rules needs of that pass; for a channel of some fields of another, read off the other's pass (see ruleStartsOf). */
  ruleStarts?: RuleStarts;
  /** A channel of some of another channel's fields: that channel, and where its fields stand here ((from, to, at) triples, see restrictStarts). */
  parent?: { channel: Channel; stretches: number[] };
  /** Whether offsets in the lower-cased text line up with the text (they do unless lower-casing changed a length). */
  aligned?: boolean;
  /** By rule start id, where the rules that passed their gates may start (aligned text only); made on first use. */
  startLists?: Array<number[] | undefined>;
  /** Where lines start (see lineStartsOf); made on first use. */
  lineStarts?: number[];
  /** Whether the text has a Kelvin sign (see wordStartsShifted); read on first use. */
  kelvin?: boolean;
}

interface UnitMatch {
  unit: TextUnit;
  /** Offsets in the unit's text. */
  start: number;
  end: number;
  text: string;
}

// Matches are short (the rules' patterns are bounded: a few hundred characters at most), so in long
// text a rule runs only within REACH characters of the words its gate needs, where all of them occur
// within REACH of each other, read with CONTEXT more characters on each side for look-arounds.
const REACH = 400;
const CONTEXT = 64;
const LONG_TEXT = 2048;

export function createScanner(options: ScannerOptions = {}): Scanner {
  const ruleSet = options.rules ?? loadRuleSet();
  const ignored = new Set(options.ignoreRules ?? []);
  const rules = ruleSet.rules.filter((r) => !ignored.has(r.id));
  const regexRules = rules.filter((r): r is CompiledRegexRule => r.kind === "regex");
  const detectorRules = rules.filter((r): r is CompiledDetectorRule => r.kind !== "regex");
  const proseRegexRules = regexRules.filter((r) => r.roles.has("prose"));
  // What a prose rule's finding in hidden text is reported under (see report).
  const hiddenKeys = proseRegexRules.map((r) => `${r.id}:hidden`);
  // By regex rule index: its channels, its gate's index (-1: none) and its start id (-1: none).
  const regexChannels = regexRules.map(channelsFor);
  const regexGates = Int32Array.from(regexRules, (r) => r.gate?.index ?? -1);
  const regexStarts = Int32Array.from(regexRules, (r) => r.start?.id ?? -1);
  /** Scratch: the indexes of the regex rules whose gates a definition opens. */
  const passingRules = new Int32Array(regexRules.length);
  // Detectors that apply to a unit, by its role and whether it shapes arguments (see detectorSlot);
  // and those of them that need no unusual character (most text has none: the others are skipped).
  const detectorsFor = (["name", "key", "prose"] as const).flatMap((role) =>
    [false, true].map((inArguments) => detectorRules.filter((r) => r.roles.has(role) && (!r.argumentsOnly || inArguments))),
  );
  const plainDetectorsFor = detectorsFor.map((rules) => rules.filter((r) => r.needs === 0));
  /** The own names of the server whose definition is being scanned (set by scanDefinition), for the look-alike name detector. */
  let detectorOwn: OwnNames = { names: new Set(), tokens: new Set() };
  const detectorCtx: DetectorContext = { confusables: ruleSet.confusables, imitatedName: (name) => imitatedOwnName(name, detectorOwn) };
  const signals = ignored.has(SCORE_RULE_ID) ? undefined : ruleSet.signals;
  const model = ignored.has(MODEL_RULE_ID) ? undefined : options.model === undefined ? loadTextModel() : (options.model ?? undefined);
  // For the definition being scanned (one at a time; cleared for each): the gate groups its text has,
  // the gates they open, and the start ids of its rules that passed their gates.
  const definitionGroups = new Uint8Array(ruleSet.gates.groupCount);
  const openGates = new Uint8Array(ruleSet.gates.gateCount);
  // The gates opened by the decoded hidden text being read (see decodedTextReading; one at a time).
  const decodedGates = new Uint8Array(ruleSet.gates.gateCount);
  const activeStarts = ruleSet.gates.startSet();
  // By channel, the start ids of the rules that look for their starts in it: a channel's start lists
  // are made for the active ones among those only.
  const startsReading = new Map<ChannelName, Int32Array>();
  regexRules.forEach((rule, i) => {
    if (!rule.start || rule.path) return;
    for (const name of regexChannels[i]!) {
      if (!startsReading.has(name)) startsReading.set(name, ruleSet.gates.startSet());
      startsReading.get(name)![rule.start.id >> 5]! |= 1 << (rule.start.id & 31);
    }
  });
  const channelStarts = ruleSet.gates.startSet();
  // Every prose rule with starts, for decoded hidden text (which all prose rules read).
  const proseStarts = ruleSet.gates.startSet();
  for (const rule of proseRegexRules) if (rule.start) proseStarts[rule.start.id >> 5]! |= 1 << (rule.start.id & 31);
  const withinLines = ruleSet.gates.withinLines;

  function isForeignTool(name: string | undefined, own: OwnNames, text: string): boolean {
    if (!name || ENVIRONMENT_VARIABLE.test(name) || namesData(name, text) || runsAsCommand(name, text) || enumValuesOfDefinition().has(name)) return false;
    const n = name.toLowerCase();
    if (ruleSet.foreignAlways.has(n)) return true;
    // A word never a tool's, or words parted by slashes one of which is ("Read-only/idempotent tools": a choice of words).
    if (n.split("/").some((part) => ruleSet.foreignNever.has(part)) || ruleSet.foreignNeverSuffixes.some((suffix) => n.endsWith(suffix))) return false;
    const colon = n.indexOf(":");
    if (colon > 0 && ruleSet.foreignFacets.has(n.slice(0, colon))) return false; // a query filter such as `source:alert`
    const normalized = normalizedName(n);
    return !own.names.has(normalized) && !own.tokens.has(normalized) && !isSibling(normalized, own);
  }

  /**
   * Whether a match in the name of a chat-message list counts for a rule with a severity of its own
   * there (CompiledRegexRule.messageListSeverity): only when that rule is run again for want of any
   * other match (see scanDefinition).
   */
  let messageListsCount = false;

  /** By prose unit, the sample arguments of example calls of the server's own tools in it (see example-calls.ts); made on first use. */
  const samples = new WeakMap<TextUnit, number[]>();

  /**
   * Whether a rule's match at [start, end) of a unit lies in a sample argument of an example call of
   * one of the server's own tools, where it does not count. A sensitive file or secret, and a match
   * that names where data goes (a URL or an address), count even there: a sample has no need of them.
   */
  function inExampleSample(rule: CompiledRegexRule, unit: TextUnit, start: number, end: number, own: OwnNames): boolean {
    if (unit.role !== "prose" || rule.family === "sensitive-target" || NAMES_DESTINATION.test(unit.text.slice(start, end))) return false;
    let found = samples.get(unit);
    if (!found) samples.set(unit, (found = exampleSamples(unit.text, (name) => own.names.has(normalizedName(name)))));
    return found.length > 0 && insideSample(found, start, end);
  }

  /** The definition being scanned's units, kind, and the names of its arguments that can carry text (made on first use; the server's, for its instructions). */
  let definitionUnits: readonly TextUnit[] = [];
  let argumentNames: Set<string> | undefined;
  let definitionKind: DefinitionRef["kind"] = "tool";
  /** The values the definition's own schema lists in an `enum` (made on first use). */
  let enumValues: Set<string> | undefined;

  /**
   * A value the definition's own schema lists in an `enum` is a value of its own ("If using charge_automatically,
   * you must provide a payment_token", where `charge_automatically` is a `collection_method`), not another server's tool.
   */
  function enumValuesOfDefinition(): Set<string> {
    enumValues ??= new Set(definitionUnits.filter((u) => u.enumValue).map((u) => u.text));
    return enumValues;
  }

  /** Whether a match means what its rule's `condition` asks: a tool not the server's own, or one of the definition's own text arguments. */
  function conditionHolds(rule: CompiledRegexRule, m: RegExpExecArray, own: OwnNames, text: string): boolean {
    if (rule.foreignToolOnly) return isForeignTool(capturedName(m), own, text);
    if (!rule.ownArgumentOnly) return true;
    argumentNames ??= definitionKind === "instructions" ? new Set(own.serverArguments?.()) : textArgumentNames(definitionUnits);
    const name = capturedName(m);
    return name !== undefined && argumentNames.has(name);
  }

  function firstMatch(rule: CompiledRegexRule, text: string, own: OwnNames, accept: (start: number, end: number) => boolean): RegExpExecArray | undefined {
    if (!rule.native.regex) {
      tierUp(rule.regex);
      rule.native.regex = true;
    }
    rule.regex.lastIndex = 0;
    for (let m = rule.regex.exec(text); m !== null; m = rule.regex.exec(text)) {
      if (m[0].length === 0) rule.regex.lastIndex++;
      else if (conditionHolds(rule, m, own, text) && accept(m.index, m.index + m[0].length)) return m;
    }
    return undefined;
  }

  /**
   * First match of a rule in a channel that stays inside one unit. A rule with start words is tried
   * only at them; any other only where it can start when that is known (at its literals, or where a
   * line starts), and in long text, if windowed, only near the words its gate needs (see gateWindows).
   */
  function matchChannel(rule: CompiledRegexRule, c: Channel, own: OwnNames): UnitMatch | undefined {
    const start = rule.start;
    if (start?.from === "words" && !(start.wholeWords && wordStartsShifted(c))) {
      const starts = startsOf(c, start.id);
      if (starts) return matchAtStarts(rule, start.sticky, c, own, starts);
    }
    const windows = searchedAroundGates(rule) && c.text.length >= LONG_TEXT ? gateWindows(rule.gate!, c) : undefined;
    // Where it can start, when known: at its literals, or where a line starts.
    const sticky = start?.sticky ?? rule.lineStarts;
    const starts = start?.from === "literals" && !wordStartsShifted(c) ? startsOf(c, start.id) : rule.lineStarts ? lineStartsOf(c) : null;
    if (windows) return matchAround(rule, c, own, windows, starts && { sticky: sticky!, starts });
    if (starts) return matchAtStarts(rule, sticky!, c, own, starts);
    return matchIn(rule, c, own, c.text, 0, 0, c.text.length);
  }

  function analysisOf(c: Channel): TextAnalysis {
    if (!c.analysis) {
      const lower = c.text.toLowerCase();
      c.aligned = lower.length === c.text.length;
      c.analysis = ruleSet.gates.analyze(lower, c.aligned && c.text.length >= LONG_TEXT);
    }
    return c.analysis;
  }

  function ruleStartsOf(c: Channel): RuleStarts {
    if (c.ruleStarts) return c.ruleStarts;
    const parent = c.parent;
    if (parent && withinLines) {
      analysisOf(parent.channel);
      // The parent's lower-cased fields are this channel's: aligned there, aligned here.
      if (parent.channel.aligned) {
        c.aligned = true;
        c.ruleStarts = restrictStarts(parent.channel.analysis!, parent.stretches, c.text.length >= LONG_TEXT);
        return c.ruleStarts;
      }
    }
    c.ruleStarts = analysisOf(c);
    return c.ruleStarts;
  }

  function scoringInput(c: Channel): Analysed {
    const a = analysisOf(c);
    return { tracked: a.tracked, text: c.text };
  }

  /**
   * Whether a word of the lower-cased text may start later than `\b` finds it in the text: the Kelvin
   * sign is no word character but lower-cases to "k". (Rules with start words have always been
   * read this way; literal starts stand in for a whole-text search, so they must not be.)
   */
  function wordStartsShifted(c: Channel): boolean {
    c.kelvin ??= wordStartsShiftedIn(c.text);
    return c.kelvin;
  }

  /** Where lines start in a channel's text (after every line terminator `^` knows, and at 0). */
  function lineStartsOf(c: Channel): number[] {
    if (!c.lineStarts) {
      c.lineStarts = [0];
      for (let i = 0; i < c.text.length; i++) {
        const ch = c.text.charCodeAt(i);
        if (ch === 10 || ch === 13 || ch === 0x2028 || ch === 0x2029) c.lineStarts.push(i + 1);
      }
    }
    return c.lineStarts;
  }

  function startsOf(c: Channel, rule: number): number[] | null {
    const a = ruleStartsOf(c);
    if (!c.aligned) return null;
    if (!c.startLists) {
      const reading = startsReading.get(c.name);
      for (let w = 0; w < channelStarts.length; w++) channelStarts[w] = reading ? activeStarts[w]! & reading[w]! : 0;
      c.startLists = ruleSet.gates.startLists(a, channelStarts);
    }
    return c.startLists[rule] ?? [];
  }

  /**
   * How the prose rules read a decoded text: the gates its words open (a rule whose gate stays shut
   * cannot match; valid until the next call), and where the rules may start, as in a channel (see GateIndex.startLists);
   * `starts` is undefined when its words cannot be lined up (lower-casing changes a length, or a
   * Kelvin sign).
   */
  function decodedTextReading(text: string): { open: Uint8Array; starts: Array<number[] | undefined> | undefined } {
    const lower = text.toLowerCase();
    const analysis = ruleSet.gates.analyze(lower, false);
    ruleSet.gates.openGates(analysis.present, decodedGates);
    const aligned = lower.length === text.length && !wordStartsShiftedIn(text);
    return { open: decodedGates, starts: aligned ? ruleSet.gates.startLists(analysis, proseStarts) : undefined };
  }

  /**
   * A rule's first match tried (sticky) only at the candidates, in order, as a global search would
   * find them, that `accept` keeps: a candidate inside an earlier match is skipped, whether that
   * match was kept or not, and a match of a foreign-tool rule that names one of the server's own
   * tools is not kept.
   */
  function firstMatchAt(rule: CompiledRegexRule, sticky: RegExp, text: string, own: OwnNames, candidates: readonly number[], accept?: (start: number, end: number) => boolean): RegExpExecArray | undefined {
    if (!rule.native.sticky) {
      tierUp(sticky);
      rule.native.sticky = true;
    }
    let searchedTo = 0;
    for (let k = 0; k < candidates.length; k++) {
      const at = candidates[k]!;
      if (at < searchedTo) continue; // inside a match already tried
      sticky.lastIndex = at;
      const m = sticky.exec(text);
      if (!m || m[0].length === 0) continue;
      searchedTo = at + m[0].length;
      if (conditionHolds(rule, m, own, text) && (!accept || accept(at, searchedTo))) return m;
    }
    return undefined;
  }

  /**
   * Tries a rule (sticky) only at the candidates, in order, as a global search of `text` would: the
   * first match inside one unit that starts in [ownFrom, ownTo) and ends by `ownTo`. `text` is the
   * channel's text from `base` on (all of it unless given); candidates are offsets in it.
   */
  function matchAtStarts(rule: CompiledRegexRule, sticky: RegExp, c: Channel, own: OwnNames, candidates: readonly number[], text = c.text, base = 0, ownFrom = 0, ownTo = Infinity): UnitMatch | undefined {
    return firstCounted(rule, c, own, text, base, ownFrom, ownTo, ownTo, { sticky, candidates });
  }

  /**
   * In long text, a match holds a word of every group of one of its gate's alternatives, so it lies
   * within REACH of that alternative's rarest group's hits (where every other group has a hit within
   * REACH too): the stretches [from, to) around them, merged, are the only places to search.
   * Undefined when the text's words cannot be lined up with it.
   */
  function gateWindows(gate: Gate, c: Channel): number[] | undefined {
    const hits = ruleStartsOf(c).hits;
    if (!hits) return undefined;
    const spans: number[] = [];
    for (const groups of gate.alternatives) {
      const lists: Array<readonly number[]> = [];
      for (const id of groups) {
        const h = hits.of(id);
        if (!h) break;
        lists.push(h);
      }
      if (lists.length < groups.length) continue;
      const rarest = lists.reduce((a, b) => (b.length < a.length ? b : a));
      // A match holds a word of every group within its own few hundred characters.
      for (let i = 0; i < rarest.length; i += 2) {
        const lo = rarest[i]! - REACH;
        const hi = rarest[i + 1]! + REACH;
        if (lists.every((l) => l === rarest || startsWithin(l, lo, hi))) spans.push(lo, hi);
      }
    }
    const order = Array.from({ length: spans.length / 2 }, (_, k) => k).sort((a, b) => spans[2 * a]! - spans[2 * b]!);
    const windows: number[] = [];
    for (let k = 0; k < order.length; ) {
      const from = Math.max(0, spans[2 * order[k]!]!);
      let to = spans[2 * order[k]! + 1]!;
      for (k++; k < order.length && spans[2 * order[k]!]! <= to; k++) to = Math.max(to, spans[2 * order[k]! + 1]!);
      windows.push(from, Math.min(c.text.length, to));
    }
    return windows;
  }

  /**
   * Runs a rule only in the windows (see gateWindows), each read with CONTEXT more text on both
   * sides; only where it can start, when known (the window's first character too: `\b` and `^`
   * hold there in the slice whatever comes before it).
   */
  function matchAround(rule: CompiledRegexRule, c: Channel, own: OwnNames, windows: readonly number[], at: { sticky: RegExp; starts: readonly number[] } | null): UnitMatch | undefined {
    for (let w = 0; w < windows.length; w += 2) {
      const from = windows[w]!;
      const to = windows[w + 1]!;
      const sliceFrom = Math.max(0, from - CONTEXT);
      const text = c.text.slice(sliceFrom, Math.min(c.text.length, to + CONTEXT));
      const m = at ? matchAtStarts(rule, at.sticky, c, own, startsInSlice(at.starts, sliceFrom, text.length), text, sliceFrom, from, to) : matchIn(rule, c, own, text, sliceFrom, from, to, to);
      if (m) return m;
    }
    return undefined;
  }

  /** Searches `text` (the channel's text from `base` on) for a match starting in [ownFrom, ownTo), ending by `endBy`, inside one unit. */
  function matchIn(rule: CompiledRegexRule, c: Channel, own: OwnNames, text: string, base: number, ownFrom: number, ownTo: number, endBy = Infinity): UnitMatch | undefined {
    return firstCounted(rule, c, own, text, base, ownFrom, ownTo, endBy, null);
  }

  /**
   * The first match of a rule in `text` (the channel's text from `base` on; tried only at the
   * candidates, sticky, when given) that counts: it starts in [ownFrom, ownTo), ends by `endBy`,
   * stays inside one unit, is not in the name of a flag for a text-value rule, not in an off-by-default
   * switch's description for a rule that leaves those alone, and is not in a sample of one of the
   * server's own example calls.
   */
  function firstCounted(rule: CompiledRegexRule, c: Channel, own: OwnNames, text: string, base: number, ownFrom: number, ownTo: number, endBy: number, at: { sticky: RegExp; candidates: readonly number[] } | null): UnitMatch | undefined {
    let i = -1;
    const counts = (start: number, end: number): boolean => {
      const from = base + start;
      const to = base + end;
      if (from < ownFrom || from >= ownTo || to > endBy) return false;
      i = unitAt(c.starts, from);
      const unit = c.units[i]!;
      const offset = c.starts[i]!;
      if (to > offset + unit.text.length) return false; // never across two fields
      if (unit.messageList && rule.messageListSeverity && !messageListsCount) return false;
      if (rule.unlessOffSwitch && unit.offSwitch) return false;
      return !(rule.textValueOnly && unit.flag) && !inExampleSample(rule, unit, from - offset, to - offset, own);
    };
    const m = at ? firstMatchAt(rule, at.sticky, text, own, at.candidates, counts) : firstMatch(rule, text, own, counts);
    if (!m || i < 0) return undefined;
    const unit = c.units[i]!;
    const offset = c.starts[i]! - base;
    const from = widenToTool(m, text);
    const end = m.index + m[0].length;
    return { unit, start: from - offset, end: end - offset, text: text.slice(from, end) };
  }

  /** A rule limited to some fields (e.g. a recipient's default) reads only those units. */
  function matchByPath(rule: CompiledRegexRule, c: Channel, own: OwnNames): UnitMatch | undefined {
    for (const unit of c.units) {
      if (!rule.path!.test(unit.path)) continue;
      const m = firstMatch(rule, unit.text, own, () => true);
      if (m) return { unit, start: m.index, end: m.index + m[0].length, text: m[0] };
    }
    return undefined;
  }

  function scanDefinition(ref: DefinitionRef, definition: unknown, own: OwnNames): Finding[] {
    const units = collectText(ref, definition);
    if (units.length === 0) return [];
    definitionUnits = units;
    definitionKind = ref.kind;
    detectorOwn = own;
    argumentNames = undefined;
    enumValues = undefined;
    const out: Finding[] = [];
    // By unit path, what was reported there (a rule's id, or its id and ":hidden" for what it found in hidden text).
    const reported = new Map<string, Set<string>>();
    const reportedAt = (path: string): Set<string> => {
      let keys = reported.get(path);
      if (!keys) reported.set(path, (keys = new Set()));
      return keys;
    };
    const report = (rule: CompiledRule, unit: TextUnit, start: number, end: number, excerpt: string, detail: string, key = rule.id, severity = rule.severity) => {
      const keys = reportedAt(unit.path);
      if (keys.has(key)) return;
      keys.add(key);
      out.push({ ...finding(ref, rule, unit.path, start, end, excerpt, detail), severity });
    };

    const channels = new Map<ChannelName, Channel>();
    const channel = (name: ChannelName): Channel => {
      let c = channels.get(name);
      if (!c) {
        if (name === "proseArgs" || name === "keyArgs") c = argumentsChannel(name, channel(name === "proseArgs" ? "prose" : "key"));
        else c = buildChannel(name, units);
        channels.set(name, c);
      }
      return c;
    };
    // The pre-filter: one pass over each role's text decides which rules can match at all, and where.
    definitionGroups.fill(0);
    const found: number[] = [];
    for (const name of ["prose", "key", "name"] as const) {
      const c = channel(name);
      if (c.units.length === 0) continue;
      for (const id of analysisOf(c).present) {
        if (definitionGroups[id] === 1) continue;
        definitionGroups[id] = 1;
        found.push(id);
      }
    }
    ruleSet.gates.openGates(found, openGates);
    const passes = (rule: CompiledRule) => !rule.gate || openGates[rule.gate.index] === 1;

    // The regular-expression rules whose gates opened, in rule order, and their start ids.
    activeStarts.fill(0);
    let passing = 0;
    for (let i = 0; i < regexRules.length; i++) {
      const gate = regexGates[i]!;
      if (gate >= 0 && openGates[gate] !== 1) continue;
      passingRules[passing++] = i;
      const start = regexStarts[i]!;
      if (start >= 0) activeStarts[start >> 5]! |= 1 << (start & 31);
    }
    // The definition's own description, for rules that skip definitions whose job it describes (CompiledRegexRule.unlessDescribes); looked up on first use.
    let description: string | undefined;
    for (let k = 0; k < passing; k++) {
      const rule = regexRules[passingRules[k]!]!;
      if (rule.unlessDescribes?.test((description ??= units.find((u) => u.path === "description")?.text ?? ""))) continue;
      for (const name of regexChannels[passingRules[k]!]!) {
        const c = channel(name);
        if (c.units.length === 0) continue;
        let hit = rule.path ? matchByPath(rule, c, own) : matchChannel(rule, c, own);
        let severity = rule.severity;
        if (!hit && rule.messageListSeverity && !rule.path && c.units.some((u) => u.messageList)) {
          messageListsCount = true;
          try {
            hit = matchChannel(rule, c, own);
          } finally {
            messageListsCount = false;
          }
          severity = rule.messageListSeverity;
        }
        if (hit) report(rule, hit.unit, hit.start, hit.end, hit.text, `"${visible(hit.text, EXCERPT_CHARS)}"`, rule.id, severity);
      }
    }

    for (const unit of units) {
      const classes = charClasses(unit.text);
      for (const rule of (classes === 0 ? plainDetectorsFor : detectorsFor)[detectorSlot(unit)]!) {
        if (rule.needs !== 0 && (rule.needs & classes) === 0) continue;
        if (!passes(rule)) continue;
        for (const hit of rule.detect(unit.text, rule.params, detectorCtx)) {
          report(rule, unit, hit.start, hit.end, unit.text.slice(hit.start, hit.end), hit.detail);
          // What was hidden or encoded is text the model reads: the language rules judge it too.
          if (!hit.decoded) continue;
          const { open, starts } = decodedTextReading(hit.decoded);
          const reportedHere = reportedAt(unit.path);
          for (let k = 0; k < proseRegexRules.length; k++) {
            const inner = proseRegexRules[k]!;
            if (inner.gate && open[inner.gate.index] !== 1) continue;
            const candidates = starts && inner.start ? starts[inner.start.id] : undefined;
            // A rule that can start nowhere here finds nothing; a rule limited to other fields rejects
            // every match here; one already reported here would be dropped.
            if ((starts && inner.start && !candidates) || (inner.path && !inner.path.test(unit.path)) || reportedHere.has(hiddenKeys[k]!)) continue;
            const m = candidates ? firstMatchAt(inner, inner.start!.sticky, hit.decoded, own, candidates) : firstMatch(inner, hit.decoded, own, () => true);
            // Hidden, a mention (of a key file, say) is no longer idle: at least medium.
            if (m) report(inner, unit, hit.start, hit.end, m[0], `in hidden text "${visible(m[0], EXCERPT_CHARS)}"`, hiddenKeys[k], severityAtLeast(inner.severity, "medium") ? inner.severity : "medium");
          }
        }
      }
    }
    // The scoring layer: several weak signals together, read from the same pass over prose and keys.
    const warned = () => out.some((f) => f.severity !== "info" && f.severity !== "low");
    let scored: SignalScore | undefined;
    if (signals && !warned()) {
      const prose = channel("prose");
      const key = channel("key");
      const proseInput = prose.units.length ? scoringInput(prose) : undefined;
      const keyInput = key.units.length ? scoringInput(key) : undefined;
      scored = mayBeSuspicious(signals, proseInput, keyInput) ? scoreSignals(signals, proseInput, keyInput) : undefined;
      if (scored && isSuspicious(scored)) {
        const unit = prose.units[0] ?? key.units[0]!;
        const names = scored.present.map((p) => `${p.name}${p.strength < 1 ? " (weak)" : ""}`).join(", ");
        out.push(readingFinding(ref, SCORE_RULE_ID, strongestSignal(scored).family, unit, 0, unit.text.length, `several attack-shaped signals together (score ${scored.score}): ${names}`));
      }
    }
    // The text model: the definition read as a whole, when nothing else warns of it.
    const verdict = model && !warned() ? readDefinition(model, units) : undefined;
    if (verdict) {
      const excerpt = visible(verdict.unit.text.slice(verdict.start, verdict.end), EXCERPT_CHARS);
      // What the weak signals of its text point to, if any: the model itself knows no families.
      const family = scored && scored.present.length > 0 ? strongestSignal(scored).family : "hidden-instructions";
      const strongest = verdict.strongest.map((w) => `"${w}"`).join(", ");
      const message = `reads as an attack taken as a whole (text model score ${verdict.score.toFixed(2)}, threshold ${model!.threshold}; strongest words ${strongest}): "${excerpt}"`;
      out.push(readingFinding(ref, MODEL_RULE_ID, family, verdict.unit, verdict.start, verdict.end, message));
    }
    return out;
  }

  /**
   * The findings of each of an upstream's definitions, in list order, each scanned when asked for.
   * A definition is scanned in one go (the scanner's state is per definition), so scans may interleave
   * between definitions.
   */
  function* perDefinition(definitions: UpstreamDefinitions): Generator<Finding[]> {
    const own = ownNamesOf(definitions);
    for (const entry of listDefinitions(definitions)) yield scanDefinition(entry.ref, entry.definition, own);
  }

  return {
    rules: ruleSet,
    scanDefinition,
    scan(definitions) {
      return [...perDefinition(definitions)].flat();
    },
    async scanYielding(definitions, sliceMs = SLICE_MS) {
      const out: Finding[] = [];
      let sliceStart = performance.now();
      for (const found of perDefinition(definitions)) {
        out.push(...found);
        if (performance.now() - sliceStart >= sliceMs) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
      }
      return out;
    },
  };
}

/** Nouns that, after a dotted name, make it a field of some data ("detect.grep patterns"), not a tool. */
const DATA_NOUN = /^\s+(?:patterns?|fields?|keys?|propert(?:y|ies)|values?|entr(?:y|ies)|columns?|attributes?|paths?|mappings?|settings?|sections?|arrays?|lists?|objects?)\b/i;

/** Whether a dotted name is named in the text as a field of some data: `detect.grep patterns`, `config.timeout value`. */
function namesData(name: string, text: string): boolean {
  return name.includes(".") && followedSomewhereBy(name, text, DATA_NOUN, 24);
}

/** Whether some occurrence of `name` in `text` is followed by what `after` (anchored at ^) matches within `span` characters. */
function followedSomewhereBy(name: string, text: string, after: RegExp, span: number): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) if (after.test(text.slice(at + name.length, at + name.length + span))) return true;
  return false;
}

/** A kebab-case name (`mcp-cli`), the way command-line programs are named; MCP tools are mostly snake_case. */
const KEBAB_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/i;

/**
 * Whether a kebab-case name is run as a command in the text: followed, on its line, by at most two
 * sub-command words and an option (`mcp-cli call --json`, `gh-dash --help`). Such a name is a program
 * (the client a server's instructions say to call its tools with), not another server's tool.
 */
function runsAsCommand(name: string, text: string): boolean {
  return KEBAB_NAME.test(name) && followedSomewhereBy(name, text, COMMAND_LINE_AFTER, 60);
}

/** After a program's name: up to two sub-command words, then an option of two dashes. */
const COMMAND_LINE_AFTER = /^(?: [a-z][\w-]*){0,2} --[a-z]/;

/** See wordStartsShifted. */
function wordStartsShiftedIn(text: string): boolean {
  return text.includes("\u212A");
}

/** Whether long text is searched only around the rule's gate words (see gateSpans). */
function searchedAroundGates(rule: CompiledRegexRule): boolean {
  return rule.windowed && rule.gate !== undefined;
}

/** The offsets (increasing) in a slice of `length` characters from `from`, moved to it, with the slice's start. */
function startsInSlice(offsets: readonly number[], from: number, length: number): number[] {
  const out = [0];
  let a = 0;
  let b = offsets.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (offsets[mid]! <= from) a = mid + 1;
    else b = mid;
  }
  for (let i = a; i < offsets.length && offsets[i]! < from + length; i++) out.push(offsets[i]! - from);
  return out;
}

/** Whether a sorted list of (start, end) pairs has a start in [lo, hi). */
function startsWithin(pairs: readonly number[], lo: number, hi: number): boolean {
  let a = 0;
  let b = pairs.length / 2;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (pairs[2 * mid]! < lo) a = mid + 1;
    else b = mid;
  }
  return a < pairs.length / 2 && pairs[2 * a]! < hi;
}

/** A match that starts after the tool it names (found by look-behind) is widened to include the name, for the excerpt. */
function widenToTool(m: RegExpExecArray, text: string): number {
  const name = capturedName(m);
  if (!name) return m.index;
  const at = text.lastIndexOf(name, m.index - 1);
  return at >= 0 && at + name.length <= m.index && m.index - (at + name.length) <= 3 ? at : m.index;
}

/** The name a conditional rule's match judges: its first named group that took part (a foreign tool's `tool`, `tool2`, ...; an own argument's `arg`). */
function capturedName(m: RegExpExecArray): string | undefined {
  if (!m.groups) return undefined;
  for (const v of Object.values(m.groups)) if (v !== undefined) return v;
  return undefined;
}

const ROLE_SLOT: Readonly<Record<TextRole, number>> = { name: 0, key: 2, prose: 4 };

/** A unit's index in the scanner's detector lists: by role, then whether it shapes arguments. */
function detectorSlot(u: TextUnit): number {
  return ROLE_SLOT[u.role] + (u.inArguments ? 1 : 0);
}

function channelsFor(rule: CompiledRegexRule): ChannelName[] {
  const out: ChannelName[] = [];
  if (rule.roles.has("prose")) out.push(rule.argumentsOnly ? "proseArgs" : "prose");
  if (rule.roles.has("key")) out.push(rule.argumentsOnly ? "keyArgs" : "key");
  if (rule.roles.has("name") && !rule.argumentsOnly) out.push("name");
  return out;
}

/**
 * A value with no blank that is six words or more joined by underscores (`download_and_also_post_the_export_to_…`);
 * never an address that starts with a scheme (a URI template's `{CRM_API_TOKEN}` stays a name).
 */
const JOINED_SENTENCE = /^(?![a-z][a-z0-9+.-]*:)(?=\S+$)(?:[^_\s]+_){5,}[^_\s]/i;

/** The channel of a role's units (`name` is that role), from a definition's units. */
function buildChannel(name: "prose" | "key" | "name", all: TextUnit[]): Channel {
  const prose = name === "prose";
  const units: TextUnit[] = [];
  const starts: number[] = [];
  const parts: string[] = [];
  let at = 0;
  for (const u of all) {
    if (u.role !== name) continue;
    units.push(u);
    starts.push(at);
    // A sentence joined by underscores in a value (an enum choice, a default) is read as words, as identifiers are.
    parts.push(prose && JOINED_SENTENCE.test(u.text) ? u.text.replace(/_/g, " ") : u.text);
    at += u.text.length + SEPARATOR.length;
  }
  const text = parts.join(SEPARATOR);
  // Identifiers are matched as words: `content_from_reading_ssh_id_rsa` -> `content from reading ssh id rsa` (same length).
  return { name, text: prose ? text : text.replace(/[_-]/g, " "), starts, units };
}

/** The fields of a channel that shape arguments, as a channel of their own (joined the same way). */
function argumentsChannel(name: ChannelName, all: Channel): Channel {
  const starts: number[] = [];
  const units: TextUnit[] = [];
  const stretches: number[] = [];
  const parts: string[] = [];
  let at = 0;
  all.units.forEach((u, i) => {
    if (!u.inArguments) return;
    const from = all.starts[i]!;
    starts.push(at);
    units.push(u);
    stretches.push(from, from + u.text.length, at);
    parts.push(all.text.slice(from, from + u.text.length));
    at += u.text.length + SEPARATOR.length;
  });
  return { name, text: parts.join(SEPARATOR), starts, units, parent: { channel: all, stretches } };
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

/** A finding of a layer that reads the definition as a whole (SC-001, SC-002): `medium`, so it warns and never blocks. */
function readingFinding(ref: DefinitionRef, rule: string, family: Family, unit: TextUnit, start: number, end: number, message: string): Finding {
  return { definition: ref, tool: definitionLabel(ref), rule, family, severity: "medium", path: unit.path, span: { start, end }, excerpt: visible(unit.text.slice(start, end), EXCERPT_CHARS), message };
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
