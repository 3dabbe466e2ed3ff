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
    if (end < 0 || "?*{".includes(source[end + 1] ?? "")) return undefined; // an optional group: it may start elsewhere
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
  // "colou?r": the quantified last letter may be absent.
  const prefix = "?*{".includes(source[word.length] ?? "") ? word.slice(0, -1) : word;
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
