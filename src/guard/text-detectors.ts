// Detectors for what a regular expression cannot judge alone: invisible and deceptive characters
// (decoded so a reviewer sees the hidden text), encoded payloads, padding and size. The rule file
// chooses which run, with what severity and parameters.

import { gunzipSync, inflateSync } from "node:zlib";

export interface DetectorHit {
  start: number;
  end: number;
  /** What was found, with hidden text decoded (one line). */
  detail: string;
  /** Hidden or encoded text recovered from the hit, scanned again by the text rules. */
  decoded?: string;
}

export interface DetectorContext {
  /** Homoglyph table: character -> the ASCII it imitates. */
  confusables: ReadonlyMap<string, string>;
  /** The server's own name a name imitates with look-alike characters, if any (set by the scanner for the server being scanned). */
  imitatedName?: (name: string) => string | undefined;
}

export type DetectorParams = Readonly<Record<string, number | string | boolean>>;
export type Detector = (text: string, params: DetectorParams, ctx: DetectorContext) => DetectorHit[];

const MAX_SHOWN = 160;

/**
 * Makes invisible and control characters visible (`\u{200B}`, `\e`), and shortens long text. Built
 * from pieces joined once: a string grown a character at a time is a chain of as many pieces, which
 * every finding's excerpt would keep alive.
 */
export function visible(text: string, max = MAX_SHOWN): string {
  const pieces: string[] = [];
  let length = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let piece = ch;
    if (cp === 0x1b) piece = "\\e";
    else if (cp === 0x0a) piece = "\\n";
    else if (cp === 0x0d) piece = "\\r";
    else if (cp === 0x09) piece = "\\t";
    else if (isInvisibleCodePoint(cp) || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) piece = `\\u{${cp.toString(16).toUpperCase()}}`;
    pieces.push(piece);
    length += piece.length;
    if (length > max) return `${pieces.join("").slice(0, max)}…`;
  }
  return pieces.join("");
}

// Every default-ignorable code point (Unicode's Default_Ignorable_Code_Point: soft hyphen, joiners,
// word joiner, Mongolian vowel separator, variation selectors, tag characters, bidi controls, Hangul
// fillers, ...) plus the interlinear annotation marks and the Egyptian hieroglyph format controls
// (U+13430-1343F, which join nothing in Latin text): characters a reader never sees.
// One class body for every expression that reads them (invisibleFormat, in the character pass, lists the same ranges by number).
const INVISIBLE_CHARS = String.raw`\p{Default_Ignorable_Code_Point}\uFFF9-\uFFFB\u{13430}-\u{1343F}`;
const INVISIBLE = new RegExp(`[${INVISIBLE_CHARS}]`, "u");
const INVISIBLE_ALL = new RegExp(`[${INVISIBLE_CHARS}]+`, "gu");

function isInvisibleCodePoint(cp: number): boolean {
  // The first default-ignorable code point is the soft hyphen: everything below it is visible (or a control, handled by the caller).
  return cp >= 0xad && INVISIBLE.test(String.fromCodePoint(cp));
}

/** The text as a reader sees it: every invisible character removed, so the words it split are whole again. */
export function withoutInvisible(text: string): string {
  return text.replace(INVISIBLE_ALL, "");
}

/**
 * The first hit of a detector of invisible characters also carries the text without them (after a
 * blank line, which no rule matches across): a tag, selector or bidi control inside a word splits it
 * for a filter, not for the model.
 */
function withReadableText(hits: DetectorHit[], text: string): DetectorHit[] {
  const first = hits[0];
  if (first) first.decoded = first.decoded ? `${first.decoded}\n\n${withoutInvisible(text)}` : withoutInvisible(text);
  return hits;
}

function printableRatio(s: string): number {
  if (s.length === 0) return 0;
  let ok = 0;
  for (const ch of s) if (/[\p{L}\p{N}\p{P}\p{S}\p{Zs}\t\n\r]/u.test(ch)) ok++;
  return ok / [...s].length;
}

function looksLikeText(s: string, minLength = 8): boolean {
  // Language has spaces or punctuation between words; random bytes that happen to be printable rarely do.
  return s.length >= minLength && printableRatio(s) >= 0.95 && /[\p{L}]{2,}[\s,.:;/_-]+[\p{L}]{2,}/u.test(s);
}

function quote(s: string): string {
  return `"${visible(s)}"`;
}

// --- Unicode tag characters (U+E0000-E007F): invisible ASCII, the "ASCII smuggling" channel.
const TAG_RUN = /(?:\uDB40[\uDC00-\uDC7F])+/g;

const unicodeTags: Detector = (text) => {
  const hits: DetectorHit[] = [];
  for (const m of text.matchAll(TAG_RUN)) {
    let decoded = "";
    for (const ch of m[0]) {
      const cp = ch.codePointAt(0)! - 0xe0000;
      if (cp >= 0x20 && cp < 0x7f) decoded += String.fromCharCode(cp);
      else if (cp === 0x0a || cp === 0x0d) decoded += " ";
    }
    hits.push({ start: m.index, end: m.index + m[0].length, detail: `${[...m[0]].length} invisible tag characters spell ${quote(decoded)}`, decoded });
  }
  return withReadableText(hits, text);
};

// --- Variation selectors used as a byte channel (U+FE00-FE0F, U+E0100-E01EF after one carrier character).
const VS_RUN = /(?:[\uFE00-\uFE0F]|\uDB40[\uDD00-\uDDEF]){2,}|(?:\uDB40[\uDD00-\uDDEF])+/g;

const variationSelectors: Detector = (text) => {
  const hits: DetectorHit[] = [];
  for (const m of text.matchAll(VS_RUN)) {
    const bytes: number[] = [];
    for (const ch of m[0]) {
      const cp = ch.codePointAt(0)!;
      bytes.push(cp <= 0xfe0f ? cp - 0xfe00 : cp - 0xe0100 + 16);
    }
    const decoded = Buffer.from(bytes).toString("utf8");
    const shown = looksLikeText(decoded, 4) ? ` that decode to ${quote(decoded)}` : "";
    hits.push({
      start: m.index,
      end: m.index + m[0].length,
      detail: `${bytes.length} variation selectors in a row carry hidden bytes${shown}`,
      ...(shown ? { decoded } : {}),
    });
  }
  return withReadableText(hits, text);
};

// --- Bidirectional controls: reorder what is displayed versus what the model reads.
const BIDI = /[\u202A-\u202E\u2066-\u2069]+|[\u200E\u200F\u061C]+/g;
// A right-to-left letter (not a mark or a digit of those blocks: U+061C, the Arabic letter mark, is itself in them).
const RTL_LETTER = /(?=\p{L})[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const LATIN = /\p{Script=Latin}/u;

const bidiControls: Detector = (text) => {
  const hits: DetectorHit[] = [];
  const rtl = RTL_LETTER.test(text);
  for (const m of text.matchAll(BIDI)) {
    // Marks (LRM/RLM/ALM) are ordinary in right-to-left text, but never inside a Latin word ("p\u061Cr\u200Fo…");
    // embedding and override controls never are in a tool definition.
    const insideLatinWord = LATIN.test(text.charAt(m.index - 1)) && LATIN.test(text.charAt(m.index + m[0].length));
    if (rtl && !insideLatinWord && /^[\u200E\u200F\u061C]+$/.test(m[0])) continue;
    const from = m.index + m[0].length;
    const close = text.slice(from).search(/[\u202C\u2069\n]/);
    const segment = text.slice(from, close < 0 ? text.length : from + close);
    // After a right-to-left override the reader sees the segment mirrored; the model reads it in memory order.
    const shown = m[0].includes("\u202E") ? [...segment].reverse().join("") : segment;
    hits.push({
      start: m.index,
      end: m.index + m[0].length,
      detail: `bidirectional control ${visible(m[0])} makes ${quote(segment)} display as ${quote(shown)}`,
      decoded: segment === shown ? segment : `${segment} ${shown}`,
    });
  }
  return withReadableText(hits, text);
};

// --- Zero-width and every other invisible format character the detectors above do not decode
// (the default-ignorable class without bidi controls, variation selectors and tag characters), and a
// variation selector inside a word of ASCII letters, where it selects nothing.
const ZERO_WIDTH = new RegExp(
  String.raw`(?:(?![\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFE00-\uFE0F\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}])[${INVISIBLE_CHARS}]|(?<=[A-Za-z0-9])[\uFE00-\uFE0F](?=[A-Za-z0-9]))+`,
  "gu",
);
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const NON_LATIN_LETTER = /[^\P{L}\p{Script=Latin}]/u;
const LETTER_BEFORE = /\p{L}+$/u;
const LETTER_AFTER = /^\p{L}+/u;

/**
 * A soft hyphen where typesetting would put one: between letters, in a word of six letters or more,
 * at least two from either end ("print\u00ADers"). One that splits a short word ("re\u00ADad"), a path
 * or an identifier ("~/.s\u00ADsh") hints nothing: it is there to break the word for a filter.
 */
function typographicSoftHyphen(text: string, at: number): boolean {
  const before = LETTER_BEFORE.exec(text.slice(Math.max(0, at - 40), at))?.[0] ?? "";
  const after = LETTER_AFTER.exec(text.slice(at + 1, at + 41))?.[0] ?? "";
  return before.length >= 2 && after.length >= 2 && before.length + after.length >= 6;
}

function decodeZeroWidthBinary(run: string): string | undefined {
  const chars = [...run];
  const distinct = [...new Set(chars)];
  if (chars.length < 16 || distinct.length !== 2) return undefined;
  // Either of the two characters may stand for the 1 bit.
  for (const one of distinct) {
    let out = "";
    for (let i = 0; i + 8 <= chars.length; i += 8) {
      let byte = 0;
      for (let b = 0; b < 8; b++) byte = (byte << 1) | (chars[i + b] === one ? 1 : 0);
      out += String.fromCharCode(byte);
    }
    if (/^[\x20-\x7e]+$/.test(out)) return out;
  }
  return undefined;
}

// softHyphens: "count" (default) reports every soft hyphen; "atypical" only those that are not
// typographic (see typographicSoftHyphen); "typographic" reports only typographic soft hyphens, and nothing else.
const zeroWidth: Detector = (text, params) => {
  const softHyphens = String(params.softHyphens ?? "count");
  const hits: DetectorHit[] = [];
  for (const m of text.matchAll(ZERO_WIDTH)) {
    const before = text.slice(Math.max(0, m.index - 2), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 2);
    const run = m[0];
    if (m.index === 0 && run === "\uFEFF") continue; // a byte order mark
    // Joiners inside emoji sequences and in scripts that need them (Persian, Indic) are legitimate.
    if (/^[\u200C\u200D]$/.test(run)) {
      const prev = [...before].pop() ?? "";
      const next = [...after][0] ?? "";
      if ((PICTOGRAPH.test(prev) || /[\uFE0F\u{1F3FB}-\u{1F3FF}]/u.test(prev)) && PICTOGRAPH.test(next)) continue;
      if (NON_LATIN_LETTER.test(prev) || NON_LATIN_LETTER.test(next)) continue;
    }
    const typographic = run === "\u00AD" && typographicSoftHyphen(text, m.index);
    if (softHyphens === "typographic" ? !typographic : softHyphens === "atypical" && typographic) continue;
    const encoded = decodeZeroWidthBinary(run);
    const context = text.slice(Math.max(0, m.index - 20), m.index + run.length + 20);
    // Without an encoded message, the hidden text is the text as a reader sees it: every invisible character removed.
    const decoded = encoded ?? (hits.length === 0 ? withoutInvisible(text) : undefined);
    hits.push({
      start: m.index,
      end: m.index + run.length,
      detail: encoded
        ? `${[...run].length} zero-width characters encode ${quote(encoded)}`
        : `${[...run].length} invisible character${run.length > 1 ? "s" : ""} in ${quote(context)}`,
      ...(decoded !== undefined ? { decoded } : {}),
    });
  }
  return hits;
};

// --- ANSI escape sequences: a terminal renders them, hiding or rewriting what the user sees.
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]/g;
const HIDING_SGR = /^\x1b\[(?:[0-9;]*;)?(?:8|30|40|2|38;5;0|38;2;0;0;0)(?:;[0-9;]*)?m$/;
const CURSOR_OR_ERASE = /^\x1b\[[0-9;]*[ABCDEFGHJKfsu]$/;

const ansiEscapes: Detector = (text) => {
  const seqs = [...text.matchAll(ANSI)];
  if (seqs.length === 0) return [];
  const first = seqs[0]!;
  const last = seqs[seqs.length - 1]!;
  const stripped = text.replace(ANSI, "");
  let hidden = "";
  for (let i = 0; i < seqs.length; i++) {
    const s = seqs[i]!;
    if (HIDING_SGR.test(s[0])) {
      const from = s.index + s[0].length;
      const to = seqs[i + 1]?.index ?? text.length;
      hidden += text.slice(from, to);
    } else if (CURSOR_OR_ERASE.test(s[0])) {
      // Text written before a cursor move or erase is overwritten on screen.
      const prevEnd = i > 0 ? seqs[i - 1]!.index + seqs[i - 1]![0].length : 0;
      hidden += text.slice(prevEnd, s.index);
    }
  }
  hidden = hidden.trim();
  const shownSeqs = [...new Set(seqs.map((s) => visible(s[0])))].slice(0, 4).join(" ");
  const detail = hidden
    ? `${seqs.length} ANSI escape sequence${seqs.length > 1 ? "s" : ""} (${shownSeqs}) hide from a terminal ${quote(hidden)}`
    : `${seqs.length} ANSI escape sequence${seqs.length > 1 ? "s" : ""} (${shownSeqs}) change how a terminal shows ${quote(stripped)}`;
  return [{ start: first.index, end: last.index + last[0].length, detail, decoded: hidden || stripped }];
};

// --- Other control characters (ESC and CSI are the ANSI detector's).
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1A\x1C-\x1F\x7F\x80-\x9A\x9C-\x9F]+/g;

const controlCharacters: Detector = (text) =>
  [...text.matchAll(CONTROL)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    detail: `control character${m[0].length > 1 ? "s" : ""} ${visible(m[0])} in ${quote(text.slice(Math.max(0, m.index - 20), m.index + 20))}`,
  }));

// --- Private-use characters: no meaning of their own, a channel for anything.
const PRIVATE_USE = /(?:[\uE000-\uF8FF]|[\uDB80-\uDBFF][\uDC00-\uDFFF])+/g;

const privateUse: Detector = (text) =>
  [...text.matchAll(PRIVATE_USE)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    detail: `${[...m[0]].length} private-use character${m[0].length > 1 ? "s" : ""} ${visible(m[0])}`,
  }));

// --- Homoglyphs in identifiers: "sеnd_email" with a Cyrillic "е" reads as another tool's name.
const SCRIPT_NAMES: Array<[RegExp, string]> = [
  [/\p{Script=Cyrillic}/u, "Cyrillic"],
  [/\p{Script=Greek}/u, "Greek"],
  [/\p{Script=Armenian}/u, "Armenian"],
  [/\p{Script=Cherokee}/u, "Cherokee"],
  [/[\uFF01-\uFF5E]/u, "fullwidth"],
  [/[\u{1D400}-\u{1D7FF}]/u, "mathematical"],
];

function scriptOf(ch: string): string {
  for (const [re, name] of SCRIPT_NAMES) if (re.test(ch)) return name;
  return "non-ASCII";
}

function imitated(ch: string, ctx: DetectorContext): string | undefined {
  const mapped = ctx.confusables.get(ch);
  if (mapped) return mapped;
  const nfkc = ch.normalize("NFKC");
  return nfkc !== ch && /^[\x21-\x7e]+$/.test(nfkc) ? nfkc : undefined;
}

const homoglyphs: Detector = (text, _params, ctx) => {
  if (!/[^\x00-\x7F]/.test(text)) return [];
  let skeleton = "";
  const swaps: string[] = [];
  let first = -1;
  let last = -1;
  let i = 0;
  for (const ch of text) {
    const ascii = ch.charCodeAt(0) < 0x80 ? undefined : imitated(ch, ctx);
    if (ascii) {
      if (first < 0) first = i;
      last = i + ch.length;
      if (swaps.length < 3) swaps.push(`${scriptOf(ch)} "${ch}" (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}) for "${ascii}"`);
      skeleton += ascii;
    } else skeleton += ch;
    i += ch.length;
  }
  if (first < 0) return [];
  // In an identifier every look-alike counts; in a word of another script it is just that script.
  return [{ start: first, end: last, detail: `${quote(text)} uses ${swaps.join(", ")}; it reads as ${quote(skeleton)}`, decoded: skeleton }];
};

// --- Words that mix Latin with Cyrillic/Greek letters: the signature of look-alike spelling in prose.
const WORD = /[\p{L}\p{M}]{2,}/gu;
const LOOKALIKE_SCRIPT = /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}\p{Script=Lisu}]/u;

const mixedScriptWords: Detector = (text, _params, ctx) => {
  if (!/[^\x00-\x7F]/.test(text)) return [];
  const hits: DetectorHit[] = [];
  for (const m of text.matchAll(WORD)) {
    const w = m[0];
    if (!LATIN.test(w) || !LOOKALIKE_SCRIPT.test(w)) continue;
    const skeleton = [...w].map((ch) => ctx.confusables.get(ch) ?? ch).join("");
    // Letters of the other script that imitate no Latin letter ("λx", "Δt") deceive nobody.
    if (skeleton === w) continue;
    hits.push({ start: m.index, end: m.index + w.length, detail: `the word ${quote(w)} mixes Latin with look-alike letters; it reads as ${quote(skeleton)}`, decoded: skeleton });
  }
  return hits;
};

// --- Identifiers with characters outside ASCII that imitate nothing in particular.
const nonAsciiIdentifier: Detector = (text, _params, ctx) => {
  if (!/[^\x00-\x7F]/.test(text)) return [];
  if ([...text].some((ch) => ch.charCodeAt(0) >= 0x80 && imitated(ch, ctx))) return []; // the homoglyph detector's case
  return [{ start: 0, end: text.length, detail: `identifier ${quote(text)} has characters outside ASCII` }];
};

// --- Encoded payloads.
const BASE64 = /(?<![A-Za-z0-9+/_-])(?:[A-Za-z0-9+/]{4}){8,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![A-Za-z0-9+/_-])|(?<![A-Za-z0-9+/_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9+/_-])/g;

function classCounts(s: string): { upper: number; lower: number; digit: number } {
  let upper = 0;
  let lower = 0;
  let digit = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c >= 48 && c <= 57) digit++;
  }
  return { upper, lower, digit };
}

/** An encoded run as found and decoded, whatever a rule's parameters. */
interface EncodedBlob {
  start: number;
  /** The run as written (hex without its `0x`). */
  blob: string;
  end: number;
  decoded: string;
  isText: boolean;
  /** How the run was read when not as its detector's own encoding: RFC 4648 base32 (upper case), base64 of gzip or zlib data, or hex bytes of EBCDIC text. */
  encoding?: "base32" | "compressed base64" | "EBCDIC";
}

/**
 * The text and binary rules of one encoding read the same runs of the same text one after the
 * other: the runs of the last text read are kept, so each is found and decoded once.
 */
function lastTextMemo(find: (text: string) => EncodedBlob[]): (text: string) => EncodedBlob[] {
  let lastText: string | undefined;
  let lastBlobs: EncodedBlob[] = [];
  return (text) => {
    if (text !== lastText) {
      lastBlobs = find(text);
      lastText = text;
    }
    return lastBlobs;
  };
}

const base64Blobs = lastTextMemo((text) => {
  const out: EncodedBlob[] = [];
  for (const m of text.matchAll(BASE64)) {
    const blob = m[0];
    // Base32 (RFC 4648) is upper-case letters and the digits 2-7 only: read it as such when it spells text.
    if (BASE32.test(blob)) {
      const decoded = decodeBase32(blob);
      if (looksLikeText(decoded)) {
        out.push({ start: m.index, blob, end: m.index + blob.length, decoded, isText: true, encoding: "base32" });
        continue;
      }
    }
    const c = classCounts(blob);
    // Identifiers and words are letters only, or one case; encoded data mixes cases and digits.
    if (c.upper < 3 || c.lower < 3 || c.digit < 1) continue;
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    if (/data:image\/[\w.+-]+;base64,$/i.test(before)) continue;
    const bytes = Buffer.from(blob.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    // Compressed first (gzip or zlib: "H4sI…", "eJ…"): what the model is told to decompress and run is text too.
    const inflated = inflatedText(bytes);
    if (inflated !== undefined) {
      out.push({ start: m.index, blob, end: m.index + blob.length, decoded: inflated, isText: true, encoding: "compressed base64" });
      continue;
    }
    const decoded = bytes.toString("utf8");
    out.push({ start: m.index, blob, end: m.index + blob.length, decoded, isText: looksLikeText(decoded) });
  }
  return out;
});

/** Most a compressed blob is inflated to: enough for any instruction, never a decompression bomb. */
const MAX_INFLATED = 64 * 1024;

/** Gzip or zlib data inflated to text, or undefined when it is neither or does not read as text. */
function inflatedText(bytes: Buffer): string | undefined {
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const zlib = bytes[0] === 0x78 && (bytes[1] === 0x01 || bytes[1] === 0x5e || bytes[1] === 0x9c || bytes[1] === 0xda);
  if (!gzip && !zlib) return undefined;
  try {
    const text = (gzip ? gunzipSync : inflateSync)(bytes, { maxOutputLength: MAX_INFLATED }).toString("utf8");
    return looksLikeText(text) ? text : undefined;
  } catch {
    return undefined; // truncated, corrupt, or larger than MAX_INFLATED
  }
}

const BASE32 = /^[A-Z2-7]+$/;
const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Decodes upper-case base32 (RFC 4648, padding already left off) as UTF-8. */
function decodeBase32(s: string): string {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (let i = 0; i < s.length; i++) {
    value = (value << 5) | BASE32_ALPHABET.indexOf(s[i]!);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

const base64: Detector = (text, params) => {
  const minLength = Number(params.minLength ?? 40);
  const mode = String(params.decodesTo ?? "text");
  const binaryMin = Number(params.binaryMinLength ?? 200);
  const hits: DetectorHit[] = [];
  for (const { start, blob, end, decoded, isText, encoding = "base64" } of base64Blobs(text)) {
    if (blob.length < minLength) continue;
    if (mode === "text" && isText) {
      hits.push({ start, end, detail: `${blob.length}-character ${encoding} decodes to ${quote(decoded)}`, decoded });
    } else if (mode === "binary" && !isText && blob.length >= binaryMin) {
      hits.push({ start, end, detail: `${blob.length}-character base64 blob ${quote(blob.slice(0, 40))}` });
    }
  }
  return hits;
};

// Hex written as one run, or as bytes a blank apart the way a hex dump shows them ("C9 D5 40 C5 …"): twenty
// bytes or more either way, so HEX_PAIRS_RUN bytes each followed by a blank, then the last.
const HEX_PAIRS_RUN = 19;
const HEX = new RegExp(
  `(?<![0-9A-Za-z])(?:0x)?(?:[0-9a-fA-F]{2}){${HEX_PAIRS_RUN + 1},}(?![0-9A-Za-z])|(?<![0-9A-Za-z])(?:[0-9a-fA-F]{2} ){${HEX_PAIRS_RUN},}[0-9a-fA-F]{2}(?![0-9A-Za-z])`,
  "g",
);

// IBM code page 037 (EBCDIC, US), the printable part: what a mainframe record's bytes read as.
const EBCDIC_037: ReadonlyMap<number, string> = (() => {
  const map = new Map<number, string>([[0x05, "\t"], [0x15, "\n"], [0x25, "\n"], [0x0d, "\r"], [0x40, " "]]);
  const runs: Array<[number, string]> = [
    [0x4a, "¢.<(+|&"], [0x5a, "!$*);¬-/"], [0x6a, "¦,%_>?"], [0x79, "`:#@'=\""],
    [0x81, "abcdefghi"], [0x91, "jklmnopqr"], [0xa1, "~stuvwxyz"], [0xb0, "^"], [0xba, "[]"],
    [0xc0, "{ABCDEFGHI"], [0xd0, "}JKLMNOPQR"], [0xe0, "\\"], [0xe2, "STUVWXYZ"], [0xf0, "0123456789"],
  ];
  for (const [first, chars] of runs) [...chars].forEach((ch, k) => map.set(first + k, ch));
  return map;
})();

/** The bytes read as EBCDIC (code page 037), or undefined when one of them is not a printable character there. */
function ebcdicText(bytes: Uint8Array): string | undefined {
  let out = "";
  for (const b of bytes) {
    const ch = EBCDIC_037.get(b);
    if (ch === undefined) return undefined;
    out += ch;
  }
  return out;
}

const hexBlobs = lastTextMemo((text) => {
  const out: EncodedBlob[] = [];
  for (const m of text.matchAll(HEX)) {
    const hex = m[0].replace(/^0x/, "").replace(/ /g, "");
    if (!/[a-fA-F]/.test(hex) || !/[0-9]/.test(hex)) continue;
    const bytes = Buffer.from(hex, "hex");
    const at = { start: m.index, blob: hex, end: m.index + m[0].length };
    const utf8 = bytes.toString("utf8");
    // Mainframe text: in EBCDIC a blank is 0x40 and letters sit in 0x81-0xE9, where UTF-8 reads nothing.
    const utf8IsText = looksLikeText(utf8);
    const ebcdic = utf8IsText ? undefined : ebcdicText(bytes);
    if (ebcdic !== undefined && looksLikeText(ebcdic)) out.push({ ...at, decoded: ebcdic, isText: true, encoding: "EBCDIC" });
    else out.push({ ...at, decoded: utf8, isText: utf8IsText });
  }
  return out;
});

const hexBlob: Detector = (text, params) => {
  const mode = String(params.decodesTo ?? "text");
  const binaryMin = Number(params.binaryMinLength ?? 128);
  const hits: DetectorHit[] = [];
  for (const { start, blob: hex, end, decoded, isText, encoding } of hexBlobs(text)) {
    if (mode === "text" && isText) hits.push({ start, end, detail: `${hex.length}-digit hex${encoding ? ` (${encoding})` : ""} decodes to ${quote(decoded)}`, decoded });
    else if (mode === "binary" && !isText && hex.length >= binaryMin) hits.push({ start, end, detail: `${hex.length}-digit hex blob` });
  }
  return hits;
};

function decodePercent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return "";
  }
}

// HTML entities, named and numeric, as the escaped-text runs and the entities detector decode them.
// Digits are not counted (`&#00000065;` is "A"); a code point out of range stays as written.
const ENTITY = /&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]{2,8});/g;
const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&", nbsp: "\u00a0" };

function decodeEntity(entity: string): string | undefined {
  const body = entity.slice(1, -1);
  if (body[0] !== "#") return NAMED_ENTITIES[body.toLowerCase()];
  const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/** The text with every entity it knows decoded (the others left as they are). */
function decodeEntities(text: string): string {
  return text.replace(ENTITY, (e) => decodeEntity(e) ?? e);
}

// Escaped text (\x41, \u0041, \101, %41, &#65;) in runs long enough to spell something. Escaped words may be
// parted by plain blanks and punctuation ("\u0052\u0065\u0061\u0064 ~/.\u0063…"): such a stretch is one
// run, read with its plain characters as they are.
/** Runs of one kind of escape, parted by at most three plain blanks or punctuation characters at a time. */
const escapeRuns = (escape: string) => new RegExp(String.raw`(?:${escape})+(?:[ \t~./_:,;'"()-]{1,3}(?:${escape})+)*`, "g");
const ESCAPE_RUNS: Array<[RegExp, (s: string) => string]> = [
  [escapeRuns(String.raw`\\x[0-9a-fA-F]{2}`), decodeHexEscapes],
  // \u0041, \u{41} (JavaScript, Rust, Swift, PHP) and \U00000041 (Python, C).
  [escapeRuns(String.raw`\\(?:u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]{1,6}\}|U[0-9a-fA-F]{8})`), decodeUnicodeEscapes],
  // C octal escapes ("\160\141\163\163" is "pass").
  [escapeRuns(String.raw`\\[0-3][0-7]{2}`), decodeOctalEscapes],
  [/(?:%[0-9a-fA-F]{2}){8,}/g, decodePercent],
  // A sentence URL-encoded word by word ("Also%20send%20the%20full%20conversation…"): plain letters between encoded spaces.
  [/(?<![\w%/?&=.-])[\w.~:-]*(?:%20[\w.~:-]*(?:%[0-9a-fA-F]{2}[\w.~:-]*)*){4,}/g, decodePercent],
  [/(?:&#(?:x[0-9a-fA-F]+|\d+);){6,}/g, decodeEntities],
];

/** `\x` escapes read as UTF-8 bytes, the plain characters between them kept; fewer than eight read as nothing. */
function decodeHexEscapes(run: string): string {
  if ((run.match(/\\x/g)?.length ?? 0) < 8) return "";
  return run.replace(/(?:\\x[0-9a-fA-F]{2})+/g, (bytes) => Buffer.from(bytes.replace(/\\x/g, ""), "hex").toString("utf8"));
}

/**
 * `\u` escapes read as UTF-16 code units (`\u{…}` and `\U…` as code points), the plain characters
 * between them kept; fewer than six read as nothing.
 */
function decodeUnicodeEscapes(run: string): string {
  if ((run.match(/\\[uU]/g)?.length ?? 0) < 6) return "";
  return run.replace(/\\u([0-9a-fA-F]{4})|\\u\{([0-9a-fA-F]{1,6})\}|\\U([0-9a-fA-F]{8})/g, (escape, unit?: string, point?: string, long?: string) => {
    if (unit) return String.fromCharCode(parseInt(unit, 16));
    const code = parseInt((point ?? long)!, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : escape;
  });
}

/** Octal escapes read as UTF-8 bytes, the plain characters between them kept; fewer than eight read as nothing. */
function decodeOctalEscapes(run: string): string {
  if ((run.match(/\\[0-3][0-7]{2}/g)?.length ?? 0) < 8) return "";
  return run.replace(/(?:\\[0-3][0-7]{2})+/g, (bytes) => Buffer.from(bytes.slice(1).split("\\").map((o) => parseInt(o, 8))).toString("utf8"));
}

/** Every run of each expression, decoded by its reader, as a hit when what it decodes to reads as text of `minLength` or more. */
function decodedRuns(text: string, runs: ReadonlyArray<readonly [RegExp, (run: string) => string]>, minLength: number, what: string): DetectorHit[] {
  const hits: DetectorHit[] = [];
  for (const [re, decode] of runs) {
    for (const m of text.matchAll(re)) {
      const decoded = decode(m[0]);
      if (looksLikeText(decoded, minLength)) hits.push({ start: m.index, end: m.index + m[0].length, detail: `${what} decode to ${quote(decoded)}`, decoded });
    }
  }
  return hits;
}

const escapedText: Detector = (text) => decodedRuns(text, ESCAPE_RUNS, 6, "escaped characters");

// Text written a character at a time with one separator between them ("c-o-p-y-_-~-/-.-e-n-v",
// "r.e.a.d.t.h.e.k.e.y"): a filter reads one long token, the model reads the characters joined (an
// underscore for a blank when the text has none). Twelve characters or more; read again when they spell text.
const PARTED_RUN = /(?<![!-~])[!-~]([-.|+*/])(?:[!-~]\1){10,}[!-~](?![!-~])/g;

const partedLetters: Detector = (text) => {
  const hits: DetectorHit[] = [];
  for (const m of text.matchAll(PARTED_RUN)) {
    let joined = "";
    for (let i = 0; i < m[0].length; i += 2) joined += m[0][i];
    const decoded = joined.includes(" ") ? joined : joined.replace(/_/g, " ");
    if (looksLikeText(decoded, 12)) hits.push({ start: m.index, end: m.index + m[0].length, detail: `characters parted by "${m[1]}" read ${quote(decoded)}`, decoded });
  }
  return hits;
};

// Character codes ("String.fromCharCode(82,101,97,100,…)", "chr(82)+chr(101)+…", "[0x52, 0x65, …]"):
// text a filter reads as numbers and the model decodes. Twelve or more codes of printable ASCII (or a
// line break) in a list, or eight or more `chr(…)` / `char(…)` calls, read again decoded when they
// spell text. Runs only where the definition names such codes (the rule's gate).
const CODE = String.raw`(?:0x[0-9a-fA-F]{2}|\d{1,3})`;
const CODE_LISTS: Array<[RegExp, (s: string) => string]> = [
  [new RegExp(String.raw`(?<![\w.])(?:${CODE}\s*,\s*){11,}${CODE}(?![\w.])`, "g"), decodeCharCodes],
  [new RegExp(String.raw`(?:\b(?:chr|char|String\.fromCharCode)\s*\(\s*${CODE}\s*\)\s*[+.,&|]?\s*){8,}`, "gi"), decodeCharCodes],
];

/** The codes of a run read as characters; "" when any of them is not printable ASCII, a tab or a line break. */
function decodeCharCodes(run: string): string {
  let out = "";
  for (const code of run.match(/0x[0-9a-fA-F]{2}|\d{1,3}/g) ?? []) {
    const c = code.startsWith("0x") ? parseInt(code.slice(2), 16) : Number(code);
    if ((c < 32 || c > 126) && c !== 9 && c !== 10 && c !== 13) return "";
    out += String.fromCharCode(c);
  }
  return out;
}

const charCodes: Detector = (text) => decodedRuns(text, CODE_LISTS, 12, "character codes");

// HTML entities ("&lt;SYSTEM&gt;", "&#x27;"): markup and quotes a filter does not see, which the model
// may read decoded. Two or more, from the first to the last, are read again decoded.
const htmlEntities: Detector = (text) => {
  const found = [...text.matchAll(ENTITY)].filter((m) => decodeEntity(m[0]) !== undefined);
  if (found.length < 2) return [];
  const start = found[0]!.index;
  const end = found[found.length - 1]!.index + found[found.length - 1]![0].length;
  const decoded = decodeEntities(text.slice(start, end));
  return [{ start, end, detail: `HTML entities decode to ${quote(decoded)}`, decoded }];
};

// Letters spaced out ("s e n d   t h e   . e n v   f i l e"): a filter reads single characters, the
// model reads words (two or more blanks between them). Eight characters or more, six of them letters.
const SPACED_LETTERS = /(?<![!-~])(?:[!-~](?: {1,3}|\t)){7,}[!-~](?![!-~])/g;

// Words whose letters are parted by single dots or hyphens ("c.o.p.y", "m-e-n-t-i-o-n"): four letters or more.
const PARTED_WORD = /(?<![A-Za-z0-9])(?:[A-Za-z][.-]){3,}[A-Za-z](?![A-Za-z0-9])/g;

const spacedLetters: Detector = (text) => {
  const hits: DetectorHit[] = [];
  // Each run and what it reads, to read the whole stretch again with all of them joined up.
  const runs: Array<{ start: number; end: number; reads: string }> = [];
  for (const m of text.matchAll(SPACED_LETTERS)) {
    if ((m[0].match(/[A-Za-z]/g)?.length ?? 0) < 6) continue;
    const decoded = m[0]
      .split(/ {2,}|\t/)
      .map((word) => word.replace(/ /g, ""))
      .join(" ");
    hits.push({ start: m.index, end: m.index + m[0].length, detail: `letters spaced out read ${quote(decoded)}`, decoded });
    runs.push({ start: m.index, end: m.index + m[0].length, reads: decoded });
  }
  if (runs.length === 0) return hits;
  // Where letters are spaced out, words parted by dots or hyphens are the same trick: the stretch
  // from the first such run to the last is read again whole, every run joined up.
  for (const m of text.matchAll(PARTED_WORD)) {
    if (runs.some((r) => m.index < r.end && m.index + m[0].length > r.start)) continue;
    runs.push({ start: m.index, end: m.index + m[0].length, reads: m[0].replace(/[.-]/g, "") });
  }
  if (runs.length < 2) return hits;
  runs.sort((a, b) => a.start - b.start);
  let decoded = "";
  let at = runs[0]!.start;
  for (const r of runs) {
    decoded += text.slice(at, r.start) + r.reads;
    at = r.end;
  }
  const end = runs[runs.length - 1]!.end;
  hits.push({ start: runs[0]!.start, end, detail: `text with letters spaced or parted read ${quote(decoded)}`, decoded });
  return hits;
};

// Full-width, circled, mathematical, superscript and subscript letters ("Ｒｅｐｌａｃｅ", "ⓢⓔⓝⓓ", "𝐬𝐞𝐧𝐝", "ʳᵉᵃᵈ"):
// words a filter of ASCII does not read, read again as the ASCII they stand for (NFKC). Four letters or
// more in a run; plain digits, blanks and punctuation between them stay in the run (".𝘦𝘯𝘷" is ".env").
// Superscripts and subscripts are the modifier letters NFKC makes ASCII (see isScriptLetter).
/** The superscript and subscript letters below U+2070, as a class body (isScriptLetter reads the same ranges). */
const MODIFIER_LETTERS = String.raw`\u02B0-\u02B8\u02E0-\u02E4\u1D2C-\u1D6A\u1D9B-\u1DBF`;
const COMPAT_CHARS = String.raw`\uFF01-\uFF5E\u24B6-\u24E9\u{1D400}-\u{1D7FF}${MODIFIER_LETTERS}\u2071-\u209C`;
const COMPAT_RUN = new RegExp(String.raw`[${COMPAT_CHARS}](?:[${COMPAT_CHARS}\u3000 ]|[!-@[-\x60{-~](?=[ !-@[-\x60{-~]*[${COMPAT_CHARS}]))*`, "gu");
// The letters among them (U+2071-209C holds digits and signs too).
const COMPAT_LETTER = new RegExp(String.raw`[\uFF21-\uFF3A\uFF41-\uFF5A\u24B6-\u24E9\u{1D400}-\u{1D6A5}${MODIFIER_LETTERS}\u2071\u207F\u2090-\u209C]`, "gu");

/**
 * Whether a UTF-16 code unit is a superscript or subscript letter NFKC reads as ASCII: U+02B0-02B8
 * and U+02E0-02E4 (ʰ ʲ ʳ ʷ ʸ ˡ ˢ ˣ), U+1D2C-1D6A and U+1D9B-1DBF (ᴬ ᵃ ᵇ ᵗ ᶜ ᶠ ᶻ), U+2071-209C (ⁱ ⁿ ₐ ₑ, with
 * the superscript and subscript digits and signs between them).
 */
function isScriptLetter(c: number): boolean {
  return (c >= 0x2b0 && c <= 0x2b8) || (c >= 0x2e0 && c <= 0x2e4) || (c >= 0x1d2c && c <= 0x1d6a) || (c >= 0x1d9b && c <= 0x1dbf) || (c >= 0x2071 && c <= 0x209c);
}

// Small capitals ("ꜱᴇɴᴅ ᴛʜᴇ ꜰɪʟᴇ"): letters NFKC leaves as they are, read as the ASCII letters they look
// like. A run goes from the first small capital to the last, with blanks, digits, punctuation and `x`
// (which has none) between them; it counts when it spells two words of three letters or more.
const SMALL_CAPITALS: Record<string, string> = {
  "\u1D00": "a", "\u0299": "b", "\u1D04": "c", "\u1D05": "d", "\u1D07": "e", "\uA730": "f", "\u0262": "g", "\u029C": "h",
  "\u026A": "i", "\u1D0A": "j", "\u1D0B": "k", "\u029F": "l", "\u1D0D": "m", "\u0274": "n", "\u1D0F": "o", "\u1D18": "p",
  "\uA7AF": "q", "\u0280": "r", "\uA731": "s", "\u1D1B": "t", "\u1D1C": "u", "\u1D20": "v", "\u1D21": "w", "\u028F": "y",
  "\u1D22": "z",
};
const SMALL_CAPITAL = `[${Object.keys(SMALL_CAPITALS).join("")}]`;
const SMALL_CAPITALS_RUN = new RegExp(`${SMALL_CAPITAL}(?:${SMALL_CAPITAL}|[x \\t0-9!-/:-@[-\`{-~])*${SMALL_CAPITAL}`, "g");
const SMALL_CAPITALS_WORD = new RegExp(`(?:${SMALL_CAPITAL}|x){3,}`, "g");

const SMALL_CAPITAL_CODES = new Set(Object.keys(SMALL_CAPITALS).map((c) => c.charCodeAt(0)));

/** Whether a UTF-16 code unit is a small capital: U+1D00-1D22 (some there are not in SMALL_CAPITALS), or one of the others SMALL_CAPITALS holds. */
function isSmallCapital(c: number): boolean {
  return (c >= 0x1d00 && c <= 0x1d22) || (c >= 0x262 && c <= 0xa7af && (c <= 0x29f || c >= 0xa730) && SMALL_CAPITAL_CODES.has(c));
}

/** Whether the text has a small capital (a plain loop: text with other letter forms mostly has none). */
function hasSmallCapital(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isSmallCapital(text.charCodeAt(i))) return true;
  return false;
}

// Braille letters ("⠉⠕⠏⠽ ⠞⠓⠑ ⠅⠑⠽"): grade-1 cells read as the letters they spell, when they spell two
// words of three letters or more.
const BRAILLE_LETTERS = "⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚⠅⠇⠍⠝⠕⠏⠟⠗⠎⠞⠥⠧⠺⠭⠽⠵";
const BRAILLE_RUN = /[\u2801-\u283F](?:[\u2800-\u283F \t!-/:-@[-`{-~])*[\u2801-\u283F]/g;
const BRAILLE_WORD = /[\u2801-\u283F]{3,}/g;
const BRAILLE_CELL = /[\u2801-\u283F]/;

// Regional-indicator letters ("🇵🇺🇹 🇹🇭🇪 …", shown as flags): read as the letters they stand for when
// they spell two words of three letters or more (a list of flags, "🇺🇸 🇬🇧", spells none).
const REGIONAL_RUN = /(?:\uD83C[\uDDE6-\uDDFF])+(?:[ \t,.:;!?'-]+(?:\uD83C[\uDDE6-\uDDFF])+)+/g;
const REGIONAL_WORD = /(?:\uD83C[\uDDE6-\uDDFF]){3,}/g;

// Upside-down text ("ʎluo zᴉnb ǝɥʇ …"): letters turned half a circle, read backwards. A stretch with four
// or more turned letters is read turned back.
const TURNED: Record<string, string> = {
  "ɐ": "a", "q": "b", "ɔ": "c", "p": "d", "ǝ": "e", "ɟ": "f", "ƃ": "g", "ɥ": "h", "ᴉ": "i", "ɾ": "j", "ʞ": "k", "ɯ": "m",
  "u": "n", "d": "p", "b": "q", "ɹ": "r", "ʇ": "t", "n": "u", "ʌ": "v", "ʍ": "w", "ʎ": "y", "˙": ".", "'": ",", ",": "'",
  "¿": "?", "¡": "!", "‾": "_", "(": ")", ")": "(",
};
const TURNED_LETTER = /[ɐɔǝɟƃɥᴉɾʞɯɹʇʌʍʎ]/g;
const TURNED_RUN = /[ɐɔǝɟƃɥᴉɾʞɯɹʇʌʍʎ](?:[ɐɔǝɟƃɥᴉɾʞɯɹʇʌʍʎa-z0-9 \t˙'.,¿¡‾()/~_-])*[ɐɔǝɟƃɥᴉɾʞɯɹʇʌʍʎa-z0-9]/g;

// Letters under stacked combining marks ("R̀̒ȩ̈ͅn̵̓͒̇d̨͆e̶͗̈r̵͊́̓", "Zalgo" text): the marks bury the words from a
// reader, not from the model. A line with four or more letters under two or more marks each is read
// with the marks taken off. So is a line with four or more letters under one line-drawing mark each
// (an underline, overline or strike-through that a text styler adds: "D̲o n̲ot m̲ention"), which no
// language writes: a filter looking for the words does not see them, the model does.
const STACKED_MARKS = /[\u0300-\u036F]{2}/g;
/** The combining marks that draw a line over, under or through their letter: one list for the detector and for charClasses. */
const LINE_MARKS = "\u0305\u0332\u0333\u0334\u0335\u0336\u0337\u0338\u033F";
const LINE_MARK = new RegExp(`[${LINE_MARKS}]`, "g");
const LINE_MARK_CODES = new Set(Array.from(LINE_MARKS, (c) => c.charCodeAt(0)));
/** Whether a combining mark is one of LINE_MARKS. */
function isLineMark(c: number): boolean {
  return LINE_MARK_CODES.has(c);
}
const COMBINING_MARK = /[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]/g;

// Runes ("ᚲᛟᛈᛃ ᛏᚺᛖ ᛚᛁᚾᛖᛊ", Elder Futhark written for English): read as the Latin letters they transliterate,
// when they spell two words of three runes or more.
const RUNES: Record<string, string> = {
  "ᚠ": "f", "ᚢ": "u", "ᚦ": "th", "ᚨ": "a", "ᚩ": "o", "ᚱ": "r", "ᚲ": "c", "ᚴ": "k", "ᚷ": "g", "ᚹ": "w", "ᚺ": "h", "ᚻ": "h",
  "ᚾ": "n", "ᛁ": "i", "ᛃ": "y", "ᛇ": "ei", "ᛈ": "p", "ᛉ": "z", "ᛊ": "s", "ᛋ": "s", "ᛏ": "t", "ᛒ": "b", "ᛖ": "e", "ᛗ": "m",
  "ᛚ": "l", "ᛜ": "ng", "ᛝ": "ng", "ᛞ": "d", "ᛟ": "o", "᛫": " ", "᛬": ":", "᛭": "+",
};
const RUNE_RUN = /[\u16A0-\u16F8](?:[\u16A0-\u16F8 \t.,:;'_\-/~0-9]|[A-Za-z])*[\u16A0-\u16F8]/g;
const RUNE_WORD = /[\u16A0-\u16F8]{3,}/g;

/**
 * A way of drawing letters that compatibilityLetters reads back: each run of `run` with at least `min`
 * matches of `counted` in it is read with `read`.
 */
interface LetterReading {
  run: RegExp;
  counted: RegExp;
  min: number;
  read: (run: string) => string;
  /** What the letters are, in the finding's detail ("runes read …"). */
  what: string;
}

const RUNE_READING: LetterReading = { run: RUNE_RUN, counted: RUNE_WORD, min: 2, read: (run) => run.replace(/[\u16A0-\u16F8]/g, (c) => RUNES[c] ?? c), what: "runes" };
const REGIONAL_READING: LetterReading = {
  run: REGIONAL_RUN,
  counted: REGIONAL_WORD,
  min: 2,
  read: (run) => run.replace(/\uD83C([\uDDE6-\uDDFF])/g, (_, low: string) => String.fromCharCode(65 + low.charCodeAt(0) - 0xdde6)),
  what: "regional-indicator letters",
};
const TURNED_READING: LetterReading = { run: TURNED_RUN, counted: TURNED_LETTER, min: 4, read: (run) => [...run].reverse().map((c) => TURNED[c] ?? c).join(""), what: "upside-down text" };
const COMPAT_READING: LetterReading = { run: COMPAT_RUN, counted: COMPAT_LETTER, min: 4, read: (run) => run.normalize("NFKC"), what: "full-width, circled, mathematical, superscript or subscript letters" };
const BRAILLE_READING: LetterReading = {
  run: BRAILLE_RUN,
  counted: BRAILLE_WORD,
  min: 2,
  read: (run) =>
    run.replace(/[\u2800-\u283F]/g, (c) => {
      const k = BRAILLE_LETTERS.indexOf(c);
      return k >= 0 ? String.fromCharCode(97 + k) : c === "\u2800" ? " " : "";
    }),
  what: "Braille letters",
};
const SMALL_CAPITALS_READING: LetterReading = { run: SMALL_CAPITALS_RUN, counted: SMALL_CAPITALS_WORD, min: 2, read: (run) => run.replace(/./g, (c) => SMALL_CAPITALS[c] ?? c), what: "small capitals" };

function readLetterRuns(text: string, reading: LetterReading, hits: DetectorHit[]): void {
  for (const m of text.matchAll(reading.run)) {
    if ((m[0].match(reading.counted)?.length ?? 0) < reading.min) continue;
    const decoded = reading.read(m[0]);
    hits.push({ start: m.index, end: m.index + m[0].length, detail: `${reading.what} read ${quote(decoded)}`, decoded });
  }
}

const compatibilityLetters: Detector = (text) => {
  const hits: DetectorHit[] = [];
  readLetterRuns(text, RUNE_READING, hits);
  readLetterRuns(text, REGIONAL_READING, hits);
  if ((text.match(TURNED_LETTER)?.length ?? 0) >= TURNED_READING.min) readLetterRuns(text, TURNED_READING, hits);
  const stacked = STACKED_MARKS.test(text);
  STACKED_MARKS.lastIndex = 0;
  const lined = LINE_MARK.test(text);
  LINE_MARK.lastIndex = 0;
  if (stacked || lined) {
    let at = 0;
    for (const line of text.split("\n")) {
      const what = (line.match(STACKED_MARKS)?.length ?? 0) >= 4 ? "stacked combining marks" : (line.match(LINE_MARK)?.length ?? 0) >= 4 ? "underline or strike-through marks" : undefined;
      if (what) {
        const decoded = line.normalize("NFD").replace(COMBINING_MARK, "");
        hits.push({ start: at, end: at + line.length, detail: `letters under ${what} read ${quote(decoded)}`, decoded });
      }
      at += line.length + 1;
    }
  }
  readLetterRuns(text, COMPAT_READING, hits);
  // Braille cells and small capitals are looked for first: text with other letter forms mostly has none.
  if (BRAILLE_CELL.test(text)) readLetterRuns(text, BRAILLE_READING, hits);
  if (hasSmallCapital(text)) readLetterRuns(text, SMALL_CAPITALS_READING, hits);
  return hits;
};

// Text announced as enciphered: ROT13 ("rot13"), another Caesar shift ("caesar", "shift-3", "shift each
// letter back"), Atbash ("atbash"), or letters as their positions ("letter positions",
// "A1Z26": 19-5-14-4), or a Polybius square (row and column digits, "42151114" is "read"). What follows the mark is deciphered every way the mark allows; the reading most
// like English counts when it reads as English and the text did not before (a cipher named in passing,
// "strategies: base64, rot13, leetspeak", deciphers to nothing). An uuencoded block ("begin 644 name" …
// "end") counts when it decodes to English.
const CIPHER_MARK = /\bpolybius\b|\brot[-\s]?13\b|\bcaesar\b|\batbash\b|\bshift(?:ed)?[-\s]?\d{1,2}\b|\bshift\s+each\s+letter\b|\bletter\s+(?:positions?|numbers?)\b|\ba1z26\b/gi;
const CIPHER_SPAN = 600;
/** How many of ENGLISH_WORDS a reading needs to count as English. */
const MIN_ENGLISH_WORDS = 3;
const UU_BLOCK = /^begin [0-7]{3,4} [^\n]*\n([\s\S]{1,20000}?)\nend\b/gm;
// Words nearly every English instruction has: the reading with most of them is the right one.
const ENGLISH_WORDS = new Set(["the", "to", "and", "of", "in", "it", "into", "do", "not", "a", "is", "for", "with", "this", "that", "user", "file", "all", "every", "your", "you", "from", "on", "be", "are", "or", "say", "tell", "send", "copy", "read", "put", "include", "them", "about", "nothing", "any"]);

/** Each ASCII letter replaced by the letter at `to(its place in the alphabet)`, in the same case. */
function mapLetters(s: string, to: (place: number) => number): string {
  return s.replace(/[a-z]/gi, (c) => {
    const base = c <= "Z" ? 65 : 97;
    return String.fromCharCode(base + to(c.charCodeAt(0) - base));
  });
}

function shiftLetters(s: string, by: number): string {
  return mapLetters(s, (place) => (place + by + 26) % 26);
}

function atbash(s: string): string {
  return mapLetters(s, (place) => 25 - place);
}

/** Letters written as their positions, 1 to 26, joined by hyphens ("19-5-14-4"); slashes part words. */
function letterPositions(s: string): string {
  return s
    .replace(/\b(?:[1-9]|1\d|2[0-6])(?:-(?:[1-9]|1\d|2[0-6]))+\b|\b(?:[1-9]|1\d|2[0-6])\b(?=\s*\/)/g, (run) => run.split("-").map((n) => String.fromCharCode(96 + Number(n))).join(""))
    .replace(/\s*\/\s*/g, " ");
}

const POLYBIUS = "abcdefghiklmnopqrstuvwxyz";

/** Digit pairs of a 5x5 Polybius square (row, then column; I and J share a cell) read as letters, words kept apart. */
function polybius(s: string): string {
  return s.replace(/\b[1-5]{2,}\b/g, (run) => (run.length % 2 === 0 ? (run.match(/../g) ?? []).map((pair) => POLYBIUS[(Number(pair[0]) - 1) * 5 + Number(pair[1]) - 1]).join("") : run));
}

function englishScore(s: string): number {
  let score = 0;
  for (const word of s.toLowerCase().match(/[a-z]+/g) ?? []) if (ENGLISH_WORDS.has(word)) score++;
  return score;
}

/** The readings a mark allows: ROT13 for "rot13", every shift and Atbash for the others, positions for "letter positions". */
function readingsFor(mark: string, text: string): string[] {
  const m = mark.toLowerCase();
  if (/^rot/.test(m)) return [shiftLetters(text, 13)];
  if (m === "polybius") return [polybius(text)];
  if (/letter|a1z26/.test(m)) return [letterPositions(text)];
  const out = [atbash(text)];
  for (let by = 1; by < 26; by++) out.push(shiftLetters(text, by));
  return out;
}

/** The bytes of one uuencoded line (its first character gives how many). */
function uudecodeLine(line: string): number[] {
  const count = (line.charCodeAt(0) - 32) & 63;
  const bytes: number[] = [];
  for (let i = 1; bytes.length < count && i < line.length; i += 4) {
    const c = [0, 1, 2, 3].map((k) => ((line.charCodeAt(i + k) || 32) - 32) & 63);
    bytes.push((c[0]! << 2) | (c[1]! >> 4), ((c[1]! & 15) << 4) | (c[2]! >> 2), ((c[2]! & 3) << 6) | c[3]!);
  }
  return bytes.slice(0, count);
}

const rot13: Detector = (text) => {
  const hits: DetectorHit[] = [];
  for (const m of text.matchAll(CIPHER_MARK)) {
    const from = m.index + m[0].length;
    const end = Math.min(text.length, from + CIPHER_SPAN);
    const passage = text.slice(from, end);
    let best = "";
    let score = -1;
    for (const reading of readingsFor(m[0], passage)) {
      const s = englishScore(reading);
      if (s > score) [best, score] = [reading, s];
    }
    best = best.trim();
    if (looksLikeText(best, 12) && score >= MIN_ENGLISH_WORDS && score >= 2 * englishScore(passage) + 1) hits.push({ start: from, end, detail: `text marked as ${m[0]} decodes to ${quote(best)}`, decoded: best });
  }
  if (text.includes("begin ")) {
    for (const m of text.matchAll(UU_BLOCK)) {
      const bytes = m[1]!.split("\n").flatMap((line) => (line.length > 1 ? uudecodeLine(line) : []));
      const decoded = Buffer.from(bytes).toString("utf8");
      if (looksLikeText(decoded, 12) && englishScore(decoded) >= MIN_ENGLISH_WORDS) hits.push({ start: m.index, end: m.index + m[0].length, detail: `uuencoded text decodes to ${quote(decoded)}`, decoded });
    }
  }
  return hits;
};

// --- Size and padding.
const length: Detector = (text, params) => {
  const max = Number(params.maxChars);
  return text.length > max ? [{ start: max, end: text.length, detail: `${text.length} characters (limit ${max})` }] : [];
};

// Twelve or more blank lines, or 120 blank characters in a row. Each alternative starts with a
// literal so the engine can skip ahead; it runs only on text with a blank run (CharClass.blankRun).
const PADDING = /\n(?:[ \t\u00A0\u2000-\u200A\u3000]*\r?\n){11,}|(?:  |\t|\u00A0|[\u2000-\u200A\u3000])[ \t\u00A0\u2000-\u200A\u3000]{118,}/g;

const padding: Detector = (text) =>
  text.length < 24
    ? []
    : [...text.matchAll(PADDING)]
        .filter((m) => /\S/.test(text.slice(m.index + m[0].length)))
        .map((m) => {
          const lines = (m[0].match(/\n/g) ?? []).length;
          const what = lines > 0 ? `${lines} blank lines` : `${m[0].length} blank characters`;
          const after = text.slice(m.index + m[0].length).trim();
          return { start: m.index, end: m.index + m[0].length, detail: `${what} push ${quote(after)} out of view`, decoded: after };
        });

// A run of one non-blank character (padding made of letters or punctuation, not blanks): at least
// REPEAT_RUN in a row, which no real description we have seen comes near (the longest is 40).
const REPEAT_RUN = 160;
const REPEATED = new RegExp(`(\\S)\\1{${REPEAT_RUN - 1},}`, "g");

const repeatedRun: Detector = (text) =>
  [...text.matchAll(REPEATED)].map((m) => {
    const after = text.slice(m.index + m[0].length).trim();
    const what = `${m[0].length} × ${quote(m[1]!)}`;
    return { start: m.index, end: m.index + m[0].length, detail: after ? `${what} pads the text before ${quote(after)}` : what, ...(after ? { decoded: after } : {}) };
  });

// Blanks at line ends carrying bits (whitespace steganography, as SNOW writes it): a tab and a space are a
// one and a zero, eight to a byte, line after line. Editors and renderers drop or hide them; a model reading
// the raw description can be told to decode them. Runs of TRAILING_RUN blanks or more, tabs and spaces mixed.
const TRAILING_RUN = 8;
const TRAILING_BLANKS = new RegExp(`[ \\t]{${TRAILING_RUN},}(?=\\r?\\n|$)`, "g");

const trailingWhitespace: Detector = (text) => {
  const runs = [...text.matchAll(TRAILING_BLANKS)].filter((m) => m[0].includes("\t") && m[0].includes(" "));
  if (runs.length === 0) return [];
  const bits = runs.map((m) => m[0]).join("");
  for (const one of ["\t", " "]) {
    let decoded = "";
    for (let i = 0; i + 8 <= bits.length; i += 8) {
      let byte = 0;
      for (let k = 0; k < 8; k++) byte = (byte << 1) | (bits[i + k] === one ? 1 : 0);
      decoded += String.fromCharCode(byte);
    }
    decoded = decoded.replace(/\0+$/, "");
    if (looksLikeText(decoded)) {
      const first = runs[0]!;
      const last = runs[runs.length - 1]!;
      const lines = `${runs.length} line end${runs.length === 1 ? "" : "s"}`;
      return [{ start: first.index, end: last.index + last[0].length, detail: `tabs and spaces at ${lines} spell ${quote(decoded)}`, decoded }];
    }
  }
  return [];
};

/** A name that reads as another of the server's own with look-alike characters (`send_emai1` beside `send_email`). */
const lookAlikeSibling: Detector = (text, _params, ctx) => {
  const imitated = ctx.imitatedName?.(text);
  return imitated === undefined ? [] : [{ start: 0, end: text.length, detail: `"${visible(text)}" reads as "${imitated}", another of the same server's names, with look-alike characters` }];
};

export const DETECTORS = {
  "unicode-tags": unicodeTags,
  "variation-selectors": variationSelectors,
  "bidi-controls": bidiControls,
  "zero-width": zeroWidth,
  "ansi-escapes": ansiEscapes,
  "control-characters": controlCharacters,
  "private-use": privateUse,
  homoglyphs,
  "mixed-script-words": mixedScriptWords,
  "non-ascii-identifier": nonAsciiIdentifier,
  base64,
  hex: hexBlob,
  "escaped-text": escapedText,
  "char-codes": charCodes,
  "html-entities": htmlEntities,
  "spaced-letters": spacedLetters,
  "parted-letters": partedLetters,
  "compatibility-letters": compatibilityLetters,
  rot13,
  length,
  padding,
  "repeated-run": repeatedRun,
  "trailing-whitespace": trailingWhitespace,
  "look-alike-sibling": lookAlikeSibling,
} satisfies Record<string, Detector>;

export type DetectorKind = keyof typeof DETECTORS;

/** Kinds of unusual characters (and shapes of text); a detector runs only on text that has the kind it looks for. */
export const CharClass = {
  tags: 1,
  variationSelector: 2,
  bidi: 4,
  zeroWidth: 8,
  escape: 16,
  control: 32,
  privateUse: 64,
  nonAscii: 128,
  lookalikeScript: 256,
  /** A run of 32+ characters of [A-Za-z0-9+/_-] with letters and digits: where base64 or hex can be. */
  longToken: 512,
  /** `\`, `%` or `&`: where escaped text can be. */
  escapable: 1024,
  /** Twelve line breaks with only blanks between, or 119 blanks in a row: the least PADDING can match. */
  blankRun: 2048,
  /** REPEAT_RUN copies of one non-blank character in a row: the least REPEATED can match. */
  repeatRun: 4096,
  /** SPACED_RUN single characters in a row, each followed by blanks: the least SPACED_LETTERS can match. */
  spacedLetters: 8192,
  /** A letter drawn another way (what compatibilityLetters reads): full-width, circled, mathematical, superscript, subscript, small capital, Braille, turned (upside-down), regional-indicator or runic letters, and letters under stacked combining marks or under line-drawing marks (underline, strike-through). */
  letterForms: 16384,
  /** A word (no blank, line break or character beyond ASCII inside) of LONG_WORD characters or more: the least PARTED_RUN can match. */
  longWord: 32768,
  /** HEX_PAIRS_RUN two-digit hex words in a row, a blank apart: the least HEX can match written as a hex dump. */
  hexPairs: 65536,
  /** TRAILING_RUN blanks or more just before a line break or the end: the least TRAILING_BLANKS can match. */
  trailingBlanks: 131072,
} as const;

const LONG_TOKEN = 32;
const BLANK_RUN = 119;
const LINE_RUN = 12;
const SPACED_RUN = 7;
const LONG_WORD = 23;

// What charClasses needs to know of an ASCII character (token characters first).
const Ascii = {
  letter: 0,
  digit: 1,
  /** + / _ - */
  tokenOther: 2,
  /** Space and tab. */
  blank: 3,
  lineFeed: 4,
  carriageReturn: 5,
  /** Backslash, `%` and `&`. */
  escapable: 6,
  printable: 7,
  escape: 8,
  control: 9,
} as const;

const ASCII_KIND = Uint8Array.from({ length: 128 }, (_, c) => {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return Ascii.letter;
  if (c >= 48 && c <= 57) return Ascii.digit;
  if (c === 43 || c === 47 || c === 95 || c === 45) return Ascii.tokenOther;
  if (c === 0x20 || c === 0x09) return Ascii.blank;
  if (c === 0x0a) return Ascii.lineFeed;
  if (c === 0x0d) return Ascii.carriageReturn;
  if (c === 92 || c === 37 || c === 38) return Ascii.escapable;
  if (c > 0x20 && c < 0x7f) return Ascii.printable;
  return c === 0x1b ? Ascii.escape : Ascii.control;
});

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
}

/** One pass over the text: which unusual character kinds and shapes it contains (0 for plain short ASCII). */
export function charClasses(text: string): number {
  let mask = 0;
  let run = 0;
  let runDigits = 0;
  let runLetters = 0;
  let blanks = 0;
  let lines = 0;
  // Characters since the last blank, and single characters in a row, each followed by blanks (SPACED_LETTERS).
  let word = 0;
  let singles = 0;
  // Two-digit hex words in a row, a blank apart (HEX written as a dump).
  let hexPairs = 0;
  // Copies of the character before this one in a row (any character: REPEATED needs a run of one).
  let same = 0;
  let prev = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== prev) {
      prev = c;
      same = 0;
    } else if (++same >= REPEAT_RUN - 1) mask |= CharClass.repeatRun;
    if (c < 128) {
      const kind = ASCII_KIND[c]!;
      if (kind <= Ascii.tokenOther) {
        run++;
        if (kind === Ascii.digit) runDigits++;
        else if (kind === Ascii.letter) runLetters++;
        if (run >= LONG_TOKEN && runDigits > 0 && runLetters > 0) mask |= CharClass.longToken;
        blanks = 0;
        lines = 0;
        word++;
        continue;
      }
      run = runDigits = runLetters = 0;
      if (kind === Ascii.blank) {
        if (word >= LONG_WORD) mask |= CharClass.longWord;
        if (word === 1) {
          if (++singles >= SPACED_RUN) mask |= CharClass.spacedLetters;
        } else if (word > 1) singles = 0;
        if (word === 2 && isHexDigit(text.charCodeAt(i - 1)) && isHexDigit(text.charCodeAt(i - 2))) {
          if (++hexPairs >= HEX_PAIRS_RUN) mask |= CharClass.hexPairs;
        } else if (word > 0) hexPairs = 0;
        word = 0;
        if (++blanks >= BLANK_RUN) mask |= CharClass.blankRun;
        continue;
      }
      if (blanks >= TRAILING_RUN && (kind === Ascii.lineFeed || kind === Ascii.carriageReturn)) mask |= CharClass.trailingBlanks;
      blanks = 0;
      if (kind === Ascii.lineFeed || kind === Ascii.carriageReturn) {
        if (word >= LONG_WORD) mask |= CharClass.longWord;
        word = singles = 0;
      }
      if (kind === Ascii.lineFeed) {
        if (++lines >= LINE_RUN) mask |= CharClass.blankRun;
      } else if (kind !== Ascii.carriageReturn) {
        lines = 0;
        // Printable characters make words (SPACED_LETTERS reads them); escapes and controls part them.
        if (kind === Ascii.printable || kind === Ascii.escapable) word++;
        else {
          if (word >= LONG_WORD) mask |= CharClass.longWord;
          word = 0;
        }
        if (kind === Ascii.escapable) mask |= CharClass.escapable;
        else if (kind === Ascii.escape) mask |= CharClass.escape;
        else if (kind === Ascii.control) mask |= CharClass.control;
      }
      continue;
    }
    if (word >= LONG_WORD) mask |= CharClass.longWord;
    run = runDigits = runLetters = word = 0;
    // The blanks PADDING counts beyond ASCII: no-break space and the wide spaces.
    if (c === 0xa0 || (c >= 0x2000 && c <= 0x200a) || c === 0x3000) {
      if (++blanks >= BLANK_RUN) mask |= CharClass.blankRun;
    } else {
      blanks = 0;
      lines = 0;
    }
    if (c === 0x9b) mask |= CharClass.escape;
    else if (c < 0xa0) mask |= CharClass.control;
    else {
      mask |= CharClass.nonAscii;
      if (letterForm(c)) mask |= CharClass.letterForms;
      // Two combining marks in a row: letters may be buried under stacked marks; one line-drawing mark: underlined or struck-through letters.
      else if (c >= 0x300 && c <= 0x36f && ((i > 0 && text.charCodeAt(i - 1) >= 0x300 && text.charCodeAt(i - 1) <= 0x36f) || isLineMark(c))) mask |= CharClass.letterForms;
      if (invisibleFormat(c)) mask |= CharClass.zeroWidth;
      else if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f || c === 0x061c) mask |= CharClass.bidi;
      else if (c >= 0xfe00 && c <= 0xfe0f) {
        mask |= CharClass.variationSelector;
        // Inside a word of ASCII letters a selector selects nothing: the zero-width detector's case.
        const prev = i > 0 ? text.charCodeAt(i - 1) : 0xffff;
        if (prev < 128 && ASCII_KIND[prev]! <= Ascii.digit) mask |= CharClass.zeroWidth;
      } else if (c >= 0xe000 && c <= 0xf8ff) mask |= CharClass.privateUse;
      else if ((c >= 0x0370 && c <= 0x058f) || (c >= 0x13a0 && c <= 0x13ff) || (c >= 0xa4d0 && c <= 0xa4ff)) mask |= CharClass.lookalikeScript;
      else if (c >= 0xdb40 && c <= 0xdb43 && i + 1 < text.length) {
        // Plane 14 (U+E0000-E0FFF): tags, variation selectors, and the rest of it default-ignorable.
        const low = text.charCodeAt(i + 1);
        if (c === 0xdb40 && low >= 0xdc00 && low <= 0xdc7f) mask |= CharClass.tags;
        else if (c === 0xdb40 && low >= 0xdd00 && low <= 0xddef) mask |= CharClass.variationSelector;
        else mask |= CharClass.zeroWidth;
      } else if ((c === 0xd82f || c === 0xd834 || c === 0xd80d) && i + 1 < text.length && invisibleFormat(text.codePointAt(i)!)) mask |= CharClass.zeroWidth;
      else if (c >= 0xdb80 && c <= 0xdbff) mask |= CharClass.privateUse;
    }
  }
  if (word >= LONG_WORD) mask |= CharClass.longWord;
  if (blanks >= TRAILING_RUN) mask |= CharClass.trailingBlanks;
  return mask;
}

/**
 * Whether a UTF-16 code unit belongs to a letter drawn another way (see CharClass.letterForms): a
 * full-width form, a circled letter, a Braille cell, a small capital, a superscript or subscript letter,
 * or the high surrogate of the mathematical alphanumerics (U+1D400-1D7FF).
 */
function letterForm(c: number): boolean {
  return (
    (c >= 0xff01 && c <= 0xff5e) ||
    (c >= 0x24b6 && c <= 0x24e9) ||
    (c >= 0x2801 && c <= 0x283f) ||
    c === 0xd835 ||
    isSmallCapital(c) ||
    isScriptLetter(c) ||
    (c >= 0x250 && c <= 0x2af) || // turned letters (upside-down text) among the IPA letters
    c === 0x1dd ||
    c === 0x183 ||
    c === 0xd83c || // regional indicators (and other pictographs) are U+1F1E6 onwards
    (c >= 0x16a0 && c <= 0x16f8) // runes
  );
}

/** Whether a code point is one of the zero-width detector's: default-ignorable, not a bidi control, variation selector or tag. */
function invisibleFormat(c: number): boolean {
  return (
    c === 0x00ad ||
    c === 0x034f ||
    c === 0x115f ||
    c === 0x1160 ||
    c === 0x17b4 ||
    c === 0x17b5 ||
    (c >= 0x180b && c <= 0x180f) ||
    (c >= 0x200b && c <= 0x200d) ||
    (c >= 0x2060 && c <= 0x2065) ||
    (c >= 0x206a && c <= 0x206f) ||
    c === 0x3164 ||
    c === 0xfeff ||
    c === 0xffa0 ||
    (c >= 0xfff0 && c <= 0xfffb) ||
    (c >= 0x1bca0 && c <= 0x1bca3) ||
    (c >= 0x13430 && c <= 0x1343f) ||
    (c >= 0x1d173 && c <= 0x1d17a)
  );
}

/** What each detector needs to find anything: one of these classes (0: it may find something in any text). */
export const DETECTOR_NEEDS: Readonly<Record<DetectorKind, number>> = {
  "unicode-tags": CharClass.tags,
  "variation-selectors": CharClass.variationSelector,
  "bidi-controls": CharClass.bidi,
  "zero-width": CharClass.zeroWidth,
  "ansi-escapes": CharClass.escape,
  "control-characters": CharClass.control,
  "private-use": CharClass.privateUse,
  homoglyphs: CharClass.nonAscii,
  "mixed-script-words": CharClass.lookalikeScript,
  "non-ascii-identifier": CharClass.nonAscii,
  base64: CharClass.longToken,
  hex: CharClass.longToken | CharClass.hexPairs,
  "escaped-text": CharClass.escapable,
  "char-codes": 0,
  "html-entities": CharClass.escapable,
  "spaced-letters": CharClass.spacedLetters,
  "parted-letters": CharClass.longWord,
  "compatibility-letters": CharClass.letterForms,
  rot13: 0,
  length: 0,
  padding: CharClass.blankRun,
  "repeated-run": CharClass.repeatRun,
  "trailing-whitespace": CharClass.trailingBlanks,
  "look-alike-sibling": 0,
};
