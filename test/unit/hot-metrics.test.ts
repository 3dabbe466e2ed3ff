import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { HotCounter, HotHistogram } from "../../src/telemetry/hot-metrics.js";

describe("hot-path metrics in a prom-client registry", () => {
  it("counts per label set, through a kept child and through a label object", async () => {
    const registry = new Registry();
    const c = new HotCounter("t_requests_total", "requests", ["method", "status"] as const, registry);
    const child = c.labels("POST", "200");
    child.inc();
    child.inc();
    c.inc({ method: "GET", status: "404" });
    c.inc({ method: "POST", status: "200" }, 3);
    const text = await registry.metrics();
    expect(text).toContain("# TYPE t_requests_total counter");
    expect(text).toContain('t_requests_total{method="POST",status="200"} 5');
    expect(text).toContain('t_requests_total{method="GET",status="404"} 1');
  });

  it("exposes cumulative buckets, +Inf, sum and count", async () => {
    const registry = new Registry();
    const h = new HotHistogram("t_seconds", "duration", ["method"] as const, [0.1, 1], registry);
    const child = h.labels("ping");
    for (const v of [0.05, 0.1, 0.5, 2]) child.observe(v);
    const text = await registry.metrics();
    expect(text).toContain("# TYPE t_seconds histogram");
    expect(text).toContain('t_seconds_bucket{method="ping",le="0.1"} 2');
    expect(text).toContain('t_seconds_bucket{method="ping",le="1"} 3');
    expect(text).toContain('t_seconds_bucket{method="ping",le="+Inf"} 4');
    expect(text).toContain('t_seconds_sum{method="ping"} 2.65');
    expect(text).toContain('t_seconds_count{method="ping"} 4');
    registry.resetMetrics();
    child.observe(0.2);
    expect(await registry.metrics()).toContain('t_seconds_count{method="ping"} 1');
  });
});
