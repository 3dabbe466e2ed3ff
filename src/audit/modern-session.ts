// A minimal client for the stateless 2026-07-28 revision: no initialize and no session id; every
// request carries the protocol version, client info and capabilities in `_meta` and the matching
// MCP-Protocol-Version / Mcp-Method / Mcp-Name headers. `initialize()` here is `server/discover`.
import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  PROTOCOL_VERSION_META_KEY,
  SERVER_INFO_META_KEY,
  type InitializeResult,
} from "@modelcontextprotocol/client";
import type { HttpProbe } from "./http-probe.js";
import { AUDIT_CLIENT_INFO, findRpcAnswer, isAnswerEvent, type McpSession, type RpcOutcome } from "./mcp-session.js";

export const MODERN_PROTOCOL_VERSION = "2026-07-28";

export interface DiscoverResult {
  supportedVersions: string[];
  capabilities: Record<string, unknown>;
  serverInfo?: { name: string; version: string };
  instructions?: string;
}

export function parseDiscoverResult(result: unknown): DiscoverResult | undefined {
  if (typeof result !== "object" || result === null) return undefined;
  const r = result as Record<string, unknown>;
  if (!Array.isArray(r.supportedVersions) || !r.supportedVersions.every((v) => typeof v === "string")) return undefined;
  const out: DiscoverResult = {
    supportedVersions: r.supportedVersions as string[],
    capabilities: typeof r.capabilities === "object" && r.capabilities !== null ? (r.capabilities as Record<string, unknown>) : {},
  };
  // 2026 results carry serverInfo in _meta; accept a top-level one too.
  const meta = typeof r._meta === "object" && r._meta !== null ? (r._meta as Record<string, unknown>) : {};
  const info = (meta[SERVER_INFO_META_KEY] ?? r.serverInfo) as { name?: unknown; version?: unknown } | undefined;
  if (info && typeof info.name === "string") out.serverInfo = { name: info.name, version: typeof info.version === "string" ? info.version : "" };
  if (typeof r.instructions === "string") out.instructions = r.instructions;
  return out;
}

export class ModernSession implements McpSession {
  readonly transport = "streamable-http" as const;
  readonly sessionId = undefined;
  protocolVersion: string | undefined;
  initializeResult: InitializeResult | undefined;
  discover: DiscoverResult | undefined;
  private nextId = 1;

  constructor(
    private readonly probe: HttpProbe,
    readonly url: URL,
    private readonly options: { token?: string | undefined; headers?: Record<string, string>; record?: boolean } = {},
  ) {}

  async initialize(): Promise<RpcOutcome> {
    const outcome = await this.request("server/discover");
    const discover = parseDiscoverResult(outcome.result);
    if (discover?.supportedVersions.includes(MODERN_PROTOCOL_VERSION)) {
      this.discover = discover;
      this.protocolVersion = MODERN_PROTOCOL_VERSION;
      this.initializeResult = {
        protocolVersion: MODERN_PROTOCOL_VERSION,
        capabilities: discover.capabilities,
        serverInfo: discover.serverInfo ?? { name: "unknown", version: "" },
      } as InitializeResult;
    }
    return outcome;
  }

  async request(method: string, params: Record<string, unknown> = {}, options: { record?: boolean } = {}): Promise<RpcOutcome> {
    const id = this.nextId++;
    const meta = {
      ...((params._meta as Record<string, unknown> | undefined) ?? {}),
      [PROTOCOL_VERSION_META_KEY]: MODERN_PROTOCOL_VERSION,
      [CLIENT_INFO_META_KEY]: AUDIT_CLIENT_INFO,
      [CLIENT_CAPABILITIES_META_KEY]: {},
    };
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": MODERN_PROTOCOL_VERSION,
      "mcp-method": method,
      ...this.options.headers,
    };
    if (method === "tools/call" && typeof params.name === "string") headers["mcp-name"] = params.name;
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const response = await this.probe.send({
      method: "POST",
      url: this.url,
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id, method, params: { ...params, _meta: meta } }),
      until: isAnswerEvent(id),
      record: options.record ?? this.options.record ?? true,
    });
    return { response, ...findRpcAnswer(id, response.body, response.events, response.headers["content-type"] ?? "") };
  }

  async close(): Promise<void> {}
}
