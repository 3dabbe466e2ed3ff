// Removes secrets from everything the auditor records. Tokens and header values the user gave are
// replaced wherever they appear (raw or URL-encoded); session ids observed on the wire are shortened.

const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"]);
const SECRET_QUERY_PARAMS = /^(access_token|token|api_key|apikey|key|auth|authorization|secret|password|client_secret)$/i;

export const REDACTED = "[redacted]";

export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly sessionIds = new Set<string>();

  /** Registers a value that must never be printed (tokens, custom header values). */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) this.secrets.add(value);
  }

  /** Registers a session id: printed as a short prefix and its length, enough to tell samples apart. */
  addSessionId(value: string | undefined): void {
    if (value && value.length >= 8) this.sessionIds.add(value);
  }

  text(input: string): string {
    let out = input;
    for (const secret of this.secrets) {
      for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(REDACTED);
    }
    for (const id of this.sessionIds) out = out.split(id).join(maskSessionId(id));
    return out;
  }

  url(input: string | URL): string {
    let u: URL;
    try {
      u = new URL(String(input));
    } catch {
      return this.text(String(input));
    }
    u.username = u.username ? REDACTED : "";
    u.password = u.password ? REDACTED : "";
    for (const key of [...u.searchParams.keys()]) {
      if (SECRET_QUERY_PARAMS.test(key)) u.searchParams.set(key, REDACTED);
    }
    return this.text(u.toString());
  }

  headers(headers: Record<string, string | string[] | undefined>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, raw] of Object.entries(headers)) {
      if (raw === undefined) continue;
      const value = Array.isArray(raw) ? raw.join(", ") : raw;
      const lower = name.toLowerCase();
      if (SECRET_HEADERS.has(lower)) {
        const scheme = /^(Bearer|Basic|DPoP|Token)\s+/i.exec(value)?.[1];
        out[name] = scheme ? `${scheme} ${REDACTED}` : REDACTED;
      } else {
        out[name] = this.text(value);
      }
    }
    return out;
  }
}

export function maskSessionId(id: string): string {
  return `${id.slice(0, 6)}…(${id.length} chars)`;
}

/** A value shown in lint evidence: enough to recognise it, never enough to use it. */
export function maskSecretValue(value: string): string {
  const prefix = /^(ghp_|gho_|ghu_|ghs_|github_pat_|glpat-|xox[abpr]-|sk-ant-|sk-|AKIA|AIza)/.exec(value)?.[0] ?? "";
  return `${prefix}…(${value.length} chars)`;
}
