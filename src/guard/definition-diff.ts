// A line diff of two definitions (pretty JSON, keys sorted) for `sapper pin --approve`, so the
// reviewer sees exactly what changed before the new version is pinned.
import { sortKeys } from "./lock-file.js";

function lines(value: unknown): string[] {
  if (value === undefined) return [];
  return (typeof value === "string" ? value : JSON.stringify(sortKeys(value), null, 2)).split("\n");
}

/** Unified-style diff ("-" removed, "+" added, " " unchanged with `context` lines around changes). */
export function diffDefinitions(before: unknown, after: unknown, context = 3): string {
  const a = lines(before);
  const b = lines(after);
  // Longest common subsequence table; definitions are small.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const ops: Array<[" " | "-" | "+", string]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push([" ", a[i++]!]), j++;
    else if (j < b.length && (i >= a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) ops.push(["+", b[j++]!]);
    else ops.push(["-", a[i++]!]);
  }
  const keep = ops.map((op, k) => op[0] !== " " || ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o[0] !== " "));
  const out: string[] = [];
  let skipped = false;
  ops.forEach(([sign, text], k) => {
    if (keep[k]) {
      if (skipped) out.push("  …");
      skipped = false;
      out.push(`${sign} ${text}`);
    } else skipped = true;
  });
  return out.join("\n");
}
