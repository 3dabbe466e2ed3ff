// The auditor's only way onto the network: raw HTTP on node:http/https (so Host and Origin can be
// forged for the DNS-rebinding checks), every request bounded in time, size and number, every body
// passed through the safe-method gate, and every exchange recorded for evidence after redaction.
import http from "node:http";
import https from "node:https";
import type { ExchangeEvidence } from "./check.js";
import type { Redactor } from "./redactor.js";
import { assertSafeBody } from "./safe-methods.js";
import { SseParser, type SseEvent } from "./sse-parser.js";

export type HttpMethod = "GET" | "POST" | "DELETE" | "OPTIONS";

export interface ProbeRequest {
  method: HttpMethod;
  url: URL;
  headers?: Record<string, string>;
  body?: string;
  /** For text/event-stream answers: stop reading once this returns true for an event. */
  until?: (event: SseEvent) => boolean;
  timeoutMs?: number;
  /** false for bulk requests (burst, concurrency) that are summarised instead of recorded one by one. */
  record?: boolean;
}

export interface ProbeResponse {
  /** Absent when no HTTP answer arrived; `error` says why. */
  status?: number;
  headers: Record<string, string>;
  body: string;
  events: SseEvent[];
  error?: string;
  ms: number;
}

export interface OpenStream {
  response: ProbeResponse;
  close(): void;
}

/** Shared by every probe of one audit: the request ceiling and the connection pool. */
export class RequestBudget {
  private used = 0;
  readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256 });

  constructor(readonly limit: number) {}

  take(): void {
    if (this.used >= this.limit) throw new Error(`request budget of ${this.limit} requests for this audit is spent`);
    this.used++;
  }

  get count(): number {
    return this.used;
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

export interface HttpProbeOptions {
  redactor: Redactor;
  budget: RequestBudget;
  signal: AbortSignal;
  requestTimeoutMs: number;
  /** Headers added to every request (user's --header values). */
  baseHeaders: Record<string, string>;
  /** The tool named with --call, the only tools/call the gate lets through. */
  allowedTool: string | undefined;
  maxResponseBytes?: number;
  maxRecorded?: number;
}

const KEPT_RESPONSE_HEADERS = /^(content-type|content-length|www-authenticate|access-control-.*|mcp-session-id|mcp-protocol-version|retry-after|x?-?ratelimit-.*|location|allow|vary|connection)$/i;
const BODY_EXCERPT = 1_500;
const STREAMED_BODY_BYTES = 256 * 1024;
const STREAMED_CHUNK_BYTES = 64 * 1024;

export class HttpProbe {
  readonly exchanges: ExchangeEvidence[] = [];
  private readonly maxResponseBytes: number;
  private readonly maxRecorded: number;

  constructor(private readonly options: HttpProbeOptions) {
    this.maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
    this.maxRecorded = options.maxRecorded ?? 8;
  }

  get redactor(): Redactor {
    return this.options.redactor;
  }

  get signal(): AbortSignal {
    return this.options.signal;
  }

  get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs;
  }

  get allowedTool(): string | undefined {
    return this.options.allowedTool;
  }

  /** A probe for another check: same budget, redaction and settings; its own signal and evidence. */
  fork(signal: AbortSignal): HttpProbe {
    return new HttpProbe({ ...this.options, signal });
  }

  async send(request: ProbeRequest): Promise<ProbeResponse> {
    const started = Date.now();
    const response = await new Promise<ProbeResponse>((resolve) => {
      this.dispatch(request, started, resolve, undefined);
    });
    if (request.record !== false) this.keep(request, response);
    return response;
  }

  /**
   * Opens a long-lived event stream (legacy SSE). Resolves when the headers arrive; later events go
   * to `onEvent` until `close()` or the signal aborts. The stream is not subject to the request timeout
   * once open, only to the check's signal.
   */
  openStream(request: ProbeRequest, onEvent: (event: SseEvent) => void): Promise<OpenStream> {
    const started = Date.now();
    return new Promise<OpenStream>((resolve) => {
      let close = (): void => {};
      this.dispatch(
        request,
        started,
        (response) => {
          if (request.record !== false) this.keep(request, response);
          resolve({ response, close });
        },
        {
          onEvent,
          setClose: (fn) => {
            close = fn;
          },
        },
      );
    });
  }

  private dispatch(
    request: ProbeRequest,
    started: number,
    done: (r: ProbeResponse) => void,
    stream: { onEvent: (e: SseEvent) => void; setClose: (fn: () => void) => void } | undefined,
  ): void {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    let req: http.ClientRequest | undefined;
    let uploaded = request.body === undefined;
    const finish = (r: Omit<ProbeResponse, "ms">): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (onAbort) this.options.signal.removeEventListener("abort", onAbort);
      // A connection whose request was cut short must not carry another one.
      if (!uploaded) req?.destroy();
      done({ ...r, ms: Date.now() - started });
    };
    const fail = (error: string, partial?: Partial<ProbeResponse>): void =>
      finish({ headers: {}, body: "", events: [], ...partial, error });

    if (this.options.signal.aborted) return fail("aborted: the check ran out of time");
    try {
      this.options.budget.take();
      if (request.body !== undefined) assertSafeBody(request.body, this.options.allowedTool);
    } catch (err) {
      return fail((err as Error).message);
    }

    const url = request.url;
    const secure = url.protocol === "https:";
    const headers: Record<string, string> = { "user-agent": "sapper-audit", ...this.options.baseHeaders, ...request.headers };
    if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
    const reqOptions: https.RequestOptions = {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers,
      agent: secure ? this.options.budget.httpsAgent : this.options.budget.httpAgent,
    };
    if (secure) reqOptions.servername = url.hostname;
    req = (secure ? https : http).request(reqOptions);

    const timeoutMs = request.timeoutMs ?? this.options.requestTimeoutMs;
    timer = setTimeout(() => {
      req.destroy(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    onAbort = (): void => {
      req.destroy(new Error("aborted: the check ran out of time"));
    };
    this.options.signal.addEventListener("abort", onAbort, { once: true });

    let gotResponse = false;
    req.on("error", (err) => {
      if (!gotResponse) fail(describeNetworkError(err));
    });
    req.on("response", (res) => {
      gotResponse = true;
      const status = res.statusCode ?? 0;
      const resHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) resHeaders[k] = Array.isArray(v) ? v.join(", ") : v;
      const isStream = (resHeaders["content-type"] ?? "").includes("text/event-stream");
      const parser = new SseParser();
      const events: SseEvent[] = [];
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("error", () => {});
      req.on("error", (err) => {
        finish({ status, headers: resHeaders, body: Buffer.concat(chunks).toString("utf8"), events, error: describeNetworkError(err) });
      });

      if (stream && isStream && status >= 200 && status < 300) {
        clearTimeout(timer);
        stream.setClose(() => res.destroy());
        finish({ status, headers: resHeaders, body: "", events: [] });
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          for (const ev of parser.feed(chunk)) stream.onEvent(ev);
        });
        const closeOnAbort = (): void => {
          res.destroy();
        };
        this.options.signal.addEventListener("abort", closeOnAbort, { once: true });
        res.on("close", () => this.options.signal.removeEventListener("abort", closeOnAbort));
        return;
      }

      res.on("data", (chunk: Buffer) => {
        if (size < this.maxResponseBytes) chunks.push(chunk);
        size += chunk.length;
        if (isStream) {
          for (const ev of parser.feed(chunk.toString("utf8"))) {
            events.push(ev);
            if (request.until?.(ev)) {
              finish({ status, headers: resHeaders, body: Buffer.concat(chunks).toString("utf8"), events });
              res.destroy();
              return;
            }
          }
        }
        if (size >= this.maxResponseBytes) {
          finish({ status, headers: resHeaders, body: Buffer.concat(chunks).toString("utf8"), events });
          res.destroy();
        }
      });
      res.on("end", () => finish({ status, headers: resHeaders, body: Buffer.concat(chunks).toString("utf8"), events }));
      res.on("close", () => {
        if (!settled) {
          const error = isStream ? undefined : "the connection closed before the answer was complete";
          const r: Omit<ProbeResponse, "ms"> = { status, headers: resHeaders, body: Buffer.concat(chunks).toString("utf8"), events };
          if (error) r.error = error;
          finish(r);
        }
      });
    });
    if (request.body === undefined || request.body.length <= STREAMED_BODY_BYTES) {
      req.end(request.body);
      uploaded = true;
      return;
    }
    // A large body goes out in chunks, so a server that answers early (413) is heard before the
    // upload ends; the rest is then not sent.
    const body = Buffer.from(request.body);
    const out = req;
    let offset = 0;
    const pump = (): void => {
      while (offset < body.length) {
        if (gotResponse || out.destroyed) return;
        const chunk = body.subarray(offset, offset + STREAMED_CHUNK_BYTES);
        offset += chunk.length;
        if (!out.write(chunk)) {
          out.once("drain", pump);
          return;
        }
      }
      out.end();
      uploaded = true;
    };
    pump();
  }

  /** Adds an exchange to the evidence (used directly for the one telling sample of a bulk run). */
  keep(request: ProbeRequest, response: ProbeResponse): void {
    if (this.exchanges.length >= this.maxRecorded) return;
    const r = this.options.redactor;
    r.addSessionId(response.headers["mcp-session-id"]);
    r.addSessionId(request.headers?.["mcp-session-id"]);
    const headers: Record<string, string | undefined> = { ...this.options.baseHeaders, ...request.headers };
    const entry: ExchangeEvidence = {
      request: { method: request.method, url: r.url(request.url), headers: r.headers(headers) },
      ms: response.ms,
    };
    if (request.body !== undefined) entry.request.body = excerptBody(r.text(request.body.length > BODY_EXCERPT * 4 ? request.body.slice(0, BODY_EXCERPT * 4) : request.body), request.body.length);
    if (response.status !== undefined) {
      const kept: Record<string, string> = {};
      for (const [k, v] of Object.entries(response.headers)) if (KEPT_RESPONSE_HEADERS.test(k)) kept[k] = v;
      entry.response = { status: response.status, headers: r.headers(kept) };
      if (response.body) entry.response.body = excerptBody(r.text(response.body), response.body.length);
    }
    if (response.error) entry.error = r.text(response.error);
    this.exchanges.push(entry);
  }
}

function excerptBody(text: string, originalLength: number): string {
  if (originalLength <= BODY_EXCERPT && text.length <= BODY_EXCERPT) return text;
  return `${text.slice(0, BODY_EXCERPT)}… (${originalLength} bytes in all)`;
}

function describeNetworkError(err: Error & { code?: string }): string {
  if (err.code === "ECONNREFUSED") return "connection refused";
  if (err.code === "ENOTFOUND" || err.code === "EAI_AGAIN") return `host name not resolved (${err.code})`;
  if (err.code === "ECONNRESET") return "connection reset by the server";
  if (err.code === "EPIPE") return "the server closed the connection while the request was being sent";
  if (err.code?.startsWith("ERR_TLS") || err.code?.includes("CERT")) return `TLS error: ${err.message}`;
  return err.message;
}
