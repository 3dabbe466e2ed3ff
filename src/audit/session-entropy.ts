// Estimates how guessable a server's session ids are from a handful of samples: recognised formats
// (UUID versions) get their known random bit count; other ids get (varying positions × bits per
// character of the observed alphabet), and duplicates or counters get zero.

export interface EntropyEstimate {
  bits: number;
  format: string;
  /** Why the estimate is low, when it is. */
  reason?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_RANDOM_BITS: Record<string, number> = { "4": 122, "7": 74, "8": 0, "1": 14, "6": 14, "3": 0, "5": 0 };

export function estimateSessionIdEntropy(samples: string[]): EntropyEstimate {
  if (samples.length < 2) return { bits: 0, format: "unknown", reason: "fewer than two session ids to compare" };
  if (new Set(samples).size < samples.length) return { bits: 0, format: "repeated", reason: "the same session id was issued twice" };

  const uuids = samples.map((s) => UUID.exec(s)?.[1]?.toLowerCase());
  if (uuids.every((v) => v !== undefined)) {
    const versions = new Set(uuids);
    const version = versions.size === 1 ? [...versions][0]! : "mixed";
    const bits = UUID_RANDOM_BITS[version];
    if (bits !== undefined) {
      const out: EntropyEstimate = { bits, format: `uuid v${version}` };
      if (bits < 120) out.reason = version === "1" || version === "6" ? "time-based UUIDs are predictable from the clock" : `UUID v${version} has only ${bits} random bits`;
      return out;
    }
  }

  if (samples.every((s) => /^\d{1,15}$/.test(s))) {
    const nums = samples.map(Number).sort((a, b) => a - b);
    if (nums[nums.length - 1]! - nums[0]! < 1_000_000) return { bits: 0, format: "number", reason: "the ids are small numbers close to each other (a counter)" };
  }

  const alphabet = alphabetBits(samples.join(""));
  const minLength = Math.min(...samples.map((s) => s.length));
  let varying = 0;
  for (let i = 0; i < minLength; i++) {
    const c = samples[0]![i];
    if (samples.some((s) => s[i] !== c)) varying++;
  }
  // Positions shared by every sample (prefixes, separators, timestamps) carry no secret.
  const bits = Math.round(varying * alphabet.bits);
  const out: EntropyEstimate = { bits, format: `${alphabet.name}, ${minLength === Math.max(...samples.map((s) => s.length)) ? minLength : `${minLength}+`} chars` };
  if (varying < minLength / 2) out.reason = `only ${varying} of ${minLength} characters differ between samples`;
  return out;
}

function alphabetBits(all: string): { name: string; bits: number } {
  if (/^[0-9]*$/.test(all)) return { name: "decimal", bits: Math.log2(10) };
  if (/^[0-9a-f-]*$/.test(all) || /^[0-9A-F-]*$/.test(all)) return { name: "hex", bits: 4 };
  if (/^[0-9a-z_-]*$/.test(all) || /^[0-9A-Z_-]*$/.test(all)) return { name: "base36", bits: Math.log2(36) };
  if (/^[0-9A-Za-z]*$/.test(all)) return { name: "base62", bits: Math.log2(62) };
  if (/^[0-9A-Za-z_\-+/=.]*$/.test(all)) return { name: "base64", bits: 6 };
  return { name: "printable", bits: Math.log2(95) };
}
