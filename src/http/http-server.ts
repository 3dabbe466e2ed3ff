// The HTTP surface: the MCP endpoint behind its guards (Host/Origin, CORS, body limit, no tokens
// in query strings), plus /healthz, /readyz and /metrics.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { ServerResponse } from "node:http";
import type { ServerConfig } from "../config/schema.js";
import { HttpProtocolError, RpcCodes } from "../mcp/rpc-error.js";
import type { CallerIdentity } from "../mcp/session-lifecycle.js";
import type { LegacySseHandler } from "../mcp/legacy-sse-handler.js";
import type { StreamableHttpHandler } from "../mcp/streamable-http-handler.js";
import type { Logger } from "../telemetry/logger.js";
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

const ANONYMOUS: CallerIdentity = { key: "anonymous", tenant: "default" };
const TOKEN_QUERY_PARAMS = ["access_token", "token", "api_key", "apikey", "key", "auth"];
const CORS_ALLOW_HEADERS = "content-type, accept, authorization, mcp-session-id, mcp-protocol-version, last-event-id";

export function createHttpServer(o: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: o.server.maxBodyBytes,
    // Sessions and SSE streams are long-lived; Node's own per-request limits must not cut them.
    requestTimeout: 0,
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });

  // The MCP endpoint parses its own body (UTF-8, depth, JSON-RPC shape), so it receives raw bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  const legacy = o.legacy;
  const mcpPaths = new Set([o.server.path, ...(legacy ? [o.server.legacySse.path, o.server.legacySse.messagesPath] : [])]);

  // A callback hook (not async): it runs on every request, and this path is hot.
  app.addHook("onRequest", (req, reply, done) => {
    const q = req.url.indexOf("?");
    if (!mcpPaths.has(q === -1 ? req.url : req.url.slice(0, q))) return done();
    const refused = refusal(req, o.policy);
    if (refused) {
      o.logger.warn({ method: req.method, reason: refused.message }, "request refused before dispatch");
      o.metrics.protocolErrors.inc({ reason: String(refused.status) });
      void reply.code(refused.status).header("content-type", "application/json").send(JSON.stringify(refused.toResponse(null)));
      return;
    }
    const origin = req.headers.origin;
    if (origin) {
      // On the raw response: the MCP handlers write to it directly (hijacked replies skip Fastify's headers).
      reply.raw.setHeader("access-control-allow-origin", origin);
      reply.raw.setHeader("vary", "Origin");
      reply.raw.setHeader("access-control-expose-headers", "mcp-session-id, mcp-protocol-version");
    }
    done();
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? 413 : (err.statusCode ?? 500);
    const message =
      status === 413 ? `Payload Too Large: the body exceeds ${o.server.maxBodyBytes} bytes` : status >= 500 ? "Internal error" : `Bad Request: ${err.message}`;
    if (status >= 500) o.logger.error({ err, method: req.method, url: req.url.split("?", 1)[0] }, "HTTP request failed");
    else o.logger.info({ status, method: req.method, reason: message }, "request refused");
    o.metrics.protocolErrors.inc({ reason: String(status) });
    void reply
      .code(status)
      .header("content-type", "application/json")
      .send(JSON.stringify(new HttpProtocolError(status, RpcCodes.badRequest, message).toResponse(null)));
  });

  const mcp = async (req: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    countStatus(reply.raw, req.method, o.metrics);
    await o.handler.handle(req.raw, reply.raw, req.body as Buffer | undefined, ANONYMOUS);
  };
  app.route({ method: ["GET", "POST", "DELETE", "PUT", "PATCH"], url: o.server.path, handler: mcp });
  app.options(o.server.path, async (req, reply) => {
    const origin = req.headers.origin;
    if (!origin) return reply.code(204).header("allow", "GET, POST, DELETE, OPTIONS").send();
    return reply
      .code(204)
      .header("access-control-allow-methods", "GET, POST, DELETE, OPTIONS")
      .header("access-control-allow-headers", CORS_ALLOW_HEADERS)
      .header("access-control-max-age", "600")
      .send();
  });

  if (legacy) {
    app.get(o.server.legacySse.path, async (req, reply) => {
      reply.hijack();
      countStatus(reply.raw, req.method, o.metrics);
      await legacy.open(reply.raw, ANONYMOUS);
    });
    app.post(o.server.legacySse.messagesPath, async (req, reply) => {
      reply.hijack();
      countStatus(reply.raw, req.method, o.metrics);
      const connectionId = new URLSearchParams(req.url.slice(req.url.indexOf("?") + 1)).get("sessionId");
      try {
        await legacy.post(req.raw, reply.raw, (req.body as Buffer | undefined) ?? Buffer.alloc(0), ANONYMOUS, connectionId);
      } catch (err) {
        o.handler.fail(reply.raw, err, req.raw);
      }
    });
  }

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

/** Refusals that need nothing but the request line and headers. */
function refusal(req: FastifyRequest, policy: HostOriginPolicy): HttpProtocolError | undefined {
  const query = req.url.includes("?") ? new URLSearchParams(req.url.slice(req.url.indexOf("?") + 1)) : undefined;
  if (query && TOKEN_QUERY_PARAMS.some((p) => query.has(p))) {
    return new HttpProtocolError(400, RpcCodes.badRequest, "Bad Request: credentials must be sent in the Authorization header, never in the query string");
  }
  const why = policy.check(req.headers);
  if (why) return new HttpProtocolError(403, RpcCodes.badRequest, `Forbidden: ${why}`);
  return undefined;
}

function countStatus(res: ServerResponse, method: string, metrics: Metrics): void {
  res.once("finish", () => metrics.httpRequests.inc({ method, status: String(res.statusCode) }));
}
