// The auditor's promise never to change anything on the audited server: every body it sends passes
// through this gate, which lets through only handshakes, lists and pings, plus the one tool call the
// user named with --call.
import { SapperError } from "../errors.js";

export const SAFE_METHODS: ReadonlySet<string> = new Set([
  "initialize",
  "notifications/initialized",
  "ping",
  "server/discover",
  "tools/list",
  "prompts/list",
  "resources/list",
  "resources/templates/list",
]);

/**
 * Throws SAPPER_AUDIT_UNSAFE_REQUEST unless every JSON-RPC message in the body is safe. Bodies that are
 * not JSON (the malformed-input probes) carry no method and pass.
 */
export function assertSafeBody(body: string, allowedTool: string | undefined): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return;
  }
  for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
    if (typeof message !== "object" || message === null) continue;
    const method = (message as { method?: unknown }).method;
    if (method === undefined || typeof method !== "string") continue;
    if (SAFE_METHODS.has(method)) continue;
    if (method === "tools/call" && allowedTool !== undefined) {
      const name = ((message as { params?: { name?: unknown } }).params ?? {}).name;
      if (name === allowedTool) continue;
    }
    throw new SapperError(
      "SAPPER_AUDIT_UNSAFE_REQUEST",
      `the auditor refused to send "${method}": only initialize, */list, ping and the tool named with --call are ever sent`,
      { method },
    );
  }
}
