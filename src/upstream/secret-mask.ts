// Masks configured secret values (env of a stdio server, headers of an HTTP one) in text that goes to
// logs or error messages, since an upstream may print or echo them.

/** Values shorter than this are not masked: they would mangle ordinary text and are not credentials. */
const MIN_SECRET_CHARS = 6;

/** The values worth masking, longest first so that a secret containing another is masked whole. */
export function secretValues(values: Iterable<string>): string[] {
  return [...values].filter((v) => v.length >= MIN_SECRET_CHARS).sort((a, b) => b.length - a.length);
}

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) if (masked.includes(secret)) masked = masked.split(secret).join("[redacted]");
  return masked;
}
