// Where a rule can start: most rules begin with `\b` and a choice of words ("\b(?:read|open|…)"),
// so a match can only start where a word with one of those prefixes starts. The gate index finds
// those places for every rule in its one pass over a text; a rule then runs (sticky) only there,
// instead of trying every position of every description.

/** Splits a pattern at its top-level `|`. */
function alternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  let escaped = false;
  let inClass = false;
  for (const ch of source) {
    if (escaped) escaped = false;
    else if (ch === "\\") escaped = true;
    else if (inClass) inClass = ch !== "]";
    else if (ch === "[") inClass = true;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "|" && depth === 0) {
      parts.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

/** Index of the `)` closing the group that opens at `source[0]`, or -1. */
function groupEnd(source: string): number {
  let depth = 0;
  let escaped = false;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (escaped) escaped = false;
    else if (ch === "\\") escaped = true;
    else if (inClass) inClass = ch !== "]";
    else if (ch === "[") inClass = true;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i;
  }
  return -1;
}

/** The literal word prefixes an alternative (already past its `\b`) can start with, or undefined. */
function leadingPrefixes(source: string): string[] | undefined {
  if (source.startsWith("(?:")) {
    const end = groupEnd(source);
    const quantifier = source[end + 1];
    // An optional group: it may start elsewhere. (A group that ends the alternative is not optional.)
    if (end < 0 || (quantifier !== undefined && "?*{".includes(quantifier))) return undefined;
    const out: string[] = [];
    for (const alt of alternatives(source.slice(3, end))) {
      const p = leadingPrefixes(alt.startsWith("\\b") ? alt.slice(2) : alt);
      if (!p) return undefined;
      out.push(...p);
    }
    return out;
  }
  const word = /^[A-Za-z0-9]+/.exec(source)?.[0];
  if (!word) return undefined;
  // "colou?r": the quantified last letter may be absent. (A word that ends the alternative is whole:
  // `"?*{".includes("")` would be true, and cut "if" to "i" and "tool" to "too".)
  const after = source[word.length];
  const prefix = after !== undefined && "?*{".includes(after) ? word.slice(0, -1) : word;
  return prefix ? [prefix.toLowerCase()] : undefined;
}

/**
 * The word prefixes every match of a pattern starts with, when each of its alternatives begins with
 * `\b` and literal words; undefined when a match could start anywhere else.
 */
export function startPrefixes(source: string): string[] | undefined {
  const out = new Set<string>();
  for (const alt of alternatives(source)) {
    if (!alt.startsWith("\\b")) return undefined;
    const p = leadingPrefixes(alt.slice(2));
    if (!p) return undefined;
    for (const w of p) out.add(w);
  }
  return [...out];
}

/** Whether every match of a pattern starts where a line does: it is multiline and each of its alternatives begins with `^`. */
export function startsAtLines(source: string, flags: string): boolean {
  return flags.includes("m") && alternatives(source).every((alt) => alt.startsWith("^"));
}

/**
 * Literals every match of a pattern starts with: `words` at a word start (the pattern has `\b`
 * there), `substrings` anywhere. Lower case, at most LITERAL_CHARS long; a character beyond ASCII
 * stands for what lower-casing the text turns every character the pattern matches there into (see
 * foldingsOf), and a literal stops before one it cannot read so. A class of a few plain characters that starts
 * a match is read as a choice of them. Undefined when some match could start otherwise (with a
 * wider class, for instance) or the pattern uses syntax this reading does not know.
 */
export interface LiteralStarts {
  /** Word prefixes: a match starts at a word that begins with one of them. */
  words: string[];
  /**
   * Whole words: a match starts at a word that is exactly one of them (as the gate index reads words,
   * runs of [a-z0-9]), because the pattern ends the word there (`\b`, a space, `\s`, a `-`...).
   */
  exact: string[];
  substrings: string[];
}

const LITERAL_CHARS = 12;
/** A literal with a character beyond ASCII is shorter: its characters are rarer, and each may stand for several (see foldingsOf). */
const LITERAL_CHARS_BEYOND_ASCII = 4;
const MAX_LITERALS = 2000;
/** The most characters of a class read as a choice of them where it starts a match (`[`'"]`, `[Hh]`). */
const CHOICE_CHARS = 8;

type Atom =
  | { kind: "char"; char: string; min: number; max: number }
  | { kind: "group"; alternatives: Atom[][]; min: number; max: number }
  /** `\b`. */
  | { kind: "boundary" }
  /** Zero-width: `^`, `$`, `\B` and look-arounds. */
  | { kind: "assertion" }
  /**
   * Anything else that reads a character: classes, `.`, `\d`, back references; `nonWord` when it
   * never reads [A-Za-z0-9] (`\s`, `[\s_-]`); `choice`, the characters of a class of a few plain ones,
   * with its quantifier.
   */
  | { kind: "other"; nonWord?: boolean; choice?: { chars: string; min: number; max: number } }
  /** Where a repeated group's first repetition ends: the literal stops there. */
  | { kind: "stop" };

class UnknownSyntax extends Error {}

/** Reads a pattern (no `u` flag) into alternatives of atoms. */
class PatternReader {
  private at = 0;

  constructor(private readonly source: string) {}

  read(): Atom[][] {
    const alternatives = this.alternatives();
    if (this.at !== this.source.length) throw new UnknownSyntax();
    return alternatives;
  }

  private alternatives(): Atom[][] {
    const out = [this.sequence()];
    while (this.source[this.at] === "|") {
      this.at++;
      out.push(this.sequence());
    }
    return out;
  }

  private sequence(): Atom[] {
    const atoms: Atom[] = [];
    while (this.at < this.source.length && this.source[this.at] !== "|" && this.source[this.at] !== ")") {
      const atom = this.atom();
      const [min, max] = this.quantifier();
      if (atom.kind === "char" || atom.kind === "group") atoms.push({ ...atom, min, max });
      // An optional class may be absent: it does not end a word then.
      else if (atom.kind === "other") atoms.push({ kind: "other", ...(min > 0 && { nonWord: atom.nonWord }), ...(atom.choice && { choice: { chars: atom.choice.chars, min, max } }) });
      else if (min > 0) atoms.push(atom);
      else atoms.push({ kind: "assertion" }); // an optional \b asserts nothing
    }
    return atoms;
  }

  /** The quantifier after an atom as [min, max]; [1, 1] when there is none. */
  private quantifier(): [number, number] {
    const c = this.source[this.at];
    let range: [number, number] | undefined;
    if (c === "?") range = [0, 1];
    else if (c === "*") range = [0, Infinity];
    else if (c === "+") range = [1, Infinity];
    if (range) this.at++;
    else if (c === "{") {
      // Without the u flag a `{` that is not a quantifier is a literal (read as the next atom).
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.source.slice(this.at));
      if (!m) return [1, 1];
      this.at += m[0].length;
      const min = Number(m[1]);
      range = [min, m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3])];
    } else return [1, 1];
    if (this.source[this.at] === "?") this.at++; // lazy
    return range;
  }

  private atom(): Atom {
    const c = this.source[this.at]!;
    if (c === "(") return this.group();
    if (c === "[") {
      // A class ends at the first `]` not escaped (`[]` is an empty class in JavaScript).
      const from = this.at + 1;
      for (this.at++; this.source[this.at] !== "]"; this.at++) {
        if (this.at >= this.source.length) throw new UnknownSyntax();
        if (this.source[this.at] === "\\") this.at++;
      }
      this.at++;
      const body = this.source.slice(from, this.at - 1);
      const chars = plainChars(body);
      return { kind: "other", nonWord: classIsNonWord(body), ...(chars && { choice: { chars, min: 1, max: 1 } }) };
    }
    this.at++;
    if (c === "\\") return this.escape();
    if (c === ".") return { kind: "other" };
    if (c === "^" || c === "$") return { kind: "assertion" };
    if (c === "*" || c === "+" || c === "?" || c === ")") throw new UnknownSyntax();
    return { kind: "char", char: c, min: 1, max: 1 };
  }

  private group(): Atom {
    this.at++;
    let zeroWidth = false;
    if (this.source.startsWith("?:", this.at)) this.at += 2;
    else if (this.source.startsWith("?=", this.at) || this.source.startsWith("?!", this.at)) {
      zeroWidth = true;
      this.at += 2;
    } else if (this.source.startsWith("?<=", this.at) || this.source.startsWith("?<!", this.at)) {
      zeroWidth = true;
      this.at += 3;
    } else if (this.source.startsWith("?<", this.at)) {
      const close = this.source.indexOf(">", this.at);
      if (close < 0) throw new UnknownSyntax();
      this.at = close + 1;
    } else if (this.source[this.at] === "?") throw new UnknownSyntax();
    const alternatives = this.alternatives();
    if (this.source[this.at] !== ")") throw new UnknownSyntax();
    this.at++;
    return zeroWidth ? { kind: "assertion" } : { kind: "group", alternatives, min: 1, max: 1 };
  }

  /** After a `\`. Escapes of a character stand for it; any that may stand for more read as "other". */
  private escape(): Atom {
    const c = this.source[this.at++];
    if (c === undefined) throw new UnknownSyntax();
    if (c === "b") return { kind: "boundary" };
    if (c === "B") return { kind: "assertion" };
    const hex = c === "x" ? 2 : c === "u" ? 4 : 0;
    if (hex > 0) {
      const digits = this.source.slice(this.at, this.at + hex);
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) return { kind: "other" };
      this.at += hex;
      return { kind: "char", char: String.fromCharCode(parseInt(digits, 16)), min: 1, max: 1 };
    }
    if (c === "n") return { kind: "char", char: "\n", min: 1, max: 1 };
    if (c === "t") return { kind: "char", char: "\t", min: 1, max: 1 };
    if (c === "r") return { kind: "char", char: "\r", min: 1, max: 1 };
    // Classes (\d \w \s ...), back references, \0, \c, \f, \v, \k, \p: not one known character.
    if (/[0-9a-zA-Z]/.test(c)) return { kind: "other", nonWord: c === "s" || c === "W" };
    return { kind: "char", char: c, min: 1, max: 1 };
  }
}

/**
 * Whether a class body (between `[` and `]`) reads no [A-Za-z0-9]: only `\s`, escaped punctuation
 * and plain characters other than letters and digits, with no range and no negation.
 */
function classIsNonWord(body: string): boolean {
  if (body.startsWith("^")) return false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\\") {
      const e = body[++i];
      if (e === undefined || (/[0-9A-Za-z]/.test(e) && !"stnr".includes(e))) return false;
    } else if (/[0-9A-Za-z]/.test(c) || (c === "-" && i > 0 && i < body.length - 1)) return false;
  }
  return true;
}

/** The characters of a class body of at most CHOICE_CHARS plain characters (escaped punctuation too; no range, negation or class escape), or undefined. */
function plainChars(body: string): string | undefined {
  let chars = "";
  for (let i = 0; i < body.length; i++) {
    let c = body[i]!;
    if (c === "\\") {
      c = body[++i] ?? "";
      if (!/^[^0-9A-Za-z]$/.test(c)) return undefined;
    } else if (c === "^" && i === 0) return undefined;
    else if (c === "-" && i > 0 && i < body.length - 1) return undefined;
    chars += c;
  }
  return chars.length > 0 && chars.length <= CHOICE_CHARS ? chars : undefined;
}

/**
 * ECMAScript's Canonicalize for an expression without the u flag (how `i` compares characters):
 * upper case, unless that is several characters or takes a character beyond ASCII into it.
 */
function canonicalOf(code: number): number {
  const upper = String.fromCharCode(code).toUpperCase();
  return upper.length !== 1 || (code >= 128 && upper.charCodeAt(0) < 128) ? code : upper.charCodeAt(0);
}

/** Per canonical character shared by several characters, those characters; made on first use. */
let caseMates: Map<number, number[]> | undefined;

function caseMatesOf(code: number): readonly number[] {
  if (!caseMates) {
    caseMates = new Map();
    for (let c = 0; c < 0x10000; c++) {
      const canonical = canonicalOf(c);
      if (canonical === c) continue;
      const mates = caseMates.get(canonical);
      if (mates) mates.push(c);
      else caseMates.set(canonical, [canonical, c]);
    }
  }
  return caseMates.get(canonicalOf(code)) ?? [code];
}

/**
 * What lower-casing a text (as the gate pass reads it) turns the characters into that a pattern's
 * character beyond ASCII matches case-insensitively: a literal goes on with each of them. A
 * character lower-cased into several leaves text whose offsets do not line up (the scanner searches
 * it whole): it adds none. Undefined (the literal stops) for a surrogate, lower-cased as part of its
 * pair, and where one of them lower-cases into ASCII. (σ, ς and Σ match each other; so do the
 * Cyrillic letters and their rare variants, such as в and ᲀ.)
 */
export function foldingsOf(ch: string): string[] | undefined {
  const code = ch.charCodeAt(0);
  if (ch.length !== 1 || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  const out = new Set<string>();
  for (const mate of caseMatesOf(code)) {
    const folded = String.fromCharCode(mate).toLowerCase();
    if (folded.length !== 1) continue;
    if (folded.charCodeAt(0) < 128) return undefined;
    out.add(folded);
  }
  return out.size > 0 ? [...out] : undefined;
}

/** Records a literal; `closed` when the match ends its first word there. A literal is closed only if every way to it is. */
function emit(out: Map<string, boolean>, literal: string, closed: boolean): void {
  if (out.size > MAX_LITERALS) throw new UnknownSyntax();
  out.set(literal, (out.get(literal) ?? true) && closed);
}

/**
 * Adds to `out` the literals a match of `atoms` (from `k` on) starts with, after `literal`; "\b"
 * marks a word start. A literal is closed when what follows it cannot continue its word: `\b` or a
 * class of no letters and digits.
 */
function startsOf(atoms: readonly Atom[], k: number, literal: string, word: boolean, out: Map<string, boolean>): void {
  if (out.size > MAX_LITERALS) throw new UnknownSyntax();
  const atom = atoms[k];
  const written = word ? `\\b${literal}` : literal;
  if (literal === "" && atom?.kind === "other" && atom.choice) {
    // A class of a few plain characters where a match starts: a choice of them.
    const { chars, min, max } = atom.choice;
    const choice: Atom = { kind: "group", alternatives: [...chars].map((char) => [{ kind: "char", char, min: 1, max: 1 }]), min, max };
    const found = new Map<string, boolean>();
    startsOf([choice, ...atoms.slice(k + 1)], 0, literal, word, found);
    // A literal of one such character (a quote, say) would be a start at each in the text: search whole instead.
    if ([...found.keys()].some((l) => l.length === 1)) throw new UnknownSyntax();
    for (const [l, closed] of found) emit(out, l, closed);
    return;
  }
  if (literal.length >= (hasCharBeyondAscii(literal) ? LITERAL_CHARS_BEYOND_ASCII : LITERAL_CHARS) || atom === undefined || atom.kind === "stop" || atom.kind === "other") {
    if (literal === "") throw new UnknownSyntax(); // a match could start anywhere, or be empty
    emit(out, written, atom?.kind === "other" && atom.nonWord === true);
    return;
  }
  if (atom.kind === "boundary" || atom.kind === "assertion") {
    // Zero width: before any literal it only narrows where a match starts; after one, `\b` ends
    // the literal (closed), and a look-around reads nothing, so the literal goes on past it.
    if (literal !== "" && atom.kind === "boundary") emit(out, written, true);
    else startsOf(atoms, k + 1, literal, word || atom.kind === "boundary", out);
    return;
  }
  if (atom.min === 0) startsOf(atoms, k + 1, literal, word, out);
  if (atom.max === 0) return;
  if (atom.kind === "char") {
    const foldings = atom.char.charCodeAt(0) < 128 ? [atom.char.toLowerCase()] : foldingsOf(atom.char);
    if (!foldings) {
      if (literal === "") throw new UnknownSyntax();
      // The word pass reads only [a-z0-9]: a character beyond ASCII ends the word (unless it lower-cases into ASCII, as K and İ do).
      emit(out, written, !/[a-z0-9]/.test(atom.char.toLowerCase()));
      return;
    }
    // A repeated character: its first occurrence is certain, what follows it is not.
    for (const folded of foldings) startsOf(atom.max === 1 ? atoms : [], atom.max === 1 ? k + 1 : 0, literal + folded, word, out);
    return;
  }
  const rest = atom.max === 1 ? atoms.slice(k + 1) : [{ kind: "stop" } as const];
  for (const alternative of atom.alternatives) startsOf([...alternative, ...rest], 0, literal, word, out);
}

/** Whether a literal has a character beyond ASCII (the gate index reads such literals in a pass of their own). */
export function hasCharBeyondAscii(literal: string): boolean {
  return /[^\0-\x7f]/.test(literal);
}

export function literalStarts(source: string): LiteralStarts | undefined {
  const found = new Map<string, boolean>();
  try {
    for (const alternative of new PatternReader(source).read()) startsOf(alternative, 0, "", false, found);
  } catch (err) {
    if (err instanceof UnknownSyntax) return undefined;
    throw err;
  }
  const words = new Set<string>();
  const exact = new Set<string>();
  const substrings = new Set<string>();
  for (const [literal, closed] of found) {
    // A word start is found by the gate index's word pass, which reads words of [a-z0-9].
    const word = literal.startsWith("\\b") ? /^[a-z0-9]+/.exec(literal.slice(2))?.[0] : undefined;
    // The word ends inside the literal (a space or a `-` follows it), or where the literal is closed.
    if (word) (closed || word.length < literal.length - 2 ? exact : words).add(word);
    else substrings.add(literal.startsWith("\\b") ? literal.slice(2) : literal);
  }
  // A letter or two anywhere ("a" of "a\s+ferramenta") is a start in most words: searching whole costs less.
  if ([...substrings].some((sub) => /^[a-z0-9]{1,2}$/.test(sub))) return undefined;
  // A literal that begins with another adds no place to look; nor does a whole word that begins with a prefix.
  const shortest = (all: Set<string>) => [...all].filter((a) => ![...all].some((b) => b !== a && a.startsWith(b)));
  const prefixes = shortest(words);
  return { words: prefixes, exact: [...exact].filter((w) => !prefixes.some((p) => w.startsWith(p))), substrings: shortest(substrings) };
}
