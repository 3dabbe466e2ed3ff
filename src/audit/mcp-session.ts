// What checks need from an MCP connection, whatever the transport: a handshake, safe requests and a
// clean goodbye. Streamable HTTP and legacy SSE implement it.
import { InitializeResultSchema } from "@modelcontextprotocol/core";
import type { InitializeResult } from "@modelcontextprotocol/client";
import type { HttpProbe, ProbeResponse } from "./http-probe.js";
import type { SseEvent } from "./sse-parser.js";

export type TransportKind = "streamable-http" | "legacy-sse";

export interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

export interface RpcOutcome {
  /** The HTTP exchange that carried the request. */
  response: ProbeResponse;
  /** The JSON-RPC answer with the request's id, when one arrived. */
  result?: unknown;
  error?: RpcError;
}

export interface McpSession {
  readonly transport: TransportKind;
  readonly sessionId: string | undefined;
  readonly protocolVersion: string | undefined;
  readonly initializeResult: InitializeResult | undefined;
  initialize(): Promise<RpcOutcome>;
  request(method: string, params?: Record<string, unknown>, options?: { record?: boolean }): Promise<RpcOutcome>;
  /** Ends the session on the server; `via` sends the goodbye through another probe (the check's may be aborted). */
  close(via?: HttpProbe): Promise<void>;
}

export const AUDIT_CLIENT_INFO = { name: "sapper-audit", version: "1" };

/** The 2025-era handshake the auditor offers; servers may answer with an older revision. */
export function initializeParams(protocolVersion: string): Record<string, unknown> {
  return { protocolVersion, capabilities: {}, clientInfo: AUDIT_CLIENT_INFO };
}

export function parseInitializeResult(result: unknown): InitializeResult | undefined {
  const parsed = InitializeResultSchema.safeParse(result);
  return parsed.success ? (parsed.data as InitializeResult) : undefined;
}

/** Finds the JSON-RPC response with `id` in a JSON body or among event-stream events. */
export function findRpcAnswer(
  id: number | string,
  body: string,
  events: SseEvent[],
  contentType: string,
): { result?: unknown; error?: RpcError } | undefined {
  const candidates: unknown[] = [];
  if (contentType.includes("application/json")) {
    try {
      const parsed: unknown = JSON.parse(body);
      candidates.push(...(Array.isArray(parsed) ? parsed : [parsed]));
    } catch {
      return undefined;
    }
  }
  for (const ev of events) {
    if (ev.event !== "message") continue;
    try {
      candidates.push(JSON.parse(ev.data));
    } catch {
      continue;
    }
  }
  for (const c of candidates) {
    const answer = asRpcAnswer(c, id);
    if (answer) return answer;
  }
  return undefined;
}

export function asRpcAnswer(message: unknown, id: number | string | null): { result?: unknown; error?: RpcError } | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const m = message as { id?: unknown; result?: unknown; error?: unknown; method?: unknown };
  if (m.method !== undefined || m.id !== id) return undefined;
  if ("result" in m) return { result: m.result };
  if (typeof m.error === "object" && m.error !== null) {
    const e = m.error as { code?: unknown; message?: unknown; data?: unknown };
    const error: RpcError = { code: typeof e.code === "number" ? e.code : 0, message: typeof e.message === "string" ? e.message : "" };
    if (e.data !== undefined) error.data = e.data;
    return { error };
  }
  return undefined;
}

/** True when the event carries a JSON-RPC response with this id. */
export function isAnswerEvent(id: number | string): (ev: SseEvent) => boolean {
  return (ev) => {
    if (ev.event !== "message") return false;
    try {
      return asRpcAnswer(JSON.parse(ev.data), id) !== undefined;
    } catch {
      return false;
    }
  };
}
