// JSON-RPC dispatch for downstream sessions: lists come from the catalog, everything else is routed
// to the upstream that owns the name or URI, with progress, logging and server→client requests
// relayed to the session that caused them.
import type {
  InitializeRequestParams,
  InitializeResult,
  JSONRPCNotification,
  JSONRPCRequest,
  LoggingLevel,
  ServerCapabilities,
} from "@modelcontextprotocol/server";
import type { CancelSignal } from "../cancellation.js";
import type { McpApplication, RequestContext, Result, SessionMessenger } from "../mcp/mcp-application.js";
import { RpcCodes, RpcError } from "../mcp/rpc-error.js";
import type { SessionRecord, SessionStore } from "../session/session-store.js";
import type { Logger } from "../telemetry/logger.js";
import type { Metrics } from "../telemetry/metrics.js";
import { CATALOG_SESSION_ID, UpstreamError, type Upstream, type UpstreamCallContext } from "../upstream/upstream.js";
import type { BlockedDefinition, Catalog, ListKind } from "./catalog.js";
import { paginate } from "./paginate.js";

const LOG_LEVELS: LoggingLevel[] = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

/** Which client capability a server→client request needs. */
const CLIENT_CAPABILITY_FOR: Record<string, "sampling" | "elicitation" | "roots"> = {
  "sampling/createMessage": "sampling",
  "elicitation/create": "elicitation",
  "roots/list": "roots",
};

export interface GatewayOptions {
  upstreams: Map<string, Upstream>;
  catalog: Catalog;
  sessions: SessionStore;
  logger: Logger;
  metrics: Metrics;
  pageSize: number;
  serverInfo: { name: string; version: string };
}

export class Gateway implements McpApplication {
  private messenger: SessionMessenger | undefined;
  /** Resource URI -> sessions on this replica subscribed to it. */
  private readonly subscribers = new Map<string, Set<string>>();

  constructor(private readonly o: GatewayOptions) {}

  /** The protocol layer that reaches sessions outside a request; set once at assembly. */
  connect(messenger: SessionMessenger): void {
    this.messenger = messenger;
  }

  // ---- events from upstreams ---------------------------------------------------------------

  onListChanged(upstream: string, kind: ListKind): Promise<void> {
    return this.reload(upstream, [kind]);
  }

  /** A restarted upstream may come back with other definitions (a rug pull too): reload all of them. */
  onUpstreamRestarted(upstream: string): Promise<void> {
    return this.reload(upstream, ["tools", "prompts", "resources"]);
  }

  private async reload(upstream: string, kinds: ListKind[]): Promise<void> {
    try {
      await this.o.catalog.load(upstream, kinds);
    } catch (err) {
      this.o.logger.error({ err, upstream, kinds }, "reloading the catalog failed; the previous definitions stay in use");
      return;
    }
    for (const kind of kinds) this.messenger?.broadcast({ jsonrpc: "2.0", method: `notifications/${kind}/list_changed` });
  }

  onResourceUpdated(uri: string): void {
    for (const sessionId of this.subscribers.get(uri) ?? []) {
      this.messenger?.sendToSession(sessionId, { jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri } });
    }
  }

  /** A notification an upstream sent outside any request. Delivered only when its session is known. */
  onUpstreamNotification(upstream: string, notification: JSONRPCNotification, sessionId: string | undefined): void {
    if (sessionId && sessionId !== CATALOG_SESSION_ID) {
      this.messenger?.sendToSession(sessionId, notification);
      return;
    }
    this.o.metrics.notificationsDropped.inc({ upstream, method: notification.method });
    this.o.logger.debug({ upstream, method: notification.method }, "upstream notification belongs to no single session; not delivered");
  }

  /** A server→client request an upstream made outside any call, on a connection of one session. */
  async onUpstreamRequest(request: JSONRPCRequest, sessionId: string): Promise<Result> {
    const session = await this.o.sessions.get(sessionId);
    if (!session) throw new RpcError(RpcCodes.sessionNotFound, "The session this request belongs to has ended");
    checkClientCapability(session, request.method);
    return this.messenger!.request(sessionId, request.method, request.params as Record<string, unknown> | undefined);
  }

  // ---- McpApplication ------------------------------------------------------------------------

  initialize(_params: InitializeRequestParams): Omit<InitializeResult, "protocolVersion"> {
    const capabilities: ServerCapabilities = { logging: {} };
    for (const u of this.o.upstreams.values()) {
      const caps = u.initializeResult?.capabilities;
      if (!caps) continue;
      if (caps.tools) capabilities.tools = { listChanged: true };
      if (caps.prompts) capabilities.prompts = { listChanged: true };
      if (caps.resources) {
        capabilities.resources = { listChanged: true, subscribe: Boolean(capabilities.resources?.subscribe || caps.resources.subscribe) };
      }
      if (caps.completions) capabilities.completions = {};
    }
    const instructions = this.o.catalog.instructions();
    const text = instructions.length === 1 ? instructions[0]!.text : instructions.map((i) => `## ${i.upstream}\n${i.text}`).join("\n\n");
    return { capabilities, serverInfo: this.o.serverInfo, ...(text ? { instructions: text } : {}) };
  }

  handleRequest(request: JSONRPCRequest, ctx: RequestContext): Promise<Result> {
    // Not an async function: a forwarded call returns the upstream's own promise chain.
    try {
      const result = this.route(request, ctx);
      return result instanceof Promise ? result : Promise.resolve(result);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private route(request: JSONRPCRequest, ctx: RequestContext): Promise<Result> | Result {
    const params = (request.params ?? {}) as Record<string, unknown>;
    const catalog = this.o.catalog;
    switch (request.method) {
      case "ping":
        return {};
      case "tools/list":
        return paginate(catalog.tools, "tools", params.cursor, this.o.pageSize);
      case "prompts/list":
        return paginate(catalog.prompts, "prompts", params.cursor, this.o.pageSize);
      case "resources/list":
        return paginate(catalog.resources, "resources", params.cursor, this.o.pageSize);
      case "resources/templates/list":
        return paginate(catalog.resourceTemplates, "resourceTemplates", params.cursor, this.o.pageSize);
      case "tools/call": {
        const name = requireString(params, "name");
        this.refuseBlocked("tool", name, catalog.blocked("tool", name), ctx);
        const route = catalog.resolveTool(name);
        if (!route) throw new RpcError(RpcCodes.invalidParams, `Unknown tool: ${name}`);
        return this.forward(route.upstream, request.method, withName(params, route.local), ctx);
      }
      case "prompts/get": {
        const name = requireString(params, "name");
        this.refuseBlocked("prompt", name, catalog.blocked("prompt", name), ctx);
        const route = catalog.resolvePrompt(name);
        if (!route) throw new RpcError(RpcCodes.invalidParams, `Unknown prompt: ${name}`);
        return this.forward(route.upstream, request.method, withName(params, route.local), ctx);
      }
      case "resources/read":
        return this.forward(this.resourceOwner(requireString(params, "uri"), ctx), request.method, params, ctx);
      case "resources/subscribe":
      case "resources/unsubscribe":
        return this.subscription(request.method, requireString(params, "uri"), params, ctx);
      case "completion/complete":
        return this.complete(params, ctx);
      case "logging/setLevel":
        return this.setLevel(params, ctx);
      default:
        throw new RpcError(RpcCodes.methodNotFound, `Method not found: ${request.method}`);
    }
  }

  async handleNotification(notification: JSONRPCNotification, session: SessionRecord): Promise<void> {
    if (notification.method !== "notifications/roots/list_changed") return;
    await Promise.all(
      [...this.o.upstreams.values()].map((u) =>
        u.notify(notification.method, notification.params as Record<string, unknown> | undefined, session.id).catch((err: unknown) =>
          this.o.logger.warn({ err, upstream: u.name, sessionId: session.id }, "forwarding roots/list_changed failed"),
        ),
      ),
    );
  }

  async sessionClosed(session: SessionRecord): Promise<void> {
    for (const uri of session.subscriptions) this.unsubscribeLocal(uri, session.id);
    for (const [uri, set] of this.subscribers) if (set.delete(session.id) && set.size === 0) this.subscribers.delete(uri);
    await Promise.all([...this.o.upstreams.values()].map((u) => u.closeSession(session.id)));
  }

  // ---- routing -------------------------------------------------------------------------------

  /** Refuses what the supply-chain guard blocked, with its reason (which names the fix), a log line and a metric. */
  private refuseBlocked(kind: "tool" | "prompt" | "resource", name: string, blocked: BlockedDefinition | undefined, ctx: RequestContext): void {
    if (!blocked) return;
    this.o.metrics.guardBlocked.inc({ upstream: blocked.upstream, reason: `${kind}-call` });
    this.o.logger.warn({ sessionId: ctx.session.id, upstream: blocked.upstream, [kind]: name, reason: blocked.reason }, `call to a blocked ${kind} refused`);
    const label = kind === "tool" ? "Tool" : kind === "prompt" ? "Prompt" : "Resource";
    throw new RpcError(RpcCodes.toolBlocked, `${label} "${name}" is blocked by the gateway's supply-chain guard: ${blocked.reason}`);
  }

  private resourceOwner(uri: string, ctx: RequestContext): string {
    this.refuseBlocked("resource", uri, this.o.catalog.blockedResource(uri), ctx);
    const owner = this.o.catalog.resolveResource(uri);
    if (!owner) throw new RpcError(RpcCodes.invalidParams, `Unknown resource: ${uri}`);
    return owner;
  }

  private async subscription(method: string, uri: string, params: Record<string, unknown>, ctx: RequestContext): Promise<Result> {
    const result = await this.forward(this.resourceOwner(uri, ctx), method, params, ctx);
    const subs = new Set(ctx.session.subscriptions);
    if (method === "resources/subscribe") {
      subs.add(uri);
      let set = this.subscribers.get(uri);
      if (!set) this.subscribers.set(uri, (set = new Set()));
      set.add(ctx.session.id);
    } else {
      subs.delete(uri);
      this.unsubscribeLocal(uri, ctx.session.id);
    }
    await this.o.sessions.update(ctx.session.id, { subscriptions: [...subs] });
    return result;
  }

  private unsubscribeLocal(uri: string, sessionId: string): void {
    const set = this.subscribers.get(uri);
    if (set?.delete(sessionId) && set.size === 0) this.subscribers.delete(uri);
  }

  private async complete(params: Record<string, unknown>, ctx: RequestContext): Promise<Result> {
    const ref = params.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
    if (ref?.type === "ref/prompt" && typeof ref.name === "string") {
      const route = this.o.catalog.resolvePrompt(ref.name);
      if (!route) throw new RpcError(RpcCodes.invalidParams, `Unknown prompt: ${ref.name}`);
      return this.forward(route.upstream, "completion/complete", { ...params, ref: { ...ref, name: route.local } }, ctx);
    }
    if (ref?.type === "ref/resource" && typeof ref.uri === "string") {
      const owner = this.o.catalog.resolveTemplate(ref.uri) ?? this.o.catalog.resolveResource(ref.uri);
      if (!owner) throw new RpcError(RpcCodes.invalidParams, `Unknown resource template: ${ref.uri}`);
      return this.forward(owner, "completion/complete", params, ctx);
    }
    throw new RpcError(RpcCodes.invalidParams, 'completion/complete needs ref {type: "ref/prompt", name} or {type: "ref/resource", uri}');
  }

  private async setLevel(params: Record<string, unknown>, ctx: RequestContext): Promise<Result> {
    const level = params.level;
    if (typeof level !== "string" || !LOG_LEVELS.includes(level as LoggingLevel)) {
      throw new RpcError(RpcCodes.invalidParams, `Invalid log level: ${JSON.stringify(level)} (one of ${LOG_LEVELS.join(", ")})`);
    }
    await this.o.sessions.update(ctx.session.id, { logLevel: level as LoggingLevel });
    // Upstreams with their own per-session state (HTTP) get the level too; their failures do not fail the call.
    await Promise.all(
      [...this.o.upstreams.values()]
        .filter((u) => u.initializeResult?.capabilities?.logging)
        .map((u) =>
          u.request("logging/setLevel", { level }, { sessionId: ctx.session.id, signal: ctx.signal }).catch((err: unknown) =>
            this.o.logger.warn({ err, upstream: u.name }, "forwarding logging/setLevel failed"),
          ),
        ),
    );
    return {};
  }

  /** Sends a request to an upstream for one downstream request; upstream failures become JSON-RPC errors. */
  private forward(upstreamName: string, method: string, params: Record<string, unknown>, ctx: RequestContext): Promise<Result> {
    const upstream = this.o.upstreams.get(upstreamName)!;
    // A promise chain rather than an async function: a suspended async frame per call showed in allocation profiles.
    return upstream.request(method, params, new DownstreamCall(ctx)).catch((err: unknown) => {
      if (!(err instanceof UpstreamError)) throw err;
      if (err.kind !== undefined) {
        this.o.metrics.upstreamErrors.inc({ upstream: upstreamName, kind: err.kind });
        this.o.logger.warn({ sessionId: ctx.session.id, upstream: upstreamName, method, kind: err.kind, err: err.message }, "upstream call failed");
      }
      throw new RpcError(err.rpcCode, err.message, err.data);
    });
  }

}

/** An upstream call on behalf of one downstream request: what the upstream sends about it goes back to that request. */
class DownstreamCall implements UpstreamCallContext {
  readonly sessionId: string;
  readonly signal: CancelSignal;

  constructor(private readonly ctx: RequestContext) {
    this.sessionId = ctx.session.id;
    this.signal = ctx.signal;
  }

  onNotification(n: JSONRPCNotification): void {
    if (n.method === "notifications/message" && !levelEnabled(this.ctx.session.logLevel, (n.params as { level?: LoggingLevel })?.level)) return;
    this.ctx.notify(n);
  }

  onRequest(r: JSONRPCRequest): Promise<Result> {
    checkClientCapability(this.ctx.session, r.method);
    return this.ctx.request(r.method, r.params as Record<string, unknown> | undefined);
  }
}

function checkClientCapability(session: SessionRecord, method: string): void {
  const needed = CLIENT_CAPABILITY_FOR[method];
  if (needed && !session.clientCapabilities[needed]) {
    throw new RpcError(RpcCodes.methodNotFound, `The client did not declare the ${needed} capability`);
  }
}

/** The params with the upstream's own name for the tool or prompt (a copy only when it differs). */
function withName(params: Record<string, unknown>, local: string): Record<string, unknown> {
  return params.name === local ? params : { ...params, name: local };
}

function requireString(params: Record<string, unknown>, key: string): string {
  const v = params[key];
  if (typeof v !== "string" || v === "") throw new RpcError(RpcCodes.invalidParams, `Invalid params: "${key}" must be a non-empty string`);
  return v;
}

function levelEnabled(min: LoggingLevel | undefined, level: LoggingLevel | undefined): boolean {
  if (!min || !level) return true;
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(min);
}
