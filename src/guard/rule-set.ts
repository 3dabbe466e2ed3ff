// The rule file (rules/poisoning-rules.v1.json) is data: this module validates it and compiles it
// once into matchers, so scanning does no parsing or regex compilation.
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { SapperError } from "../errors.js";
import type { TextRole } from "./definition-text.js";
import { readRulesFile } from "./rules-file.js";
import { SEVERITIES, type Severity } from "./severity.js";
import { hasCharBeyondAscii, literalStarts, startPrefixes, startsAtLines } from "./start-words.js";
import { DETECTOR_NEEDS, DETECTORS, type Detector, type DetectorKind, type DetectorParams } from "./text-detectors.js";
import { compileSignals, type CompiledSignal } from "./weak-signals.js";

export const FAMILIES = [
  "hidden-instructions",
  "sensitive-target",
  "exfiltration",
  "shadowing",
  "invisible-characters",
  "encoded-payload",
  "oversized",
] as const;
export type Family = (typeof FAMILIES)[number];

export const DEFAULT_RULES_PATH = fileURLToPath(new URL("../../rules/poisoning-rules.v1.json", import.meta.url));

// A gate is a cheap necessary condition: alternatives, each a list of groups, each group a list of
// lower-case words (or "=substring"). A rule runs on a definition only when one alternative has a
// word from every group; the regex itself then decides.
const gateSchema = z.array(z.array(z.array(z.string().min(1)).min(1)).min(1)).min(1);

const ruleBase = {
  id: z.string().regex(/^[A-Z]{2}-\d{3}$/, "rule ids look like HI-001"),
  family: z.enum(FAMILIES),
  severity: z.enum(SEVERITIES),
  message: z.string().min(1),
  targets: z.array(z.enum(["name", "key", "prose"])).min(1).default(["prose"]),
  argumentsOnly: z.boolean().default(false),
  requires: gateSchema.optional(),
};

const regexRuleSchema = z
  .object({
    ...ruleBase,
    kind: z.literal("regex"),
    pattern: z.string().min(1),
    flags: z.string().regex(/^[imsu]*$/, "flags may be i, m, s and u").default("i"),
    /**
     * foreign-tool: a match counts only when the tool it names is not one of the server's own.
     * text-value: a match in a property name counts only when that property's value can carry text
     * (not a boolean or number flag such as `include_dynamic_secrets`).
     * own-argument: a match counts only when the name its named group captures is one of the
     * definition's own arguments that can carry text (a property of `inputSchema` or a prompt
     * argument): "… ~/.ssh/id_rsa … `notes`" in whatever language the words around it are.
     */
    condition: z.enum(["foreign-tool", "text-value", "own-argument"]).optional(),
    /** Only text units whose path matches this pattern (case-insensitive), e.g. a recipient field's default. */
    path: z.string().min(1).optional(),
    /**
     * The severity of a match in the name of a property whose schema is a list of chat messages
     * (objects with a role and a content: TextUnit.messageList), when no other match counts: the
     * shape a chat API takes its history in, which a chat tool asks for openly.
     */
    messageListSeverity: z.enum(SEVERITIES).optional(),
    /**
     * A pattern (case-insensitive) for the definition's own `description`: when it matches, the rule
     * does not run on that definition (a tool whose job the match describes, e.g. one that builds
     * agents and takes their system prompt).
     */
    unlessDescribes: z.string().min(1).optional(),
    /**
     * True: a match in the description of a switch that is off unless the model turns it on (a boolean
     * property whose default is false, TextUnit.offSwitch) does not count: it says what turning it on does.
     */
    unlessOffSwitch: z.boolean().default(false),

  })
  .strict();

const detectorRuleSchema = z
  .object({
    ...ruleBase,
    kind: z.enum(Object.keys(DETECTORS) as [DetectorKind, ...DetectorKind[]]),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
  })
  .strict();

export const ruleFileSchema = z
  .object({
    $comment: z.string().optional(),
    name: z.string().min(1),
    version: z.string().min(1),
    families: z.record(z.enum(FAMILIES), z.string()),
    /**
     * Words that always or never name another server's tool, and search-query facets: `source:alert`
     * or `is:open` filters a query, it does not name a `server:tool`.
     */
    foreignToolWords: z.object({ always: z.array(z.string()), never: z.array(z.string()), neverSuffixes: z.array(z.string()).default([]), facets: z.array(z.string()).default([]) }).strict(),
    macros: z.record(z.string().regex(/^[A-Z0-9_]+$/), z.string()).default({}),
    confusables: z.record(z.string(), z.string()),
    rules: z.array(z.union([regexRuleSchema, detectorRuleSchema])).min(1),
  })
  .strict();

export type RuleFile = z.infer<typeof ruleFileSchema>;

interface CompiledRuleBase {
  id: string;
  family: Family;
  severity: Severity;
  message: string;
  roles: ReadonlySet<TextRole>;
  argumentsOnly: boolean;
  /** Cheap necessary condition on a definition's words; undefined = always run. */
  gate: Gate | undefined;
}

/** What a definition's text satisfies: gate groups (index = group id). */
export interface GateState {
  groups: Uint8Array;
}

export interface Gate {
  /** Whether a text with this state may match. */
  test(state: GateState): boolean;
  /** The gate as group ids: a match holds a word of every group of one alternative. */
  alternatives: readonly (readonly number[])[];
  /** The gate's index among its gate index's gates (see GateIndex.openGates). */
  index: number;
}


function grow(a: Int32Array): Int32Array {
  const grown = new Int32Array(a.length * 2).fill(-1);
  grown.set(a);
  return grown;
}

/**
 * Sorts numbers in place by insertion: for substring occurrences, recorded where they end, each is
 * out of place only among the few that end within one substring's length of it.
 */
function sortNearlySorted(values: number[]): void {
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!;
    let j = i - 1;
    for (; j >= 0 && values[j]! > v; j--) values[j + 1] = values[j]!;
    values[j + 1] = v;
  }
}

/** Lists of (start, end) pairs, each in order of start, merged into one (at equal starts, the earlier list's pair first); undefined for none. */
function mergePairs(lists: number[][]): number[] | undefined {
  while (lists.length > 1) {
    const merged: number[][] = [];
    for (let k = 0; k + 1 < lists.length; k += 2) merged.push(mergeTwo(lists[k]!, lists[k + 1]!));
    if (lists.length % 2 === 1) merged.push(lists[lists.length - 1]!);
    lists = merged;
  }
  return lists[0];
}

function mergeTwo(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (b[j]! < a[i]!) {
      out.push(b[j]!, b[j + 1]!);
      j += 2;
    } else {
      out.push(a[i]!, a[i + 1]!);
      i += 2;
    }
  }
  for (; i < a.length; i += 2) out.push(a[i]!, a[i + 1]!);
  for (; j < b.length; j += 2) out.push(b[j]!, b[j + 1]!);
  return out;
}

// Gate words are looked up in a trie over [a-z0-9] walked while the text is read, so no word is
// sliced out or hashed.
const ALPHABET = 36;

/** Trie letter of each ASCII code: a-z, then 0-9; -1 for every other character. */
const LETTER = Int8Array.from({ length: 128 }, (_, c) => (c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? c - 48 + 26 : -1));

/** A table of states (automaton states, trie nodes): 16 bits each while they fit, to keep the pass's tables in cache. */
type StateTable = Int16Array | Int32Array;

function stateTable(length: number, states: number): StateTable {
  return states <= 0x7fff ? new Int16Array(length) : new Int32Array(length);
}

function letterIndex(c: number): number {
  return c < 128 ? LETTER[c]! : -1;
}

/**
 * Every occurrence of a fixed set of substrings, found in the same pass as the words: an
 * Aho-Corasick automaton as two tables, one over the ASCII characters the substrings use, one over
 * the others (any character in no substring leads back to the start). States where a substring ends
 * are numbered last (from `firstOutput` on), so the pass tells them by their number alone.
 */
class SubstringAutomaton {
  /** Per ASCII code, its column in `asciiNext` (0: in no substring). */
  readonly asciiColumn = new Int32Array(128);
  readonly asciiColumns: number;
  /** The next state on an ASCII character: `asciiNext[state * asciiColumns + asciiColumn[code]]`. */
  readonly asciiNext: StateTable;
  /** Per other character code in a substring, its column in `otherNext`. */
  readonly otherColumn = new Map<number, number>();
  readonly otherNext: StateTable;
  /** The first state where a substring ends: every state from it on. */
  readonly firstOutput: number;
  /** Per state from `firstOutput` on, the index in `outputs` of the substrings that end there (-1 before). */
  readonly output: Int32Array;
  /** Substring indexes (in the order given) per output list. */
  readonly outputs: number[][] = [];

  constructor(substrings: readonly string[]) {
    let asciiColumns = 1;
    const children: Array<Map<number, number>> = [new Map()];
    const ends: number[][] = [[]];
    substrings.forEach((sub, index) => {
      let state = 0;
      for (let i = 0; i < sub.length; i++) {
        const c = sub.charCodeAt(i);
        if (c < 128 && this.asciiColumn[c] === 0) this.asciiColumn[c] = asciiColumns++;
        if (c >= 128 && !this.otherColumn.has(c)) this.otherColumn.set(c, this.otherColumn.size);
        let child = children[state]!.get(c);
        if (child === undefined) {
          child = children.length;
          children.push(new Map());
          ends.push([]);
          children[state]!.set(c, child);
        }
        state = child;
      }
      ends[state]!.push(index);
    });
    this.asciiColumns = asciiColumns;
    const asciiNext = new Int32Array(children.length * asciiColumns);
    const otherNext = new Int32Array(children.length * this.otherColumn.size);
    const cell = (state: number, c: number): number => (c < 128 ? state * asciiColumns + this.asciiColumn[c]! : state * this.otherColumn.size + this.otherColumn.get(c)!);
    const alphabet = [...Array.from({ length: 128 }, (_, c) => c).filter((c) => this.asciiColumn[c]! > 0), ...this.otherColumn.keys()];
    const fail = new Int32Array(children.length);
    const found: number[][] = ends.map(() => []);
    // Breadth first, so a state's fallback (its longest proper suffix that is a state) is complete before it.
    const queue = [0];
    for (let q = 0; q < queue.length; q++) {
      const state = queue[q]!;
      found[state] = [...ends[state]!, ...(state === 0 ? [] : found[fail[state]!]!)];
      for (const c of alphabet) {
        const child = children[state]!.get(c);
        const fallback = state === 0 ? 0 : (c < 128 ? asciiNext : otherNext)[cell(fail[state]!, c)]!;
        (c < 128 ? asciiNext : otherNext)[cell(state, c)] = child ?? fallback;
        if (child === undefined) continue;
        fail[child] = fallback;
        queue.push(child);
      }
    }
    // Renumbered: the start (no substring is empty) and the other states without output first.
    const states = [...found.keys()];
    const plain = states.filter((state) => found[state]!.length === 0);
    const order = [...plain, ...states.filter((state) => found[state]!.length > 0)];
    const number = new Int32Array(order.length);
    order.forEach((state, i) => (number[state] = i));
    const renumber = (table: Int32Array, columns: number): StateTable => {
      const out = stateTable(table.length, order.length);
      order.forEach((state, i) => {
        for (let k = 0; k < columns; k++) out[i * columns + k] = number[table[state * columns + k]!]!;
      });
      return out;
    };
    this.asciiNext = renumber(asciiNext, asciiColumns);
    this.otherNext = renumber(otherNext, this.otherColumn.size);
    this.firstOutput = plain.length;
    this.output = new Int32Array(order.length).fill(-1);
    order.forEach((state, i) => {
      if (found[state]!.length === 0) return;
      this.output[i] = this.outputs.length;
      this.outputs.push(found[state]!);
    });
  }

  /** The state after reading `c`, a character outside ASCII, in `state`. */
  stepOther(state: number, c: number): number {
    const column = this.otherColumn.get(c);
    return column === undefined ? 0 : this.otherNext[state * this.otherColumn.size + column]!;
  }

  /**
   * Every occurrence in `text` of the substrings, as `(start * count + (first + index))`, pushed
   * onto `into` in the order they end.
   */
  occurrences(text: string, lengths: readonly number[], first: number, count: number, into: number[]): void {
    const { asciiColumn, asciiNext, asciiColumns, firstOutput } = this;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      state = c < 128 ? asciiNext[state * asciiColumns + asciiColumn[c]!]! : this.stepOther(state, c);
      if (state >= firstOutput) for (const s of this.outputs[this.output[state]!]!) into.push((i + 1 - lengths[first + s]!) * count + first + s);
    }
  }
}

/**
 * The rule start ids (bits, `words` Int32 per row) a word may start, by row: row 2n for a word that
 * reaches trie node n and goes on (the rules with a start prefix on the path to n), row 2n + 1 for a
 * word that ends at n (those, and the rules that start with that whole word). `any` marks rows with one.
 */
interface StartMasks {
  words: number;
  masks: Int32Array;
  any: Uint8Array;
}

/**
 * What a pass reads the text with, compiled on first use: the words' trie (GateIndex), the
 * one-character gates (looked up among non-word characters), and an automaton for longer gates and
 * the rules' start literals. A word or a one-character gate is a token; the tokens that satisfy the
 * same groups share a token list.
 */
interface PassTables {
  /** The trie of words (GateIndex.next, without room to grow). */
  next: StateTable;
  /** Per ASCII code, packed: its automaton column times 64, plus its trie letter + 1 (0: not a word character). */
  asciiCodes: Int32Array;
  /** Per ASCII code, the token list of its one-character gate, or -1. */
  singleAscii: Int32Array;
  singleOther: Map<number, number>;
  automaton: SubstringAutomaton;
  /**
   * The substrings with a character beyond ASCII, numbered after the others (from `beyondFirst` on):
   * read in a pass of their own, only over text that has such a character (most has none, and these
   * would make the first automaton's tables several times larger).
   */
  beyondAscii: SubstringAutomaton | undefined;
  beyondFirst: number;
  /** Per automaton substring (both automata): its length, its groups (gates of more than one character, first) and whether rules start with it. */
  lengths: number[];
  ids: number[][];
  starts: Uint8Array;
  /** Per automaton substring, the rules that may start with it: `words` Int32 bits each (as StartMasks). */
  startMasks: Int32Array;
  /** Per token list, its groups: the word lists (GateIndex.groupLists, by trie terminal) first, then one per one-character gate. */
  lists: number[][];
  /** Per token list, its tracked groups and its located groups (undefined when it has none). */
  trackedOfList: Array<number[] | undefined>;
  locatedOfList: Array<number[] | undefined>;
  /** Per located group, the token lists with it. */
  listsOfLocated: number[][];
  /** Per token list, the pass that last marked its groups: a token seen again only adds positions. */
  listPass: Int32Array;
}

/** What one pass collects: the groups found (once each), tracked groups' positions and, in long text, where located groups are. */
class PassFindings {
  readonly present: number[] = [];
  readonly tracked = new Map<number, number[]>();
  /**
   * Long text only, where located groups are satisfied: by token list for tokens (a common word
   * holds several groups: one list instead of a list per group) and by group for substrings.
   */
  private readonly listHits: Array<number[] | undefined> | undefined;
  private readonly groupHits: Array<number[] | undefined> | undefined;

  constructor(
    private readonly tables: PassTables,
    private readonly seen: Uint8Array,
    private readonly pass: number,
    private readonly trackedIds: Uint8Array,
    private readonly locatedIds: Uint8Array,
    withHits: boolean,
  ) {
    // Sized up front: an array written at scattered high indexes would be kept as a dictionary.
    this.listHits = withHits ? new Array<number[] | undefined>(tables.lists.length) : undefined;
    this.groupHits = withHits ? new Array<number[] | undefined>(locatedIds.length) : undefined;
  }

  /** A token of token list `list` at [start, end). */
  see(list: number, start: number, end: number): void {
    const tables = this.tables;
    if (tables.listPass[list] !== this.pass) {
      tables.listPass[list] = this.pass;
      for (const id of tables.lists[list]!) this.add(id);
    }
    const tracked = tables.trackedOfList[list];
    if (tracked !== undefined) for (const id of tracked) this.track(id, start);
    if (this.listHits !== undefined && tables.locatedOfList[list] !== undefined) push(this.listHits, list, start, end);
  }

  /** A substring of these groups at [start, end). */
  mark(ids: readonly number[], start: number, end: number): void {
    for (const id of ids) {
      this.add(id);
      if (this.trackedIds[id] === 1) this.track(id, start);
      if (this.groupHits !== undefined && this.locatedIds[id] === 1) push(this.groupHits, id, start, end);
    }
  }

  /** Where each located group is satisfied, put together from the token lists that hold it and its own substring hits. */
  hits(): GroupHits | undefined {
    const { listHits, groupHits } = this;
    if (listHits === undefined || groupHits === undefined) return undefined;
    const listsOfLocated = this.tables.listsOfLocated;
    return new GroupHits((id) => {
      const parts: number[][] = [];
      for (const list of listsOfLocated[id] ?? []) if (listHits[list]) parts.push(listHits[list]);
      if (groupHits[id]) parts.push(groupHits[id]);
      // Each part is in text order; a token's hit goes before a substring's at the same place.
      return mergePairs(parts);
    });
  }

  private add(id: number): void {
    if (this.seen[id] === 1) return;
    this.seen[id] = 1;
    this.present.push(id);
  }

  private track(id: number, start: number): void {
    const t = this.tracked.get(id);
    if (t) t.push(start);
    else this.tracked.set(id, [start]);
  }
}

function push(lists: Array<number[] | undefined>, index: number, start: number, end: number): void {
  const list = lists[index];
  if (list) list.push(start, end);
  else lists[index] = [start, end];
}

/**
 * Where located gate groups (GateIndex.locate) are satisfied in a long text: by group id, start and
 * end pairs in text order. A group's list is put together the first time it is asked for: most
 * groups of a text are never asked for.
 */
export class GroupHits {
  private readonly made: Array<readonly number[] | null> = [];

  constructor(private readonly make: (id: number) => readonly number[] | undefined) {}

  of(id: number): readonly number[] | undefined {
    let hits = this.made[id];
    if (hits === undefined) {
      hits = this.make(id) ?? null;
      this.made[id] = hits;
    }
    return hits ?? undefined;
  }
}

/** All gate groups of a rule set, indexed by word, so a text's words are looked up once for every rule. */
export class GateIndex {
  private next: Int32Array = new Int32Array(ALPHABET).fill(-1);
  /** Per trie node, the index in `groupLists` of the groups a word ending there satisfies, or -1. */
  private terminal: Int32Array = new Int32Array(1).fill(-1);
  private readonly groupLists: number[][] = [];
  private nodes = 1;
  /** Per rule start id, the trie nodes of the word prefixes its matches begin with. */
  private readonly startsOfRule: number[][] = [];
  /** Per rule start id, the trie nodes of the whole words its matches may begin with. */
  private readonly exactOfRule: number[][] = [];
  /** Literals rules may start with anywhere (not only at a word start), and the start ids of those rules. */
  private readonly startSubstrings = new Map<string, number[]>();
  /** The rules a word may start, by the deepest trie node it reaches and whether it ends there; built on first use. */
  private starts: StartMasks | undefined;
  /** Substring gates by substring (lower case), in the order registered; compiled into `tables` on first use. */
  private readonly bySubstring = new Map<string, number[]>();
  /** What a pass reads text with; compiled on first use, and again after any change. */
  private tables: PassTables | undefined;
  private size = 0;
  /** How many gates have been added (Gate.index). */
  gateCount = 0;
  /** Per group id, its gate alternative; per alternative, how many groups it has and its gate; counts for openGates. */
  private readonly alternativeOf: number[] = [];
  private readonly alternativeSizes: number[] = [];
  private readonly alternativeGates: number[] = [];
  private alternativeCounts = new Int32Array(0);
  /** Per group id, 1 when its positions are always recorded (the scoring layer's signals). */
  private tracked = new Uint8Array(0);
  /** Scratch marks of the groups one pass has found (cleared at the start of each pass). */
  private seen = new Uint8Array(0);
  /** The number of the current pass (see PassTables.listPass). */
  private pass = 0;

  /** Per group id, 1 when its positions are recorded in long text (TextAnalysis.hits). */
  private located = new Uint8Array(0);

  /** Records where the groups of this gate are satisfied in long text (TextAnalysis.hits), for searching around them. */
  locate(gate: Gate): void {
    const grown = new Uint8Array(this.size);
    grown.set(this.located);
    for (const ids of gate.alternatives) for (const id of ids) grown[id] = 1;
    this.located = grown;
    this.tables = undefined;
  }

  /** Records where these groups occur in every analysis (TextAnalysis.tracked), not only in long text. */
  track(ids: readonly number[]): void {
    const grown = new Uint8Array(this.size);
    grown.set(this.tracked);
    for (const id of ids) grown[id] = 1;
    this.tracked = grown;
    this.tables = undefined;
  }

  /** Registers a rule's gate; returns it as a test over a GateState. */
  add(alternatives: string[][][]): Gate {
    this.tables = undefined;
    const compiled = alternatives.map((groups) =>
      groups.map((group) => {
        const id = this.size++;
        if (this.seen.length < this.size) this.seen = new Uint8Array(Math.max(64, 2 * this.size));
        for (const item of group) {
          if (item.startsWith("=")) {
            const key = item.slice(1).toLowerCase();
            const ids = this.bySubstring.get(key);
            if (ids) ids.push(id);
            else this.bySubstring.set(key, [id]);
          } else this.addWord(item.toLowerCase(), id);
        }
        return id;
      }),
    );
    const test = (state: GateState): boolean => {
      const groups = state.groups;
      alternatives: for (const ids of compiled) {
        for (const id of ids) if (groups[id] !== 1) continue alternatives;
        return true;
      }
      return false;
    };
    const index = this.gateCount++;
    for (const ids of compiled) {
      for (const id of ids) this.alternativeOf[id] = this.alternativeSizes.length;
      this.alternativeSizes.push(ids.length);
      this.alternativeGates.push(index);
    }
    this.alternativeCounts = new Int32Array(this.alternativeSizes.length);
    return { test, alternatives: compiled, index };
  }

  /**
   * The gates `found` opens (every gate whose test a state with exactly these groups passes): 1 at
   * each gate's index in `into`, which is cleared first. `found` lists each group once.
   */
  openGates(found: readonly number[], into: Uint8Array): void {
    into.fill(0);
    const counts = this.alternativeCounts;
    // A group belongs to one alternative of one gate: an alternative is complete when all its groups are found.
    for (const id of found) {
      const alternative = this.alternativeOf[id]!;
      if (++counts[alternative]! === this.alternativeSizes[alternative]) into[this.alternativeGates[alternative]!] = 1;
    }
    for (const id of found) counts[this.alternativeOf[id]!] = 0;
  }

  /**
   * Registers what every match of a rule starts with (see start-words.ts): a word with one of
   * `prefixes`, a word that is one of `exact`, or one of `substrings` anywhere (lower case). Returns
   * the rule's start id.
   */
  addStarts(prefixes: readonly string[], substrings: readonly string[] = [], exact: readonly string[] = []): number {
    const id = this.startsOfRule.length;
    const nodesOf = (words: readonly string[]) => {
      const nodes: number[] = [];
      for (const word of words) {
        const node = this.nodeFor(word);
        if (node > 0 && !nodes.includes(node)) nodes.push(node);
      }
      return nodes;
    };
    this.startsOfRule.push(nodesOf(prefixes));
    this.exactOfRule.push(nodesOf(exact));
    for (const sub of substrings) {
      const rules = this.startSubstrings.get(sub);
      if (rules) rules.push(id);
      else this.startSubstrings.set(sub, [id]);
    }
    this.starts = undefined;
    this.tables = undefined;
    return id;
  }

  /** An empty set of rule start ids, for startLists. */
  startSet(): Int32Array {
    return new Int32Array(this.startMasks().words);
  }

  /**
   * Where each rule of `rules` (a set of start ids, see startSet) may start in an analysed text:
   * by start id, the increasing offsets of the words with one of its prefixes.
   */
  startLists(analysis: RuleStarts, rules: Int32Array): Array<number[] | undefined> {
    const { masks, words } = this.startMasks();
    const substringMasks = this.passTables().startMasks;
    const out: Array<number[] | undefined> = [];
    const add = (mask: Int32Array, row: number, at: number) => {
      for (let w = 0; w < words; w++) {
        for (let bits = mask[row + w]! & rules[w]!; bits !== 0; bits &= bits - 1) {
          const rule = w * 32 + 31 - Math.clz32(bits & -bits);
          const list = out[rule];
          if (!list) out[rule] = [at];
          else if (list[list.length - 1] !== at) list.push(at);
        }
      }
    };
    // Words and literals, both in text order, read together so that every list is increasing.
    const wordStarts = analysis.wordStarts;
    const literals = analysis.substringStarts;
    let i = 0;
    let j = 0;
    while (i < wordStarts.length || j < literals.length) {
      if (j >= literals.length || (i < wordStarts.length && wordStarts[i]! <= literals[j]!)) {
        add(masks, wordStarts[i + 1]! * words, wordStarts[i]!);
        i += 2;
      } else {
        add(substringMasks, literals[j + 1]! * words, literals[j]!);
        j += 2;
      }
    }
    return out;
  }

  /** Per trie node, the rules with a start prefix on the path to it (a word reaching the node may start them). */
  private startMasks(): StartMasks {
    if (this.starts) return this.starts;
    const words = Math.max(1, Math.ceil(this.startsOfRule.length / 32));
    const prefixMasks = new Int32Array(this.nodes * words);
    this.startsOfRule.forEach((nodes, rule) => {
      for (const node of nodes) prefixMasks[node * words + (rule >> 5)]! |= 1 << (rule & 31);
    });
    // Parents before children: a child inherits the rules of every prefix above it.
    const queue = [0];
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      for (let k = 0; k < ALPHABET; k++) {
        const child = this.next[node * ALPHABET + k]!;
        if (child < 0) continue;
        if (node > 0) for (let w = 0; w < words; w++) prefixMasks[child * words + w]! |= prefixMasks[node * words + w]!;
        queue.push(child);
      }
    }
    // Rows: 2n for a word going on past node n, 2n + 1 for a word ending there (its whole-word rules too).
    const rows = new Int32Array(2 * this.nodes * words);
    for (let node = 0; node < this.nodes; node++) {
      for (let w = 0; w < words; w++) {
        rows[2 * node * words + w] = prefixMasks[node * words + w]!;
        rows[(2 * node + 1) * words + w] = prefixMasks[node * words + w]!;
      }
    }
    this.exactOfRule.forEach((nodes, rule) => {
      for (const node of nodes) rows[(2 * node + 1) * words + (rule >> 5)]! |= 1 << (rule & 31);
    });
    const any = new Uint8Array(2 * this.nodes);
    for (let row = 0; row < 2 * this.nodes; row++) for (let w = 0; w < words; w++) if (rows[row * words + w] !== 0) any[row] = 1;
    this.starts = { words, masks: rows, any };
    return this.starts;
  }

  /** The trie node for a word, created as needed; -1 for a word with characters outside [a-z0-9]. */
  private nodeFor(word: string): number {
    let node = 0;
    for (let i = 0; i < word.length; i++) {
      const k = letterIndex(word.charCodeAt(i));
      if (k < 0) return -1;
      let child = this.next[node * ALPHABET + k]!;
      if (child < 0) {
        child = this.nodes++;
        if (this.nodes * ALPHABET > this.next.length) {
          const grown = new Int32Array(this.next.length * 2).fill(-1);
          grown.set(this.next);
          this.next = grown;
        }
        if (this.nodes > this.terminal.length) this.terminal = grow(this.terminal);
        this.next[node * ALPHABET + k] = child;
        this.starts = undefined;
      }
      node = child;
    }
    return node;
  }

  private addWord(word: string, id: number): void {
    const node = this.nodeFor(word);
    if (node < 0) return; // a gate word with other characters can never be a whole [a-z0-9] word
    if (this.terminal[node]! < 0) {
      this.terminal[node] = this.groupLists.length;
      this.groupLists.push([]);
    }
    this.groupLists[this.terminal[node]!]!.push(id);
  }

  /**
   * Whether every substring a pass looks for lies within a line, so that a pass over fields joined
   * by blank lines finds nothing across two fields (and restrictStarts may read one text's pass off
   * another's).
   */
  get withinLines(): boolean {
    return ![...this.bySubstring.keys(), ...this.startSubstrings.keys()].some((sub) => sub.includes("\n"));
  }

  private passTables(): PassTables {
    if (this.tables) return this.tables;
    // Token lists: the words' lists, then one per one-character gate.
    const lists = [...this.groupLists];
    const singleAscii = new Int32Array(128).fill(-1);
    const singleOther = new Map<number, number>();
    // The automaton's substrings: gates of more than one character in the order registered, then start literals not among them.
    const index = new Map<string, number>();
    const ids: number[][] = [];
    for (const [sub, groups] of this.bySubstring) {
      if (sub.length === 1) {
        const c = sub.charCodeAt(0);
        if (c < 128) singleAscii[c] = lists.length;
        else singleOther.set(c, lists.length);
        lists.push(groups);
      } else if (sub.length > 1) {
        index.set(sub, ids.length);
        ids.push(groups);
      }
    }
    for (const sub of this.startSubstrings.keys()) {
      if (index.has(sub)) continue;
      index.set(sub, ids.length);
      ids.push([]);
    }
    // Those with a character beyond ASCII last, for an automaton of their own.
    const order = [...index.keys()].sort((a, b) => Number(hasCharBeyondAscii(a)) - Number(hasCharBeyondAscii(b)));
    const reordered = order.map((sub) => ids[index.get(sub)!]!);
    order.forEach((sub, k) => index.set(sub, k));
    ids.splice(0, ids.length, ...reordered);
    // Where the substrings with a character beyond ASCII begin (all of them, when there are none).
    const firstBeyond = order.findIndex(hasCharBeyondAscii);
    const split = firstBeyond < 0 ? order.length : firstBeyond;
    const words = Math.max(1, Math.ceil(this.startsOfRule.length / 32));
    const starts = new Uint8Array(ids.length);
    const startMasks = new Int32Array(ids.length * words);
    for (const [sub, rules] of this.startSubstrings) {
      const k = index.get(sub)!;
      starts[k] = 1;
      for (const rule of rules) startMasks[k * words + (rule >> 5)]! |= 1 << (rule & 31);
    }
    const automaton = new SubstringAutomaton(order.slice(0, split));
    const beyondAscii = split < order.length ? new SubstringAutomaton(order.slice(split)) : undefined;
    const subset = (flags: Uint8Array) =>
      lists.map((groups) => {
        const flagged = groups.filter((id) => flags[id] === 1);
        return flagged.length > 0 ? flagged : undefined;
      });
    const locatedOfList = subset(this.located);
    const listsOfLocated: number[][] = [];
    locatedOfList.forEach((located, list) => {
      for (const id of located ?? []) (listsOfLocated[id] ??= []).push(list);
    });
    const next = stateTable(this.nodes * ALPHABET, this.nodes);
    next.set(this.next.subarray(0, next.length));
    this.tables = {
      next,
      asciiCodes: Int32Array.from({ length: 128 }, (_, c) => automaton.asciiColumn[c]! * 64 + LETTER[c]! + 1),
      singleAscii,
      singleOther,
      automaton,
      beyondAscii,
      beyondFirst: split,
      lengths: order.map((p) => p.length),
      ids,
      starts,
      startMasks,
      lists,
      trackedOfList: subset(this.tracked),
      locatedOfList,
      listsOfLocated,
      listPass: new Int32Array(lists.length),
    };
    return this.tables;
  }

  /** How many gate groups there are (the length of GateState.groups). */
  get groupCount(): number {
    return this.size;
  }

  /** One pass over lower-cased text: the gate groups it satisfies. */
  evaluate(lower: string): GateState {
    const groups = new Uint8Array(this.size);
    for (const id of this.analyze(lower, false).present) groups[id] = 1;
    return { groups };
  }

  /**
   * One pass over lower-cased text: the gate groups it satisfies; where each rule with start words
   * may start; and, with `withHits`, where each located gate group is satisfied.
   */
  analyze(lower: string, withHits: boolean): TextAnalysis {
    const tables = this.passTables();
    this.seen.fill(0);
    if (++this.pass === 0x7fffffff) {
      tables.listPass.fill(0);
      this.pass = 1;
    }
    const found = new PassFindings(tables, this.seen, this.pass, this.tracked, this.located, withHits);
    const wordStarts: number[] = [];
    const startsAt = this.startMasks().any;
    const { asciiCodes, singleAscii, singleOther, automaton, lengths } = tables;
    const { asciiNext, asciiColumns, firstOutput } = automaton;
    // Substring occurrences as start * count + index, marked after the words in text order (as a search would find them).
    const count = lengths.length;
    const occurrences: number[] = [];
    const next = tables.next;
    const terminal = this.terminal;
    let state = 0;
    let node = 0;
    /** The deepest trie node the current word reached (its prefixes are the words' start prefixes it has). */
    let deepest = 0;
    let length = 0;
    let beyondAscii = false;
    for (let i = 0; i <= lower.length; i++) {
      if (i < lower.length) {
        const c = lower.charCodeAt(i);
        let letter = -1;
        if (c < 128) {
          const code = asciiCodes[c]!;
          state = asciiNext[state * asciiColumns + (code >> 6)]!;
          letter = (code & 63) - 1;
          if (letter < 0 && singleAscii[c]! >= 0) found.see(singleAscii[c]!, i, i + 1);
        } else {
          beyondAscii = true;
          state = automaton.stepOther(state, c);
          const single = singleOther.get(c);
          if (single !== undefined) found.see(single, i, i + 1);
        }
        if (state >= firstOutput) for (const s of automaton.outputs[automaton.output[state]!]!) occurrences.push((i + 1 - lengths[s]!) * count + s);
        if (letter >= 0) {
          length++;
          if (node < 0) continue;
          node = next[node * ALPHABET + letter]!;
          if (node >= 0) deepest = node;
          continue;
        }
      }
      if (length === 0) continue;
      // A word that is a trie node ends there (its row 2n + 1); any other went on past its deepest node.
      const row = node > 0 ? 2 * node + 1 : 2 * deepest;
      if (startsAt[row] === 1) wordStarts.push(i - length, row);
      if (node > 0 && terminal[node]! >= 0) found.see(terminal[node]!, i - length, i);
      node = 0;
      deepest = 0;
      length = 0;
    }
    const substringStarts: number[] = [];
    const before = occurrences.length;
    if (beyondAscii) tables.beyondAscii?.occurrences(lower, lengths, tables.beyondFirst, count, occurrences);
    if (occurrences.length > before) occurrences.sort((a, b) => a - b);
    else sortNearlySorted(occurrences);
    for (const v of occurrences) {
      const s = v % count;
      const start = (v - s) / count;
      if (tables.ids[s]!.length > 0) found.mark(tables.ids[s]!, start, start + lengths[s]!);
      if (tables.starts[s] === 1) substringStarts.push(start, s);
    }
    return { present: found.present, wordStarts, substringStarts, hits: found.hits(), tracked: found.tracked };
  }
}

/**
 * The rule starts of a text made of stretches of an analysed text, read off that text's pass:
 * `stretches` are (from, to, at) triples in text order, [from, to) of the analysed text standing at
 * `at` in the new one. Exact when nothing the pass found crosses a stretch's edge: whole fields
 * of text joined by blank lines, and a gate index whose substrings are withinLines. `withHits`: the
 * new text is long (the analysed text has hits, being longer).
 */
export function restrictStarts(analysis: RuleStarts, stretches: readonly number[], withHits: boolean): RuleStarts {
  // Keeps the (offset, x) pairs of `pairs` (increasing offsets) whose offset lies in a stretch, moved; with `ends`, x is an end that must lie in it too.
  const keep = (pairs: readonly number[], ends: boolean): number[] => {
    const out: number[] = [];
    let k = 0;
    for (let i = 0; i < pairs.length; i += 2) {
      const at = pairs[i]!;
      while (k < stretches.length && stretches[k + 1]! <= at) k += 3;
      if (k >= stretches.length) break;
      const from = stretches[k]!;
      if (at < from || (ends && pairs[i + 1]! > stretches[k + 1]!)) continue;
      const shift = stretches[k + 2]! - from;
      out.push(at + shift, ends ? pairs[i + 1]! + shift : pairs[i + 1]!);
    }
    return out;
  };
  const parent = withHits ? analysis.hits : undefined;
  const hits =
    parent &&
    new GroupHits((id) => {
      const list = parent.of(id);
      const kept = list && keep(list, true);
      return kept && kept.length > 0 ? kept : undefined;
    });
  return { wordStarts: keep(analysis.wordStarts, false), substringStarts: keep(analysis.substringStarts, false), hits };
}

/** What running the rules needs of a pass: where they may start and, in long text, where gate groups are satisfied. */
export interface RuleStarts {
  /** Words that may start a rule with start words: (offset, start row) pairs, in text order (see StartMasks and GateIndex.startLists). */
  wordStarts: number[];
  /** Start literals found anywhere: (offset, literal) pairs, in text order (see GateIndex.startLists). */
  substringStarts: number[];
  /** Where located gate groups (GateIndex.locate) are satisfied; only when asked for. */
  hits: GroupHits | undefined;
}

/** What one pass over a text found. */
export interface TextAnalysis extends RuleStarts {
  /** The gate groups it satisfies, each once, in the order found. */
  present: number[];
  /** Tracked group id -> start offsets of its words (GateIndex.track), in text order for words, substrings after. */
  tracked: Map<number, number[]>;
}

export interface CompiledRegexRule extends CompiledRuleBase {
  kind: "regex";
  regex: RegExp;
  foreignToolOnly: boolean;
  /** Matches count only when their named group names one of the definition's own text arguments. */
  ownArgumentOnly: boolean;
  /** Matches in the name of a property whose value cannot carry text (TextUnit.flag) do not count. */
  textValueOnly: boolean;
  /** See the rule file's `messageListSeverity`: undefined when a match there counts like any other. */
  messageListSeverity: Severity | undefined;
  /** See the rule file's `unlessDescribes`: the rule skips a definition whose description matches. */
  unlessDescribes: RegExp | undefined;
  /** See the rule file's `unlessOffSwitch`: matches in an off-by-default switch's description do not count. */
  unlessOffSwitch: boolean;
  /** Only units whose path matches; undefined = every unit of the rule's roles. */
  path: RegExp | undefined;
  /** Matches are bounded (no `[\s\S]` or `.*`), so long text may be searched only around the words its gate needs. */
  windowed: boolean;
  /**
   * Where matches can start, found by the gate index's pass (see start-words.ts): the rule's start
   * id and the same pattern, sticky. From "words": every match starts at a word with one of the
   * rule's prefixes, so the rule runs only there, in any text. From "literals": the literals were
   * read from the whole pattern; they stand in for a search of the whole text, or of a stretch of
   * it (where the stretch begins is tried too). `wholeWords`: some start words count only as whole
   * words, which a Kelvin sign (lower-cased to "k") could join to the next one.
   */
  start: { id: number; sticky: RegExp; from: "words" | "literals"; wholeWords: boolean } | undefined;
  /** The pattern, sticky, when every match starts where a line does (see startsAtLines): the rule is tried only there. */
  lineStarts: RegExp | undefined;
  /** Whether `regex`, and the sticky pattern (`start.sticky` or `lineStarts`), were made native (see regex-tier-up.ts); set on first use. */
  native: { regex: boolean; sticky: boolean };
}

export interface CompiledDetectorRule extends CompiledRuleBase {
  kind: DetectorKind;
  detect: Detector;
  params: DetectorParams;
  /** Character classes (CharClass), one of which the text must contain for the detector to find anything; 0 = any text. */
  needs: number;
}

export type CompiledRule = CompiledRegexRule | CompiledDetectorRule;

export interface RuleSet {
  name: string;
  version: string;
  rules: readonly CompiledRule[];
  confusables: ReadonlyMap<string, string>;
  foreignAlways: ReadonlySet<string>;
  foreignNever: ReadonlySet<string>;
  /** Endings of words that are never a tool's name ("comma-separated", "user-specific"). */
  foreignNeverSuffixes: readonly string[];
  /** Query facets (see ruleFileSchema): a `facet:value` token is no tool name. */
  foreignFacets: ReadonlySet<string>;
  gates: GateIndex;
  /** The weak-signal scoring layer's word groups (in `gates`); absent in a hand-built rule set. */
  signals?: readonly CompiledSignal[];
}

function expandMacros(pattern: string, macros: Record<string, string>, ruleId: string): string {
  let out = pattern;
  // Macros may use macros; a bounded number of passes catches cycles.
  for (let pass = 0; pass < 8 && out.includes("{{"); pass++) {
    out = out.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_, name: string) => {
      const body = macros[name];
      if (body === undefined) throw new SapperError("SAPPER_RULES_INVALID", `rule ${ruleId} uses the unknown macro {{${name}}}`);
      return body;
    });
  }
  if (/\{\{[A-Z0-9_]+\}\}/.test(out)) throw new SapperError("SAPPER_RULES_INVALID", `rule ${ruleId}: macros nest too deeply (a cycle?)`);
  return out;
}

export function compileRuleSet(file: RuleFile): RuleSet {
  const seen = new Set<string>();
  const gates = new GateIndex();
  const sticky = (regex: RegExp) => new RegExp(regex.source, `${regex.flags.replace("g", "")}y`);
  const startOf = (regex: RegExp): CompiledRegexRule["start"] => {
    // Literals are read for patterns without the u flag only (it changes escapes and case folding).
    const literals = regex.flags.includes("u") ? undefined : literalStarts(regex.source);
    const prefixes = startPrefixes(regex.source);
    if (prefixes) {
      // The same start words, read closer where the literals say which of them are whole words.
      const words = literals && literals.substrings.length === 0 ? literals : { words: prefixes, exact: [] };
      return { id: gates.addStarts(words.words, [], words.exact), sticky: sticky(regex), from: "words", wholeWords: words.exact.length > 0 };
    }
    return literals ? { id: gates.addStarts(literals.words, literals.substrings, literals.exact), sticky: sticky(regex), from: "literals", wholeWords: literals.exact.length > 0 } : undefined;
  };
  const rules = file.rules.map((r): CompiledRule => {
    if (seen.has(r.id)) throw new SapperError("SAPPER_RULES_INVALID", `rule id ${r.id} is used twice`);
    seen.add(r.id);
    const base = {
      id: r.id,
      family: r.family,
      severity: r.severity,
      message: r.message,
      roles: new Set(r.targets),
      argumentsOnly: r.argumentsOnly,
      gate: r.requires ? gates.add(r.requires) : undefined,
    };
    if (r.kind === "regex") {
      let regex: RegExp;
      let path: RegExp | undefined;
      let unlessDescribes: RegExp | undefined;
      try {
        regex = new RegExp(expandMacros(r.pattern, file.macros, r.id), `${r.flags.replace(/[gyd]/g, "")}g`);
        path = r.path === undefined ? undefined : new RegExp(r.path, "i");
        unlessDescribes = r.unlessDescribes === undefined ? undefined : new RegExp(r.unlessDescribes, "i");
        // Both conditions judge the name a match captures: without a named group no match could ever count.
        if ((r.condition === "foreign-tool" || r.condition === "own-argument") && !/\(\?<[A-Za-z_]/.test(regex.source)) {
          throw new SapperError("SAPPER_RULES_INVALID", `rule ${r.id} has condition ${r.condition}, which needs a named group (?<name>…) in its pattern for the name it judges`);
        }
      } catch (err) {
        if (err instanceof SapperError) throw err;
        throw new SapperError("SAPPER_RULES_INVALID", `rule ${r.id} has an invalid pattern: ${(err as Error).message}`);
      }
      const windowed = !/\[\\s\\S\]|(?<!\\)\.[*+]/.test(regex.source);
      // Long text is searched around the words a windowed rule's gate needs: the pass records where they are.
      if (windowed && base.gate) gates.locate(base.gate);
      const start = startOf(regex);
      const lineStarts = !start && startsAtLines(regex.source, regex.flags) ? sticky(regex) : undefined;
      return { ...base, kind: "regex", regex, foreignToolOnly: r.condition === "foreign-tool", ownArgumentOnly: r.condition === "own-argument", textValueOnly: r.condition === "text-value", messageListSeverity: r.messageListSeverity, unlessDescribes, unlessOffSwitch: r.unlessOffSwitch, path, windowed, start, lineStarts, native: { regex: false, sticky: false } };
    }
    return { ...base, kind: r.kind, detect: DETECTORS[r.kind], params: r.params, needs: DETECTOR_NEEDS[r.kind] };
  });
  // Registered after the rules' gates: the same one pass over the text marks the signals too.
  const signals = compileSignals((words) => gates.add([[words]]).alternatives[0]![0]!);
  gates.track(signals.flatMap((s) => [s.strong, s.weak, ...[s.keys, s.imperative].filter((id): id is number => id !== undefined)]));
  return {
    name: file.name,
    version: file.version,
    rules,
    signals,
    confusables: new Map(Object.entries(file.confusables)),
    foreignAlways: new Set(file.foreignToolWords.always),
    foreignNever: new Set(file.foreignToolWords.never),
    foreignNeverSuffixes: file.foreignToolWords.neverSuffixes,
    foreignFacets: new Set(file.foreignToolWords.facets.map((w) => w.toLowerCase())),
    gates,
  };
}

/** Reads, validates and compiles a rule file (default: the bundled rules/poisoning-rules.v1.json). */
export function loadRuleSet(path: string = DEFAULT_RULES_PATH): RuleSet {
  return compileRuleSet(readRulesFile(path, ruleFileSchema, "the rule file"));
}
