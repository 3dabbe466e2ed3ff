// A second reading of a definition beside the rules: a linear model over the words of the whole
// definition (each word and each pair of adjacent words, present or not), trained on the labelled
// fixtures by scripts/train-text-model.mjs. The rules name attack classes one phrasing at a time;
// measured on sets it never saw, the model caught most of the attacks worded in ways no rule knew,
// at a false positive rate well below the rules' own (docs/supply-chain-evaluation.md, "Text model").
// It only ever warns (its findings are `medium`): a word count is evidence, not proof.
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { SapperError } from "../errors.js";
import type { TextUnit } from "./definition-text.js";
import { readRulesFile } from "./rules-file.js";

export const DEFAULT_MODEL_PATH = fileURLToPath(new URL("../../rules/poisoning-model.v1.json", import.meta.url));

/** The rule id of the model's findings (ignorable like any rule). */
export const MODEL_RULE_ID = "SC-002";

const modelFileSchema = z
  .object({
    $comment: z.string().optional(),
    name: z.string().min(1),
    version: z.number().int().positive(),
    /** What it was trained on and how the threshold was chosen (written by the training script). */
    training: z.record(z.string(), z.unknown()).optional(),
    bias: z.number(),
    /** A definition whose score is above this is reported. */
    threshold: z.number(),
    /** Feature (a lower-case word, or two words parted by one space) -> weight. */
    weights: z.record(z.string(), z.number()),
  })
  .strict();

export interface TextModel {
  readonly name: string;
  readonly version: number;
  readonly bias: number;
  readonly threshold: number;
  readonly weights: ReadonlyMap<string, number>;
  /** The same weights by the hashes of their words (see FeatureTable), for scoring without making strings. */
  readonly table: FeatureTable;
}

/** Reads and validates a model file (default: the bundled rules/poisoning-model.v1.json). */
export function loadTextModel(path: string = DEFAULT_MODEL_PATH): TextModel {
  const file = readRulesFile(path, modelFileSchema, "the text model");
  const weights = new Map(Object.entries(file.weights));
  for (const key of weights.keys()) {
    const words = key.split(" ");
    if (words.length > 2 || words.some((w) => !isOneWord(w))) throw new SapperError("SAPPER_RULES_INVALID", `${path}: weights: "${key}" is not a word or two words parted by a space`);
  }
  return { name: file.name, version: file.version, bias: file.bias, threshold: file.threshold, weights, table: new FeatureTable(weights) };
}

// Words: runs of letters and digits (any script's, in the Basic Multilingual Plane) in lower-cased
// text; everything else parts them. A pair is two words in a row, whatever parts them.

/**
 * Per UTF-16 code unit, the code unit it lower-cases to (0: not yet known). One unit for one: a
 * character whose lower case is longer (U+0130) keeps its first unit, so offsets never move.
 */
const LOWER = new Uint16Array(0x10000);
for (let c = 0; c < 128; c++) LOWER[c] = c >= 65 && c <= 90 ? c + 32 : c;

function lowerOf(c: number): number {
  let lower = LOWER[c]!;
  if (lower === 0 && c !== 0) {
    lower = c >= 0xd800 && c <= 0xdfff ? c : String.fromCharCode(c).toLowerCase().charCodeAt(0);
    LOWER[c] = lower;
  }
  return lower;
}

/** A text lower-cased code unit by code unit (see LOWER): the same length, each unit where it was. */
function lowerCased(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const lower = c < 128 ? LOWER[c]! : lowerOf(c);
    if (lower === c) continue;
    out += text.slice(from, i) + String.fromCharCode(lower);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Per UTF-16 code unit: 0 not yet known, 1 a word character, 2 not. */
const WORD_CHAR = new Uint8Array(0x10000);
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

for (let c = 0; c < 128; c++) WORD_CHAR[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 2;

function isWordChar(c: number): boolean {
  let kind = WORD_CHAR[c]!;
  if (kind === 0) {
    kind = c >= 0xd800 && c <= 0xdfff ? 2 : LETTER_OR_DIGIT.test(String.fromCharCode(c)) ? 1 : 2;
    WORD_CHAR[c] = kind;
  }
  return kind === 1;
}

function isOneWord(word: string): boolean {
  if (word.length === 0 || word !== lowerCased(word)) return false;
  for (let i = 0; i < word.length; i++) if (!isWordChar(word.charCodeAt(i))) return false;
  return true;
}

/** Calls `visit` with the start and end of every word of lower-cased text (see lowerCased), in order. */
function eachWord(lower: string, visit: (start: number, end: number) => void): void {
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    if (i < lower.length && isWordChar(lower.charCodeAt(i))) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      visit(start, i);
      start = -1;
    }
  }
}

// A feature is known by two 32-bit hashes of its words (a false match of both is a one in 2^64
// chance per pair of features), so scoring makes no strings.
function hashA(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

function hashB(text: string, start: number, end: number): number {
  let h = 0x2545f491;
  for (let i = start; i < end; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x85ebca6b);
    h ^= h >>> 13;
  }
  return h;
}

function pairA(first: number, second: number): number {
  const h = Math.imul(first ^ 0x9e3779b9, 0xc2b2ae35) ^ second;
  return Math.imul(h ^ (h >>> 16), 0x85ebca6b);
}

function pairB(first: number, second: number): number {
  const h = Math.imul(first ^ 0x7f4a7c15, 0x27d4eb2f) ^ second;
  return Math.imul(h ^ (h >>> 15), 0x165667b1);
}

/** Bits of FeatureTable's filter: 2^18, 32 KB, small enough to stay in the processor's cache. */
const FILTER_BITS = 18;

/**
 * The model's weights in an open-addressing table keyed by both hashes of a feature. Most words and
 * pairs of a definition are not in the model: a bit per hash value (a one-hash Bloom filter) says so
 * without reading the table, which is too large to stay in the processor's cache.
 */
export class FeatureTable {
  private readonly filter = new Int32Array(1 << (FILTER_BITS - 5));
  private readonly mask: number;
  private readonly keyA: Int32Array;
  private readonly keyB: Int32Array;
  private readonly used: Uint8Array;
  private readonly weight: Float64Array;
  /** Per slot, the reading that last counted it: a feature counts once per definition. */
  private readonly counted: Uint32Array;
  private reading = 0;

  constructor(weights: ReadonlyMap<string, number>) {
    let size = 16;
    while (size < weights.size * 2) size *= 2;
    this.mask = size - 1;
    this.keyA = new Int32Array(size);
    this.keyB = new Int32Array(size);
    this.used = new Uint8Array(size);
    this.weight = new Float64Array(size);
    this.counted = new Uint32Array(size);
    for (const [key, w] of weights) {
      const space = key.indexOf(" ");
      const [a, b] =
        space < 0
          ? [hashA(key, 0, key.length), hashB(key, 0, key.length)]
          : [pairA(hashA(key, 0, space), hashA(key, space + 1, key.length)), pairB(hashB(key, 0, space), hashB(key, space + 1, key.length))];
      let slot = this.slotOf(a, b);
      while (this.used[slot] === 1) slot = (slot + 1) & this.mask;
      this.used[slot] = 1;
      this.keyA[slot] = a;
      this.keyB[slot] = b;
      this.weight[slot] = w;
      const bit = a >>> (32 - FILTER_BITS);
      this.filter[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  /** Starts reading a definition: every feature may count once again. */
  startReading(): void {
    if (++this.reading === 0xffffffff) {
      this.counted.fill(0);
      this.reading = 1;
    }
  }

  /** The weight of the feature with hashes (a, b) the first time this reading meets it; 0 after, or for a feature the model lacks. */
  take(a: number, b: number): number {
    const bit = a >>> (32 - FILTER_BITS);
    if ((this.filter[bit >>> 5]! & (1 << (bit & 31))) === 0) return 0;
    for (let slot = this.slotOf(a, b); this.used[slot] === 1; slot = (slot + 1) & this.mask) {
      if (this.keyA[slot] !== a || this.keyB[slot] !== b) continue;
      if (this.counted[slot] === this.reading) return 0;
      this.counted[slot] = this.reading;
      return this.weight[slot]!;
    }
    return 0;
  }

  private slotOf(a: number, b: number): number {
    return (a ^ (b >>> 7)) & this.mask;
  }
}

/**
 * What the model reads of a definition, in order: its prose fields, then its names and keys. A value listed in an
 * `enum` that is one token (`g_us`, `charge_automatically`) is a value, not language: a list of 230 search-engine
 * codes read as words ("g", "is", "to", "my" …) outweighed any description. The rules still read every value.
 */
function inReadingOrder(units: readonly TextUnit[]): TextUnit[] {
  const read = units.filter((u) => !(u.enumValue && !/\s/.test(u.text)));
  return [...read.filter((u) => u.role === "prose"), ...read.filter((u) => u.role !== "prose")];
}

/**
 * Calls `visit` with every feature of a definition in reading order, repeats included: each word, and each pair of
 * adjacent words (across fields too). `unit` is the index in reading order where the feature ends; `start` is where
 * it starts in that unit (a pair begun in the unit before starts at its second word).
 */
function eachFeature(ordered: readonly TextUnit[], visit: (key: string, unit: number, start: number, end: number) => void): void {
  let previous: { word: string; unit: number; start: number } | undefined;
  ordered.forEach((unit, u) => {
    const lower = lowerCased(unit.text);
    eachWord(lower, (start, end) => {
      const word = lower.slice(start, end);
      visit(word, u, start, end);
      if (previous) visit(`${previous.word} ${word}`, u, previous.unit === u ? previous.start : start, end);
      previous = { word, unit: u, start };
    });
  });
}

/** A definition's distinct features in order of first occurrence, as the training script learns them. */
export function definitionFeatures(units: readonly TextUnit[]): string[] {
  const seen = new Set<string>();
  eachFeature(inReadingOrder(units), (key) => seen.add(key));
  return [...seen];
}

/**
 * The model's score of a definition: its bias plus the weight of every distinct feature it has.
 * (eachWord, hashA and hashB written out in one loop: this runs on every definition.)
 */
export function scoreDefinition(model: TextModel, units: readonly TextUnit[]): number {
  const table = model.table;
  table.startReading();
  let score = model.bias;
  let started = false;
  let previousA = 0;
  let previousB = 0;
  for (const unit of inReadingOrder(units)) {
    const text = unit.text;
    let inWord = false;
    let a = 0;
    let b = 0;
    for (let i = 0; i <= text.length; i++) {
      const code = i < text.length ? text.charCodeAt(i) : 32;
      const c = code < 128 ? LOWER[code]! : lowerOf(code);
      if (WORD_CHAR[c] === 1 || (WORD_CHAR[c] === 0 && isWordChar(c))) {
        if (!inWord) {
          inWord = true;
          a = 0x811c9dc5;
          b = 0x2545f491;
        }
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x85ebca6b);
        b ^= b >>> 13;
      } else if (inWord) {
        inWord = false;
        score += table.take(a, b);
        if (started) score += table.take(pairA(previousA, a), pairB(previousB, b));
        started = true;
        previousA = a;
        previousB = b;
      }
    }
  }
  return score;
}

// The model learnt from English, nearly all of its benign definitions are English, and the attacks written for the
// multilingual rules are not: on a real French server it read French itself as an attack ("le", "la", "que", "de" …
// weighed up). It reads no definition whose prose is mostly in another language written with Latin letters; the
// rules, which know those languages' phrasings, still do. (Definitions in other scripts are read: real ones of them
// are among the benign definitions it learnt from.)
const ENGLISH_WORDS = new Set("the a an to of and or is are be for in on with this that it by from as at you your if not will can when all any which".split(" "));
/** Function words of French, Spanish, German, Portuguese, Italian and Dutch that are no English word. */
const FOREIGN_WORDS = new Set(
  (
    "le la les des du et une pour dans sur avec ne pas que qui au aux ce cette ou vous votre " +
    "el los las del y una para es con por como lo al su sus esta este " +
    "der das und ist ein eine für mit nicht zu dem von auf sie oder wird " +
    "um uma não em da dos das ao seu sua " +
    "il di che è della gli nel alla sono " +
    "het een en zijn voor niet met op"
  ).split(" "),
);
/** Whether a definition's prose is mostly in another language written with Latin letters (see ENGLISH_WORDS). */
export function readsForeign(units: readonly TextUnit[]): boolean {
  let english = 0;
  let foreign = 0;
  for (const unit of units) {
    if (unit.role !== "prose") continue;
    const lower = lowerCased(unit.text);
    eachWord(lower, (start, end) => {
      const word = lower.slice(start, end);
      if (ENGLISH_WORDS.has(word)) english++;
      else if (FOREIGN_WORDS.has(word)) foreign++;
    });
  }
  return foreign >= 3 && foreign > english;
}

/** What the model found in a definition that scores above its threshold. */
export interface ModelVerdict {
  score: number;
  /** The unit and the sentence in it whose features weigh most. */
  unit: TextUnit;
  start: number;
  end: number;
  /** The features of that sentence with the largest weights, largest first. */
  strongest: string[];
}

const SENTENCE_END = /[.!?。！？]+(?=\s|$)|\n+/gu;

/** Where the sentences of a text end (after their final stop, or at a line break), the text's end last. */
export function sentenceEnds(text: string): number[] {
  return [...[...text.matchAll(SENTENCE_END)].map((m) => m.index + m[0].length), text.length];
}

/** Scores a definition's units; a verdict, with the sentence to show, when the score is above the model's threshold. */
export function readDefinition(model: TextModel, units: readonly TextUnit[]): ModelVerdict | undefined {
  const score = scoreDefinition(model, units);
  if (!(score > model.threshold) || readsForeign(units)) return undefined;
  // Where each feature the model knows first occurs: its unit, and its start there.
  const found: Array<{ key: string; unit: number; start: number; weight: number }> = [];
  const seen = new Set<string>();
  const ordered = inReadingOrder(units);
  eachFeature(ordered, (key, unit, start) => {
    const weight = model.weights.get(key);
    if (weight === undefined || seen.has(key)) return;
    seen.add(key);
    found.push({ key, unit, start, weight });
  });
  // The sentence (of one unit) that the weights of the features starting in it favour most.
  let best = { sum: -Infinity, unit: 0, start: 0, end: 0 };
  ordered.forEach((unit, u) => {
    let start = 0;
    for (const end of sentenceEnds(unit.text)) {
      if (end <= start) continue;
      let sum = 0;
      for (const f of found) if (f.unit === u && f.start >= start && f.start < end) sum += f.weight;
      if (sum > best.sum) best = { sum, unit: u, start, end };
      start = end;
    }
  });
  const unit = ordered[best.unit]!;
  const text = unit.text.slice(best.start, best.end);
  const start = best.start + (text.length - text.trimStart().length);
  const end = Math.max(start, best.end - (text.length - text.trimEnd().length));
  const strongest = found
    .filter((f) => f.weight > 0 && f.unit === best.unit && f.start >= best.start && f.start < best.end)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 3)
    .map((f) => f.key);
  return { score, unit, start, end, strongest };
}
