// Reads the Bearer challenge of a WWW-Authenticate header (RFC 6750 §3, RFC 9728 §5.1).

export interface BearerChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses the first challenge of the header; auth-params with quoted or token values. */
export function parseChallenge(header: string | undefined): BearerChallenge | undefined {
  if (!header) return undefined;
  const m = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?\s*/gy;
  const rest = m[2] ?? "";
  re.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(rest)) !== null) {
    if (match[0] === "") break;
    params[match[1]!.toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] ?? "");
  }
  return { scheme: m[1]!, params };
}
