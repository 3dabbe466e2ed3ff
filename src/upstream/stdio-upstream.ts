// Upstream for a stdio MCP server shared by all sessions: a warm pool of child processes, each request
// sent to the least busy one, and a supervisor that restarts a crashed process with exponential back-off.
import type { InitializeResult } from "@modelcontextprotocol/client";
import type { StdioUpstreamSpec } from "../config/schema.js";
import { SapperError } from "../errors.js";
import { AdmissionQueue, type AdmissionJob } from "./admission-queue.js";
import { ChildProcessTransport, describeExit } from "./child-process-transport.js";
import { DeadlineSweep } from "../deadline-sweep.js";
import { JsonRpcConnection } from "./json-rpc-connection.js";
import { maskSecrets, secretValues } from "./secret-mask.js";
import { reasonOf, upstreamFailure } from "./upstream-failure.js";
import { UpstreamError, type Params, type Result, type Upstream, type UpstreamCallContext, type UpstreamDeps } from "./upstream.js";

/** Variables a child gets from the gateway's environment unless `inheritEnv` is set. */
const SAFE_ENV_KEYS = ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR"];
const STDERR_TAIL_LINES = 20;
const STDERR_LINE_CHARS = 500;
const SEVERE_STDERR = /\b(error|fatal|panic|exception|traceback|uncaught)\b/i;

/** One slot of the pool: the process in it (if any) and its restart back-off. */
interface PoolSlot {
  index: number;
  /** Set only while the process is initialized and serving. */
  connection: JsonRpcConnection | undefined;
  /** The process being started or serving. */
  transport: ChildProcessTransport | undefined;
  upSince: number;
  nextDelayMs: number;
  restartTimer: NodeJS.Timeout | undefined;
}

/** A request waiting for a free process: when one is found, the call settles the caller's own promise. */
class QueuedCall implements AdmissionJob<JsonRpcConnection> {
  constructor(
    private readonly method: string,
    private readonly params: Params,
    private readonly ctx: UpstreamCallContext,
    private readonly timeoutMs: number,
    private readonly resolve: (result: Result) => void,
    readonly fail: (err: Error) => void,
  ) {}

  dispatch(connection: JsonRpcConnection, waitedMs: number): void {
    connection.start(this.method, this.params, this.ctx, this.timeoutMs, waitedMs, this.resolve, this.fail);
  }
}

export class StdioUpstream implements Upstream {
  initializeResult: InitializeResult | undefined;
  private state: "new" | "starting" | "running" | "closed" = "new";
  private wasReady = false;
  private readonly slots: PoolSlot[];
  private readonly queue: AdmissionQueue<JsonRpcConnection>;
  private readonly deadlines = new DeadlineSweep();
  private readonly env: Record<string, string>;
  /** Configured env values, masked wherever the server's output is logged. */
  private readonly secrets: string[];

  constructor(
    readonly name: string,
    private readonly spec: StdioUpstreamSpec,
    private readonly deps: UpstreamDeps,
  ) {
    this.env = childEnvironment(spec);
    this.secrets = secretValues(Object.values(spec.env));
    this.slots = Array.from({ length: spec.poolSize }, (_, index) => ({
      index,
      connection: undefined,
      transport: undefined,
      upSince: 0,
      nextDelayMs: spec.restart.initialDelayMs,
      restartTimer: undefined,
    }));
    this.queue = new AdmissionQueue<JsonRpcConnection>({
      maxQueue: spec.maxQueue,
      deadlines: this.deadlines,
      pick: () => this.leastBusy(),
      overloaded: () =>
        upstreamFailure(
          "overloaded",
          name,
          `upstream "${name}" is overloaded: ${spec.maxQueue} requests are already waiting (maxQueue); retry later`,
        ),
      expired: (waitedMs) =>
        this.ready
          ? upstreamFailure("timeout", name, `upstream "${name}" had no free slot for ${waitedMs} ms (maxInFlight ${spec.maxInFlight} per process)`)
          : upstreamFailure("unavailable", name, `upstream "${name}" is not available (no process is up; restarting); waited ${waitedMs} ms`),
      cancelled: () => upstreamFailure("cancelled", name, `the client cancelled the request while it waited for upstream "${name}"`),
    });
  }

  get ready(): boolean {
    return this.slots.some((slot) => slot.connection?.isOpen === true);
  }

  async start(): Promise<void> {
    if (this.state !== "new") throw new Error(`upstream "${this.name}" was already started`);
    this.state = "starting";
    const outcomes = await Promise.allSettled(this.slots.map((slot) => this.launch(slot)));
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    if (failure) {
      await this.close();
      const reason = failure.reason instanceof Error ? failure.reason.message : String(failure.reason);
      throw new SapperError("SAPPER_UPSTREAM_START_FAILED", `upstream "${this.name}" ${reason}`, { upstream: this.name });
    }
    this.state = "running";
  }

  request(method: string, params: Params, ctx: UpstreamCallContext): Promise<Result> {
    if (this.state === "new" || this.state === "closed") {
      return Promise.reject(upstreamFailure("unavailable", this.name, `upstream "${this.name}" is ${this.state === "new" ? "not started" : "closed"}`));
    }
    const timeoutMs = ctx.timeoutMs ?? this.spec.timeoutMs;
    // Without a queue the call goes straight to a process, with no promise around the connection's own.
    const free = this.queue.free();
    if (free !== undefined) return free.request(method, params, ctx, timeoutMs);
    return new Promise<Result>((resolve, reject) => {
      this.queue.admit(new QueuedCall(method, params, ctx, timeoutMs, resolve, reject), ctx.signal, timeoutMs);
    });
  }

  /** The processes are shared by every session, so a session's notification goes to all of them. */
  async notify(method: string, params: Params): Promise<void> {
    const open = this.slots.flatMap((slot) => (slot.connection?.isOpen ? [slot.connection] : []));
    await Promise.all(open.map((connection) => connection.notify(method, params)));
  }

  /** Shared processes keep no per-session state. */
  async closeSession(): Promise<void> {}

  async close(): Promise<void> {
    if (this.state === "closed") return;
    this.state = "closed";
    const shutDown = (what: string) =>
      upstreamFailure("unavailable", this.name, `upstream "${this.name}" was shut down while ${what}`);
    this.queue.failAll(shutDown("the request waited for a process"));
    await Promise.all(
      this.slots.map(async (slot) => {
        clearTimeout(slot.restartTimer);
        slot.restartTimer = undefined;
        const { connection, transport } = slot;
        slot.connection = undefined;
        slot.transport = undefined;
        if (connection) await connection.close((method) => shutDown(`${method} was in flight`));
        else await transport?.close();
      }),
    );
    this.readyChanged();
  }

  /** Spawns and initializes the process of one slot; rejects with a sentence saying why it failed. */
  private async launch(slot: PoolSlot): Promise<void> {
    const { logger } = this.deps;
    const transport = new ChildProcessTransport({
      command: this.spec.command,
      args: this.spec.args,
      env: this.env,
      cwd: this.spec.cwd,
    });
    const stderrTail: string[] = [];
    transport.onstderr = (line) => this.logStderr(line, transport.pid, stderrTail);
    const connection: JsonRpcConnection = new JsonRpcConnection({
      upstream: this.name,
      transport,
      sessionId: undefined,
      logger,
      metrics: this.deps.metrics,
      events: this.deps.events,
      deadlines: this.deadlines,
      secrets: this.secrets,
      describeClose: () => describeExit(transport.exit),
      sendFailure: (_err, method) =>
        upstreamFailure("crashed", this.name, `upstream "${this.name}" ${describeExit(transport.exit)} before ${method} could be sent`),
      onSlotFree: () => this.queue.pump(),
      onLost: () => this.processLost(slot, connection, transport, stderrTail),
    });
    slot.transport = transport;
    let result: InitializeResult;
    try {
      result = await connection.open(this.spec.startTimeoutMs);
    } catch (err) {
      if (slot.transport === transport) slot.transport = undefined;
      throw new Error(this.startFailure(err, transport, stderrTail));
    }
    if (this.state === "closed") {
      await connection.close();
      throw new Error("was closed while it was starting");
    }
    slot.connection = connection;
    slot.upSince = Date.now();
    this.initializeResult = result;
    logger.info({ upstream: this.name, childPid: transport.pid, slot: slot.index, server: result.serverInfo }, "upstream process ready");
    this.readyChanged();
    this.queue.pump();
  }

  private startFailure(err: unknown, transport: ChildProcessTransport, stderrTail: string[]): string {
    const exit = transport.exit;
    let reason: string;
    if (exit?.spawnError) {
      const hint = (exit.spawnError as NodeJS.ErrnoException).code === "ENOENT" ? " (is it installed and on PATH?)" : "";
      reason = `could not be started: spawning "${this.spec.command}" failed: ${exit.spawnError.message}${hint}`;
    } else if (err instanceof UpstreamError && err.kind === "timeout") {
      reason = `did not initialize within ${this.spec.startTimeoutMs} ms (startTimeoutMs)`;
    } else if (exit) {
      reason = `${describeExit(exit)} before it finished initializing`;
    } else {
      reason = `failed to initialize: ${reasonOf(err)}`;
    }
    return stderrTail.length > 0 ? `${reason}; last stderr lines:\n  ${stderrTail.join("\n  ")}` : reason;
  }

  private processLost(slot: PoolSlot, connection: JsonRpcConnection, transport: ChildProcessTransport, stderrTail: string[]): void {
    // A process that dies while starting is reported by launch(); only a serving one is restarted here.
    if (slot.connection !== connection) return;
    slot.connection = undefined;
    slot.transport = undefined;
    if (this.state === "closed") return;
    this.deps.logger.warn(
      { upstream: this.name, childPid: transport.pid, slot: slot.index, exit: describeExit(transport.exit), stderr: stderrTail.slice(-5) },
      "upstream process exited; restarting it",
    );
    this.readyChanged();
    this.scheduleRestart(slot, Date.now() - slot.upSince);
  }

  private scheduleRestart(slot: PoolSlot, uptimeMs: number): void {
    const { initialDelayMs, maxDelayMs, resetAfterMs } = this.spec.restart;
    if (uptimeMs >= resetAfterMs) slot.nextDelayMs = initialDelayMs;
    const delayMs = slot.nextDelayMs;
    slot.nextDelayMs = Math.min(delayMs * 2, maxDelayMs);
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      if (this.state === "closed") return;
      this.deps.metrics.upstreamRestarts.inc({ upstream: this.name });
      this.launch(slot).catch((err: unknown) => {
        if (this.state === "closed") return;
        const reason = err instanceof Error ? err.message : String(err);
        this.deps.logger.warn({ upstream: this.name, slot: slot.index, nextDelayMs: slot.nextDelayMs }, `upstream restart failed: it ${reason}`);
        this.scheduleRestart(slot, 0);
      });
    }, delayMs);
    // The supervisor must not keep an otherwise finished gateway process alive.
    slot.restartTimer.unref();
  }

  private leastBusy(): JsonRpcConnection | undefined {
    let best: JsonRpcConnection | undefined;
    for (const { connection } of this.slots) {
      if (!connection?.isOpen || connection.inFlight >= this.spec.maxInFlight) continue;
      if (!best || connection.inFlight < best.inFlight) best = connection;
    }
    return best;
  }

  private readyChanged(): void {
    const ready = this.ready;
    this.deps.metrics.upstreamUp.set({ upstream: this.name }, ready ? 1 : 0);
    if (ready === this.wasReady) return;
    this.wasReady = ready;
    this.deps.events.stateChanged?.(ready);
  }

  private logStderr(raw: string, pid: number | undefined, tail: string[]): void {
    // Mask before truncating, so a secret cut in half cannot slip through.
    let line = maskSecrets(raw, this.secrets);
    if (line.length > STDERR_LINE_CHARS) line = `${line.slice(0, STDERR_LINE_CHARS)}…`;
    tail.push(line);
    if (tail.length > STDERR_TAIL_LINES) tail.shift();
    const fields = { upstream: this.name, childPid: pid, stream: "stderr" };
    if (SEVERE_STDERR.test(line)) this.deps.logger.warn(fields, line);
    else this.deps.logger.info(fields, line);
  }
}

/** A minimal environment (no secrets of the gateway, no NODE_OPTIONS) plus the upstream's own `env`. */
function childEnvironment(spec: StdioUpstreamSpec): Record<string, string> {
  const env: Record<string, string> = {};
  if (spec.inheritEnv) {
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  } else {
    for (const key of SAFE_ENV_KEYS) {
      const value = process.env[key];
      // Skip exported shell functions ("() { ...}"), which a child shell would evaluate.
      if (value !== undefined && !value.startsWith("()")) env[key] = value;
    }
  }
  return { ...env, ...spec.env };
}
