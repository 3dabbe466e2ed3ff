// Picks the Upstream implementation for a configured upstream's transport.
import type { UpstreamSpec } from "../config/schema.js";
import { SseUpstream } from "./sse-upstream.js";
import { StdioUpstream } from "./stdio-upstream.js";
import { StreamableHttpUpstream } from "./streamable-http-upstream.js";
import type { Upstream, UpstreamDeps } from "./upstream.js";

export function createUpstream(name: string, spec: UpstreamSpec, deps: UpstreamDeps): Upstream {
  switch (spec.transport) {
    case "stdio":
      return new StdioUpstream(name, spec, deps);
    case "streamable-http":
      return new StreamableHttpUpstream(name, spec, deps);
    case "sse":
      return new SseUpstream(name, spec, deps);
  }
}
