// Server assembly: the one place where config, upstreams, catalog, guard, sessions, protocol
// handler and HTTP server are wired together. The parts know nothing of each other.
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import type { SapperConfig } from "../config/schema.js";
import { Catalog } from "../gateway/catalog.js";
import { Gateway } from "../gateway/gateway.js";
import { createGuard, resolveLockFilePath } from "../guard/guard.js";
import { allowAllGuard, type ToolGuard } from "../guard/tool-guard.js";
import { LegacySseHandler } from "../mcp/legacy-sse-handler.js";
import { RequestRunner } from "../mcp/request-runner.js";
import { SessionLifecycle } from "../mcp/session-lifecycle.js";
import { BusMessenger } from "../mcp/session-messenger.js";
import { StreamableHttpHandler } from "../mcp/streamable-http-handler.js";
import { MemoryBus } from "../session/bus.js";
import { MemoryEventLog } from "../session/memory-event-log.js";
import { MemorySessionStore } from "../session/memory-session-store.js";
import type { Logger } from "../telemetry/logger.js";
import { createMetrics, type Metrics } from "../telemetry/metrics.js";
import { createUpstream } from "../upstream/create-upstream.js";
import type { Upstream } from "../upstream/upstream.js";
import { defaultBindHost } from "./default-host.js";
import { createHostOriginPolicy } from "./host-origin-check.js";
import { createHttpServer } from "./http-server.js";

export interface RunningGateway {
  /** The MCP endpoint URL. */
  url: string;
  host: string;
  port: number;
  metrics: Metrics;
  /** Graceful stop: refuse new work, finish in-flight requests within the grace period, close everything. */
  close(): Promise<void>;
}

export interface AssembleOptions {
  logger: Logger;
  version: string;
  /** The config file, for paths relative to it (lock file, rule file); none for the command-line form. */
  configPath?: string | undefined;
  /** Replaces the supply-chain guard built from the config (tests). */
  guard?: ToolGuard;
  metrics?: Metrics;
}

export async function startGateway(config: SapperConfig, options: AssembleOptions): Promise<RunningGateway> {
  const { logger } = options;
  const metrics = options.metrics ?? createMetrics();
  const server = config.server;
  const upstreams = new Map<string, Upstream>();
  let gateway: Gateway | undefined;
  const catalogEntries = Object.entries(config.upstreams).map(([name, spec]) => {
    const upstream = createUpstream(name, spec, {
      logger,
      metrics,
      events: {
        listChanged: (kind) => void gateway?.onListChanged(name, kind),
        resourceUpdated: (uri) => gateway?.onResourceUpdated(uri),
        notification: (n, sessionId) => gateway?.onUpstreamNotification(name, n, sessionId),
        request: (r, sessionId) => gateway!.onUpstreamRequest(r, sessionId),
        stateChanged: (ready) => {
          // A restarted server may come back with other definitions: reload them before use.
          if (ready && started) void gateway?.onUpstreamRestarted(name);
        },
      },
    });
    upstreams.set(name, upstream);
    return { name, upstream, prefix: spec.prefix === undefined ? name : spec.prefix, tools: spec.tools };
  });
  const catalog = new Catalog(catalogEntries, config.namespacing.separator, options.guard ?? buildGuard(config, options, metrics), logger);
  let started = false;

  const closeUpstreams = () => Promise.allSettled([...upstreams.values()].map((u) => u.close()));
  try {
    await Promise.all([...upstreams.values()].map((u) => u.start()));
    await Promise.all([...upstreams.keys()].map((name) => catalog.load(name)));
  } catch (err) {
    await closeUpstreams();
    throw err;
  }
  started = true;

  const sessions = new MemorySessionStore(server.sessionTtlMs);
  const bus = new MemoryBus();
  gateway = new Gateway({
    upstreams,
    catalog,
    sessions,
    logger,
    metrics,
    pageSize: server.pageSize,
    serverInfo: { name: "sapper", version: options.version },
  });
  const events = new MemoryEventLog();
  const runner = new RequestRunner(gateway, logger, metrics, server.requestTimeoutMs);
  const lifecycle = new SessionLifecycle({ app: gateway, sessions, events, runner, logger, metrics, maxSessions: server.maxSessions });
  const handler = new StreamableHttpHandler({
    lifecycle,
    runner,
    events,
    bus,
    logger,
    metrics,
    maxJsonDepth: server.maxJsonDepth,
    keepAliveMs: server.keepAliveMs,
  });
  gateway.connect(new BusMessenger(bus, runner, lifecycle, server.requestTimeoutMs));
  const legacy = server.legacySse.enabled
    ? new LegacySseHandler({ lifecycle, runner, bus, logger, messagesPath: server.legacySse.messagesPath, maxJsonDepth: server.maxJsonDepth, keepAliveMs: server.keepAliveMs })
    : undefined;

  const host = server.host ?? defaultBindHost();
  const http = createHttpServer({
    server,
    handler,
    legacy,
    policy: createHostOriginPolicy({ bindHost: host, allowedHosts: server.allowedHosts, allowedOrigins: server.allowedOrigins, publicUrl: server.publicUrl }),
    readiness: {
      ready: () => [...upstreams.values()].every((u) => u.ready),
      details: () => ({ upstreams: Object.fromEntries([...upstreams].map(([n, u]) => [n, u.ready ? "ready" : "down"])) }),
    },
    metrics,
    logger,
  });
  try {
    await http.listen({ host, port: server.port });
  } catch (err) {
    await closeUpstreams();
    throw err;
  }
  const address = http.server.address() as AddressInfo;
  const shownHost = ["0.0.0.0", "::"].includes(host) ? "127.0.0.1" : address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}${server.path}`,
    host,
    port: address.port,
    metrics,
    close: () =>
      (closing ??= (async () => {
        logger.info({ graceMs: server.shutdownGraceMs }, "shutting down: refusing new requests, finishing in-flight ones");
        const stopped = http.close();
        await handler.drain(server.shutdownGraceMs);
        legacy?.closeAll();
        runner.close();
        // Keep-alive connections that went idle after the last response would hold close() open.
        http.server.closeAllConnections();
        await stopped;
        await closeUpstreams();
        await sessions.close();
        await bus.close();
        logger.info("shutdown complete");
      })()),
  };
}

/** The supply-chain guard of the config: pins read once (replicas decide alike); registry checks in the background. */
function buildGuard(config: SapperConfig, options: AssembleOptions, metrics: Metrics): ToolGuard {
  if (!config.guard.enabled) return allowAllGuard;
  const guard = createGuard(config, {
    logger: options.logger,
    metrics,
    lockFilePath: resolveLockFilePath(config, options.configPath),
    configDir: options.configPath ? dirname(resolve(options.configPath)) : process.cwd(),
  });
  void guard.checkRegistry().catch((err: unknown) => options.logger.warn({ err }, "guard: registry provenance checks failed"));
  return guard;
}
