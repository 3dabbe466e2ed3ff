// A minimal client for the deprecated HTTP+SSE transport (protocol 2024-11-05): GET opens the event
// stream, whose first `endpoint` event names the URL to POST messages to; answers come back on the stream.
import { LATEST_PROTOCOL_VERSION, type InitializeResult } from "@modelcontextprotocol/client";
import type { HttpProbe, OpenStream, ProbeResponse } from "./http-probe.js";
import { asRpcAnswer, initializeParams, parseInitializeResult, type McpSession, type RpcError, type RpcOutcome } from "./mcp-session.js";
import type { SseEvent } from "./sse-parser.js";

type Answer = { result?: unknown; error?: RpcError };

export class LegacySseSession implements McpSession {
  readonly transport = "legacy-sse" as const;
  sessionId: string | undefined;
  protocolVersion: string | undefined;
  initializeResult: InitializeResult | undefined;
  endpoint: URL | undefined;
  private stream: OpenStream | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (a: Answer) => void>();
  private endpointWaiter: ((url: URL) => void) | undefined;

  constructor(
    private readonly probe: HttpProbe,
    readonly url: URL,
    private readonly options: { token?: string | undefined; headers?: Record<string, string>; record?: boolean } = {},
  ) {}

  private headers(extra: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = { ...extra, ...this.options.headers };
    if (this.options.token) h.authorization = `Bearer ${this.options.token}`;
    return h;
  }

  /** Opens the stream and waits for the `endpoint` event. The response tells whether the stream was accepted. */
  async connect(): Promise<ProbeResponse> {
    let resolveEndpoint: (url: URL) => void = () => {};
    const endpointPromise = new Promise<URL>((resolve) => (resolveEndpoint = resolve));
    this.endpointWaiter = resolveEndpoint;
    this.stream = await this.probe.openStream(
      { method: "GET", url: this.url, headers: this.headers({ accept: "text/event-stream" }), record: this.options.record ?? true },
      (ev) => this.onEvent(ev),
    );
    const { response } = this.stream;
    if (response.status === undefined || response.status >= 300 || !(response.headers["content-type"] ?? "").includes("text/event-stream")) {
      return response;
    }
    const endpoint = await withTimeout(endpointPromise, this.probe.requestTimeoutMs);
    if (!endpoint) return { ...response, error: "the event stream sent no `endpoint` event in time" };
    this.endpoint = endpoint;
    this.sessionId = endpoint.searchParams.get("sessionId") ?? endpoint.searchParams.get("session_id") ?? undefined;
    this.probe.redactor.addSessionId(this.sessionId);
    return response;
  }

  private onEvent(ev: SseEvent): void {
    if (ev.event === "endpoint" && this.endpointWaiter) {
      try {
        this.endpointWaiter(new URL(ev.data.trim(), this.url));
      } catch {
        return;
      }
      this.endpointWaiter = undefined;
      return;
    }
    if (ev.event !== "message") return;
    let message: unknown;
    try {
      message = JSON.parse(ev.data);
    } catch {
      return;
    }
    const id = (message as { id?: unknown }).id;
    if (typeof id !== "number") return;
    const waiter = this.pending.get(id);
    const answer = asRpcAnswer(message, id);
    if (waiter && answer) {
      this.pending.delete(id);
      waiter(answer);
    }
  }

  async initialize(protocolVersion: string = LATEST_PROTOCOL_VERSION): Promise<RpcOutcome> {
    if (!this.endpoint) {
      const response = await this.connect();
      if (!this.endpoint) return { response };
    }
    const outcome = await this.request("initialize", initializeParams(protocolVersion));
    const init = parseInitializeResult(outcome.result);
    if (init) {
      this.initializeResult = init;
      this.protocolVersion = init.protocolVersion;
      await this.post({ jsonrpc: "2.0", method: "notifications/initialized" }, false);
    }
    return outcome;
  }

  async request(method: string, params?: Record<string, unknown>, options: { record?: boolean } = {}): Promise<RpcOutcome> {
    if (!this.endpoint) return { response: { headers: {}, body: "", events: [], error: "not connected", ms: 0 } };
    const id = this.nextId++;
    const message: Record<string, unknown> = { jsonrpc: "2.0", id, method };
    if (params !== undefined) message.params = params;
    const answerPromise = new Promise<Answer>((resolve) => this.pending.set(id, resolve));
    const response = await this.post(message, options.record ?? this.options.record ?? true);
    if (response.status === undefined || response.status >= 300) {
      this.pending.delete(id);
      return { response };
    }
    const answer = await withTimeout(answerPromise, this.probe.requestTimeoutMs);
    this.pending.delete(id);
    if (!answer) return { response: { ...response, error: "no answer on the event stream in time" } };
    return { response, ...answer };
  }

  private post(message: Record<string, unknown>, record: boolean): Promise<ProbeResponse> {
    return this.probe.send({
      method: "POST",
      url: this.endpoint!,
      headers: this.headers({ "content-type": "application/json" }),
      body: JSON.stringify(message),
      record,
    });
  }

  async close(): Promise<void> {
    this.stream?.close();
    this.stream = undefined;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    void promise.then((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}
