// RFC 8785 JSON Canonicalization Scheme: the one serialization pins are hashed over, so that key
// order and insignificant whitespace never change a hash while any change of content does.
import { createHash } from "node:crypto";

/** Serializes a JSON value per RFC 8785 (sorted keys by UTF-16 code units, ECMAScript numbers). */
export function canonicalize(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join("");
}

/** `sha256:<hex>` of the canonical form. */
export function canonicalHash(value: unknown): string {
  return `sha256:${createHash("sha256").update(canonicalize(value), "utf8").digest("hex")}`;
}

function write(value: unknown, out: string[]): void {
  if (value === null) {
    out.push("null");
    return;
  }
  switch (typeof value) {
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`RFC 8785 has no form for ${value}`);
      // ECMAScript Number serialization is exactly what RFC 8785 section 3.2.2.3 prescribes (-0 -> "0").
      out.push(JSON.stringify(value));
      return;
    case "string":
      out.push(serializeString(value));
      return;
    case "object":
      if (Array.isArray(value)) {
        out.push("[");
        value.forEach((item, i) => {
          if (i > 0) out.push(",");
          write(item === undefined || typeof item === "function" ? null : item, out);
        });
        out.push("]");
        return;
      }
      writeObject(value as Record<string, unknown>, out);
      return;
    default:
      throw new TypeError(`RFC 8785 has no form for a value of type ${typeof value}`);
  }
}

function writeObject(obj: Record<string, unknown>, out: string[]): void {
  // Array.prototype.sort compares strings by UTF-16 code units, which is the order RFC 8785 requires.
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined && typeof obj[k] !== "function")
    .sort();
  out.push("{");
  keys.forEach((k, i) => {
    if (i > 0) out.push(",");
    out.push(serializeString(k), ":");
    write(obj[k], out);
  });
  out.push("}");
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serializeString(s: string): string {
  if (LONE_SURROGATE.test(s)) throw new TypeError("RFC 8785 requires well-formed Unicode strings (found a lone surrogate)");
  // JSON.stringify escapes exactly ", \, \b \t \n \f \r and other C0 controls as \u00xx (lowercase), as RFC 8785 3.2.2.2 does.
  return JSON.stringify(s);
}
