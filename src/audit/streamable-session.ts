// A minimal 2025-era Streamable HTTP client for the auditor: every exchange goes through HttpProbe so
// it is bounded, gated and recorded, and headers can be varied per check (tokens, Origin, Host).
import { LATEST_PROTOCOL_VERSION, type InitializeResult } from "@modelcontextprotocol/client";
import type { HttpProbe, ProbeResponse } from "./http-probe.js";
import { findRpcAnswer, initializeParams, isAnswerEvent, parseInitializeResult, type McpSession, type RpcOutcome } from "./mcp-session.js";

export interface StreamableOptions {
  /** Bearer token for the Authorization header; none = unauthenticated. */
  token?: string | undefined;
  /** Extra headers for every request of this session (Origin, Host...). */
  headers?: Record<string, string>;
  /** Reuse an existing session id instead of initializing. */
  sessionId?: string | undefined;
  protocolVersion?: string | undefined;
  /** Whether this session's exchanges are recorded as evidence (default true). */
  record?: boolean;
}

export class StreamableSession implements McpSession {
  readonly transport = "streamable-http" as const;
  sessionId: string | undefined;
  protocolVersion: string | undefined;
  initializeResult: InitializeResult | undefined;
  private nextId = 1;

  constructor(
    private readonly probe: HttpProbe,
    readonly url: URL,
    private readonly options: StreamableOptions = {},
  ) {
    this.sessionId = options.sessionId;
    this.protocolVersion = options.protocolVersion;
  }

  headers(): Record<string, string> {
    const h: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...this.options.headers,
    };
    if (this.options.token) h.authorization = `Bearer ${this.options.token}`;
    if (this.sessionId) h["mcp-session-id"] = this.sessionId;
    if (this.protocolVersion) h["mcp-protocol-version"] = this.protocolVersion;
    return h;
  }

  async initialize(protocolVersion: string = LATEST_PROTOCOL_VERSION): Promise<RpcOutcome> {
    const outcome = await this.rpc("initialize", initializeParams(protocolVersion));
    const init = parseInitializeResult(outcome.result);
    if (init) {
      this.initializeResult = init;
      this.protocolVersion = init.protocolVersion;
      this.sessionId = outcome.response.headers["mcp-session-id"];
      this.probe.redactor.addSessionId(this.sessionId);
      await this.post({ jsonrpc: "2.0", method: "notifications/initialized" });
    }
    return outcome;
  }

  request(method: string, params?: Record<string, unknown>, options: { record?: boolean } = {}): Promise<RpcOutcome> {
    return this.rpc(method, params, options.record);
  }

  async rpc(method: string, params?: Record<string, unknown>, record?: boolean): Promise<RpcOutcome> {
    const id = this.nextId++;
    const message: Record<string, unknown> = { jsonrpc: "2.0", id, method };
    if (params !== undefined) message.params = params;
    const response = await this.post(message, id, record);
    const answer = findRpcAnswer(id, response.body, response.events, response.headers["content-type"] ?? "");
    return { response, ...answer };
  }

  /** Posts a body as-is (robustness probes use this with malformed bodies). */
  postRaw(body: string, options: { timeoutMs?: number; headers?: Record<string, string> } = {}): Promise<ProbeResponse> {
    const req = { method: "POST" as const, url: this.url, headers: { ...this.headers(), ...options.headers }, body, record: this.options.record ?? true };
    return this.probe.send(options.timeoutMs === undefined ? req : { ...req, timeoutMs: options.timeoutMs });
  }

  private post(message: Record<string, unknown>, id?: number, record?: boolean): Promise<ProbeResponse> {
    const req = {
      method: "POST" as const,
      url: this.url,
      headers: this.headers(),
      body: JSON.stringify(message),
      record: record ?? this.options.record ?? true,
    };
    return this.probe.send(id === undefined ? req : { ...req, until: isAnswerEvent(id) });
  }

  /** Ends the session on the server (DELETE), so audits leave nothing behind. */
  async close(via: HttpProbe = this.probe): Promise<void> {
    if (!this.sessionId) return;
    await via.send({ method: "DELETE", url: this.url, headers: this.headers(), record: false, timeoutMs: 5_000 });
    this.sessionId = undefined;
  }
}
