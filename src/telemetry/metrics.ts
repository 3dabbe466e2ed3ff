// Prometheus metrics for one gateway instance (a registry per instance, no global state).
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { HotCounter, HotHistogram } from "./hot-metrics.js";

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "sapper_" });
  const m = {
    registry,
    // The three metrics every request updates are Sapper's own, cheaper to update (hot-metrics.ts).
    httpRequests: new HotCounter(
      "sapper_http_requests_total",
      "HTTP requests on the MCP endpoint by method and status",
      ["method", "status"] as const,
      registry,
    ),
    rpcRequests: new HotCounter("sapper_rpc_requests_total", "JSON-RPC requests handled, by method and outcome", ["method", "outcome"] as const, registry),
    rpcDuration: new HotHistogram(
      "sapper_rpc_duration_seconds",
      "JSON-RPC request duration",
      ["method"] as const,
      [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registry,
    ),
    protocolErrors: new Counter({
      name: "sapper_protocol_errors_total",
      help: "Requests refused before dispatch (bad JSON, headers, sessions), by reason",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    upstreamErrors: new Counter({
      name: "sapper_upstream_errors_total",
      help: "Upstream failures (transport errors, timeouts, crashes, overload), by upstream and kind",
      labelNames: ["upstream", "kind"] as const,
      registers: [registry],
    }),
    upstreamRestarts: new Counter({
      name: "sapper_upstream_restarts_total",
      help: "Upstream process restarts by the supervisor",
      labelNames: ["upstream"] as const,
      registers: [registry],
    }),
    upstreamUp: new Gauge({
      name: "sapper_upstream_up",
      help: "1 when the upstream is connected and initialized",
      labelNames: ["upstream"] as const,
      registers: [registry],
    }),
    notificationsDropped: new Counter({
      name: "sapper_notifications_unroutable_total",
      help: "Upstream notifications that could not be attributed to exactly one session and were not delivered",
      labelNames: ["upstream", "method"] as const,
      registers: [registry],
    }),
    sessions: new Gauge({
      name: "sapper_sessions",
      help: "Open downstream sessions on this replica",
      registers: [registry],
    }),
    guardFindings: new Counter({
      name: "sapper_guard_findings_total",
      help: "Poisoning scanner findings by upstream, rule and severity",
      labelNames: ["upstream", "rule", "severity"] as const,
      registers: [registry],
    }),
    guardBlocked: new Counter({
      name: "sapper_guard_blocked_total",
      help: "Tool definitions or calls blocked by the guard, by upstream and reason",
      labelNames: ["upstream", "reason"] as const,
      registers: [registry],
    }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
