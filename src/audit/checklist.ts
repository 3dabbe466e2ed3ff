// The production checklist for an MCP deployment: fifteen items every check maps to. docs/audit.md
// prints the same list and the mapping; `sapper audit --list-checks` prints it from here.

export interface ChecklistItem {
  number: number;
  title: string;
}

export const PRODUCTION_CHECKLIST: readonly ChecklistItem[] = [
  { number: 1, title: "Reachable over Streamable HTTP, with TLS off loopback, on a current protocol revision (legacy SSE only as a fallback)" },
  { number: 2, title: "Authentication required on every non-loopback endpoint" },
  { number: 3, title: "RFC 9728 protected resource metadata, consistent with WWW-Authenticate and a working authorization server" },
  { number: 4, title: "Tokens validated: invalid, expired or wrong-audience tokens get 401" },
  { number: 5, title: "No tokens in query strings" },
  { number: 6, title: "Origin and Host validated (DNS rebinding)" },
  { number: 7, title: "CORS restricted to known origins" },
  { number: 8, title: "Session ids unguessable and bound to the principal that created them" },
  { number: 9, title: "Unknown or expired session ids answered 404" },
  { number: 10, title: "Robust to malformed input: JSON-RPC errors, never a 500 or a hang" },
  { number: 11, title: "Request body size limited" },
  { number: 12, title: "Rate limiting with 429 and Retry-After" },
  { number: 13, title: "Deployment: concurrency without sticky sessions, health checks and probes, reachable bind address, consistent ports, non-root containers" },
  { number: 14, title: "Context budget: tool count and token cost within reason" },
  { number: 15, title: "Supply chain and secrets: definitions scanned for poisoning, packages and images pinned, lock files, no secrets written inline" },
];

export function checklistTitle(n: number): string {
  return PRODUCTION_CHECKLIST.find((i) => i.number === n)?.title ?? `item ${n}`;
}
