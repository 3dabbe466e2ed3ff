// Upstream for an MCP server reached over HTTP, whatever the HTTP transport: one upstream MCP session per
// downstream session (opened on its first request, ended by closeSession), so everything the server
// sends on a session belongs to exactly one client; an expired session is re-initialized transparently.
import type { InitializeResult, Transport } from "@modelcontextprotocol/client";
import type { HttpUpstreamSpec } from "../config/schema.js";
import { SapperError } from "../errors.js";
import { AdmissionQueue } from "./admission-queue.js";
import { DeadlineSweep } from "../deadline-sweep.js";
import { JsonRpcConnection } from "./json-rpc-connection.js";
import { secretValues } from "./secret-mask.js";
import { transportFailure } from "./transport-failure.js";
import { failureHttpStatus, reasonOf, upstreamFailure } from "./upstream-failure.js";
import { CATALOG_SESSION_ID, UpstreamError, type Params, type Result, type Upstream, type UpstreamCallContext, type UpstreamDeps } from "./upstream.js";

/** The session the gateway uses for its own calls (catalog lists); it is opened by start(). */

/** Methods without side effects, which may be repeated on a fresh session after the old one expired. */
const REPEATABLE_METHODS = new Set(["resources/read", "prompts/get", "completion/complete", "ping"]);

function isRepeatable(method: string): boolean {
  return method.endsWith("/list") || REPEATABLE_METHODS.has(method);
}

/** The upstream side of one downstream session. */
interface UpstreamSession<T extends Transport> {
  id: string;
  /** Set while the upstream session is initialized and usable. */
  connection: JsonRpcConnection | undefined;
  transport: T | undefined;
  opening: boolean;
  closed: boolean;
  queue: AdmissionQueue<JsonRpcConnection>;
}

export abstract class HttpSessionUpstream<T extends Transport> implements Upstream {
  initializeResult: InitializeResult | undefined;
  private state: "new" | "running" | "closed" = "new";
  private reachable = false;
  private wasReady = false;
  private readonly sessions = new Map<string, UpstreamSession<T>>();
  private readonly deadlines = new DeadlineSweep();
  /** Configured header values (credentials), masked in logs and error messages. */
  private readonly secrets: string[];

  constructor(
    readonly name: string,
    protected readonly spec: HttpUpstreamSpec,
    private readonly deps: UpstreamDeps,
  ) {
    this.secrets = secretValues(Object.values(spec.headers));
  }

  /** A new, unstarted transport for one upstream session, sending `spec.headers` on every request. */
  protected abstract createTransport(): T;
  /** Tells the upstream a session is over (before the transport is closed). */
  protected abstract endSession(transport: T): Promise<void>;
  /** Whether a transport error means the session's connection is gone (e.g. a dropped SSE stream). */
  protected abstract isConnectionLost(error: Error): boolean;

  get ready(): boolean {
    return this.state === "running" && this.reachable;
  }

  async start(): Promise<void> {
    if (this.state !== "new") throw new Error(`upstream "${this.name}" was already started`);
    this.state = "running";
    const session = this.session(CATALOG_SESSION_ID);
    try {
      await this.open(session);
    } catch (err) {
      await this.close();
      throw new SapperError("SAPPER_UPSTREAM_START_FAILED", `upstream "${this.name}" at ${this.spec.url} could not be initialized: ${reasonOf(err)}`, {
        upstream: this.name,
      });
    }
  }

  request(method: string, params: Params, ctx: UpstreamCallContext): Promise<Result> {
    if (this.state !== "running") {
      return Promise.reject(upstreamFailure("unavailable", this.name, `upstream "${this.name}" is ${this.state === "new" ? "not started" : "closed"}`));
    }
    const timeoutMs = ctx.timeoutMs ?? this.spec.timeoutMs;
    return this.run(this.session(ctx.sessionId), method, params, ctx, { timeoutMs, startedAt: Date.now() }, true);
  }

  async notify(method: string, params: Params, sessionId: string): Promise<void> {
    // A session that never sent a request has no upstream session, so there is nobody to tell.
    await this.sessions.get(sessionId)?.connection?.notify(method, params);
  }

  async closeSession(sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    this.sessions.delete(sessionId);
    session.closed = true;
    session.queue.failAll(upstreamFailure("unavailable", this.name, `the session was closed before upstream "${this.name}" was asked`));
    const { connection, transport } = session;
    session.connection = undefined;
    session.transport = undefined;
    if (!connection || !transport) return;
    try {
      await this.endSession(transport);
    } catch (err) {
      this.deps.logger.warn({ upstream: this.name, sessionId, reason: reasonOf(err) }, "ending the upstream session failed");
    }
    await connection.close((method) =>
      upstreamFailure("unavailable", this.name, `the session was closed while ${method} was in flight to upstream "${this.name}"`),
    );
  }

  async close(): Promise<void> {
    if (this.state === "closed") return;
    this.state = "closed";
    await Promise.all([...this.sessions.keys()].map((id) => this.closeSession(id)));
    this.setReachable(false);
  }

  private session(id: string): UpstreamSession<T> {
    let session = this.sessions.get(id);
    if (session) return session;
    const { name, spec } = this;
    const created: UpstreamSession<T> = {
      id,
      connection: undefined,
      transport: undefined,
      opening: false,
      closed: false,
      queue: new AdmissionQueue<JsonRpcConnection>({
        maxQueue: spec.maxQueue,
        deadlines: this.deadlines,
        pick: () => {
          const connection = created.connection;
          return connection?.isOpen && connection.inFlight < spec.maxInFlight ? connection : undefined;
        },
        overloaded: () =>
          upstreamFailure("overloaded", name, `upstream "${name}" is overloaded: ${spec.maxQueue} requests of this session are already waiting (maxQueue); retry later`),
        expired: (waitedMs) =>
          created.connection
            ? upstreamFailure("timeout", name, `upstream "${name}" had no free slot for ${waitedMs} ms (maxInFlight ${spec.maxInFlight} per session)`)
            : upstreamFailure("unavailable", name, `no session with upstream "${name}" could be opened within ${waitedMs} ms`),
        cancelled: () => upstreamFailure("cancelled", name, `the client cancelled the request while it waited for upstream "${name}"`),
      }),
    };
    session = created;
    this.sessions.set(id, session);
    return session;
  }

  /** Runs a call on the session's connection; a repeatable one is run once more if the session expired. */
  private run(
    session: UpstreamSession<T>,
    method: string,
    params: Params,
    ctx: UpstreamCallContext,
    time: { timeoutMs: number; startedAt: number },
    mayRepeat: boolean,
  ): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const dispatch = (connection: JsonRpcConnection): void => {
        connection.request(method, params, ctx, time.timeoutMs, Date.now() - time.startedAt).then(
          (result) => {
            this.setReachable(true);
            resolve(result);
          },
          (err: UpstreamError) => {
            if (err.kind === "unavailable") this.setReachable(false);
            if (failureHttpStatus(err) !== 404) return reject(err);
            this.expire(session, connection);
            if (mayRepeat && isRepeatable(method)) {
              this.deps.logger.info({ upstream: this.name, sessionId: session.id, method }, "repeating a read on a fresh upstream session");
              this.run(session, method, params, ctx, time, false).then(resolve, reject);
              return;
            }
            reject(
              upstreamFailure(
                "transport",
                this.name,
                `upstream "${this.name}" forgot its session (HTTP 404) while ${method} was in flight; it was not repeated because it may have had effects (the next request opens a new session)`,
                { httpStatus: 404, code: "SAPPER_UPSTREAM_SESSION_EXPIRED" },
              ),
            );
          },
        );
      };
      session.queue.admit({ dispatch, fail: reject }, ctx.signal, Math.max(1, time.timeoutMs - (Date.now() - time.startedAt)));
      this.ensureOpen(session);
    });
  }

  private ensureOpen(session: UpstreamSession<T>): void {
    if (session.connection || session.opening || session.closed || session.queue.length === 0) return;
    this.open(session).catch((err: UpstreamError) => session.queue.failAll(err));
  }

  /**
   * Opens (initializes) the upstream session; requests waiting for it are dispatched when it is ready.
   * Rejects with an UpstreamError naming the upstream and the HTTP status or network error.
   */
  private async open(session: UpstreamSession<T>): Promise<void> {
    session.opening = true;
    const transport = this.createTransport();
    const connection: JsonRpcConnection = new JsonRpcConnection({
      upstream: this.name,
      transport,
      sessionId: session.id,
      logger: this.deps.logger,
      metrics: this.deps.metrics,
      events: this.deps.events,
      deadlines: this.deadlines,
      secrets: this.secrets,
      describeClose: () => "closed the connection",
      onSlotFree: () => session.queue.pump(),
      onLost: () => this.discard(session, connection, "the upstream closed the connection"),
      onTransportError: (error) => {
        if (!this.isConnectionLost(error) || session.connection !== connection) return;
        this.discard(session, connection, "the upstream's event stream was lost");
        void connection.close((method) =>
          upstreamFailure("crashed", this.name, `upstream "${this.name}" dropped its event stream while the request was in flight (${method})`),
        );
      },
    });
    let result: InitializeResult;
    try {
      result = await connection.open(this.spec.startTimeoutMs);
    } catch (err) {
      const failure = err instanceof UpstreamError ? err : transportFailure(this.name, "initialize", err, this.secrets);
      if (failure.kind === "unavailable") this.setReachable(false);
      throw failure;
    } finally {
      session.opening = false;
    }
    if (session.closed) {
      await this.endSession(transport).catch(() => undefined);
      await connection.close();
      return;
    }
    session.connection = connection;
    session.transport = transport;
    if (session.id === CATALOG_SESSION_ID || !this.initializeResult) this.initializeResult = result;
    this.setReachable(true);
    session.queue.pump();
  }

  /** The upstream forgot the session: drop it, so the next request initializes a new one. */
  private expire(session: UpstreamSession<T>, connection: JsonRpcConnection): void {
    if (session.connection !== connection) return;
    this.discard(session, connection, "the upstream forgot the session (HTTP 404)");
    void connection.close((method) =>
      upstreamFailure("transport", this.name, `upstream "${this.name}" forgot its session (HTTP 404) while ${method} was in flight`, {
        httpStatus: 404,
      }),
    );
  }

  private discard(session: UpstreamSession<T>, connection: JsonRpcConnection, why: string): void {
    if (session.connection !== connection) return;
    session.connection = undefined;
    session.transport = undefined;
    this.deps.logger.warn({ upstream: this.name, sessionId: session.id }, `${why}; the next request opens a new upstream session`);
  }

  private setReachable(reachable: boolean): void {
    if (reachable === this.reachable) return;
    this.reachable = reachable;
    const ready = this.ready;
    this.deps.metrics.upstreamUp.set({ upstream: this.name }, ready ? 1 : 0);
    if (ready === this.wasReady) return;
    this.wasReady = ready;
    this.deps.events.stateChanged?.(ready);
  }
}
