// The HTTP surface: the MCP endpoint behind its guards (Host/Origin, CORS, body limit, no tokens
// in query strings), plus /healthz, /readyz and /metrics.
import Fastify, { type FastifyInstance } from "fastify";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { ServerConfig } from "../config/schema.js";
import { HttpProtocolError, RpcCodes } from "../mcp/rpc-error.js";
import type { CallerIdentity } from "../mcp/session-lifecycle.js";
import type { LegacySseHandler } from "../mcp/legacy-sse-handler.js";
import type { StreamableHttpHandler } from "../mcp/streamable-http-handler.js";
import type { Logger } from "../telemetry/logger.js";
import type { CounterChild } from "../telemetry/hot-metrics.js";
import type { Metrics } from "../telemetry/metrics.js";
import type { HostOriginPolicy } from "./host-origin-check.js";

export interface Readiness {
  ready(): boolean;
  details(): Record<string, unknown>;
}

export interface HttpServerOptions {
  server: ServerConfig;
  handler: StreamableHttpHandler;
  /** The deprecated HTTP+SSE transport, when enabled. */
  legacy: LegacySseHandler | undefined;
  policy: HostOriginPolicy;
  readiness: Readiness;
  metrics: Metrics;
  logger: Logger;
}

/** Serves one MCP path; errors it throws or rejects with are answered as protocol errors. */
type McpRoute = (req: IncomingMessage, res: ServerResponse, body: Buffer | undefined) => Promise<void>;

const ANONYMOUS: CallerIdentity = { key: "anonymous", tenant: "default" };
const TOKEN_QUERY_PARAMS = ["access_token", "token", "api_key", "apikey", "key", "auth"];
const CORS_ALLOW_HEADERS = "content-type, accept, authorization, mcp-session-id, mcp-protocol-version, last-event-id";

export function createHttpServer(o: HttpServerOptions): FastifyInstance {
  const legacy = o.legacy;
  const { path: mcpPath, legacySse } = o.server;
  // The MCP paths are served straight from Node's HTTP server: they parse their own bodies and
  // write their own responses (SSE), and Fastify's per-request work would double the hot path's cost.
  // Everything else (health, readiness, metrics, CORS preflight, 404) is Fastify's.
  const mcpRoutes = new Map<string, McpRoute>([
    [mcpPath, (req, res, body) => o.handler.handle(req, res, body, ANONYMOUS)],
  ]);
  if (legacy) {
    mcpRoutes.set(legacySse.path, async (req, res) => {
      if (req.method !== "GET") throw new HttpProtocolError(405, RpcCodes.badRequest, "Method Not Allowed: open the legacy stream with GET", { allow: "GET" });
      await legacy.open(res, ANONYMOUS);
    });
    mcpRoutes.set(legacySse.messagesPath, async (req, res, body) => {
      if (req.method !== "POST") throw new HttpProtocolError(405, RpcCodes.badRequest, "Method Not Allowed: POST messages here", { allow: "POST" });
      const url = req.url ?? "";
      const connectionId = new URLSearchParams(url.slice(url.indexOf("?") + 1)).get("sessionId");
      await legacy.post(req, res, body ?? Buffer.alloc(0), ANONYMOUS, connectionId);
    });
  }

  // Counted when a response finishes, through counter children cached by method and status: one
  // listener function for every response, and no label hashing per request.
  const counted = new Map<string, Map<number, CounterChild>>();
  function countResponse(this: ServerResponse): void {
    const method = this.req.method ?? "-";
    let byStatus = counted.get(method);
    if (!byStatus) counted.set(method, (byStatus = new Map()));
    let child = byStatus.get(this.statusCode);
    if (!child) byStatus.set(this.statusCode, (child = o.metrics.httpRequests.labels(method, String(this.statusCode))));
    child.inc();
  }

  const failed = (req: IncomingMessage, res: ServerResponse, err: unknown) => {
    if (err instanceof HttpProtocolError && err.status === 413) res.setHeader("connection", "close");
    o.handler.fail(res, err, req);
  };
  const run = (route: McpRoute, req: IncomingMessage, res: ServerResponse, body: Buffer | undefined) => {
    route(req, res, body).catch((err: unknown) => failed(req, res, err));
  };
  // Callbacks rather than async functions: this runs for every MCP request.
  const serveMcp = (route: McpRoute, req: IncomingMessage, res: ServerResponse) => {
    res.on("finish", countResponse);
    const refused = refusal(req, o.policy);
    if (refused) {
      o.logger.warn({ method: req.method, reason: refused.message }, "request refused before dispatch");
      return failed(req, res, refused);
    }
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader("access-control-allow-origin", origin);
      res.setHeader("vary", "Origin");
      res.setHeader("access-control-expose-headers", "mcp-session-id, mcp-protocol-version");
    }
    if (req.method !== "POST") return run(route, req, res, undefined);
    readBody(req, o.server.maxBodyBytes, (err, body) => (err ? failed(req, res, err) : run(route, req, res, body)));
  };

  const app = Fastify({
    logger: false,
    // Sessions and SSE streams are long-lived; Node's own per-request limits must not cut them.
    requestTimeout: 0,
    return503OnClosing: true,
    forceCloseConnections: "idle",
    serverFactory: (fastifyHandler) =>
      createServer({ requestTimeout: 0 }, (req, res) => {
        const url = req.url ?? "/";
        const q = url.indexOf("?");
        const route = req.method === "OPTIONS" ? undefined : mcpRoutes.get(q === -1 ? url : url.slice(0, q));
        if (route) serveMcp(route, req, res);
        else fastifyHandler(req, res);
      }),
  });

  app.addHook("onRequest", (req, reply, done) => {
    const q = req.url.indexOf("?");
    if ((q === -1 ? req.url : req.url.slice(0, q)) !== mcpPath) return done();
    // CORS preflight for the MCP endpoint: the same Host/Origin policy as the endpoint itself.
    const refused = refusal(req.raw, o.policy);
    if (refused) {
      o.metrics.protocolErrors.inc({ reason: String(refused.status) });
      void reply.code(refused.status).header("content-type", "application/json").send(JSON.stringify(refused.toResponse(null)));
      return;
    }
    done();
  });

  app.options(mcpPath, async (req, reply) => {
    const origin = req.headers.origin;
    if (!origin) return reply.code(204).header("allow", "GET, POST, DELETE, OPTIONS").send();
    return reply
      .code(204)
      .header("access-control-allow-origin", origin)
      .header("vary", "Origin")
      .header("access-control-allow-methods", "GET, POST, DELETE, OPTIONS")
      .header("access-control-allow-headers", CORS_ALLOW_HEADERS)
      .header("access-control-max-age", "600")
      .send();
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    const ready = o.readiness.ready();
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not ready", ...o.readiness.details() });
  });
  app.get("/metrics", async (_req, reply) => {
    return reply.header("content-type", o.metrics.registry.contentType).send(await o.metrics.registry.metrics());
  });

  return app;
}

/** Reads a request body up to `limit` bytes; a larger one is refused with 413 without reading it all. */
function readBody(req: IncomingMessage, limit: number, done: (err: Error | undefined, body?: Buffer) => void): void {
  const tooLarge = () => new HttpProtocolError(413, RpcCodes.badRequest, `Payload Too Large: the body exceeds ${limit} bytes`);
  if (Number(req.headers["content-length"]) > limit) return done(tooLarge());
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      req.removeAllListeners("data");
      req.removeAllListeners("end");
      req.pause();
      done(tooLarge());
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => {
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    // These listeners stay on the request until it is answered: they must not keep the body alive.
    chunks.length = 0;
    done(undefined, body);
  });
  req.on("error", done);
}

/** Refusals that need nothing but the request line and headers. */
function refusal(req: IncomingMessage, policy: HostOriginPolicy): HttpProtocolError | undefined {
  const url = req.url ?? "";
  const query = url.includes("?") ? new URLSearchParams(url.slice(url.indexOf("?") + 1)) : undefined;
  if (query && TOKEN_QUERY_PARAMS.some((p) => query.has(p))) {
    return new HttpProtocolError(400, RpcCodes.badRequest, "Bad Request: credentials must be sent in the Authorization header, never in the query string");
  }
  const why = policy.check(req.headers);
  if (why) return new HttpProtocolError(403, RpcCodes.badRequest, `Forbidden: ${why}`);
  return undefined;
}
