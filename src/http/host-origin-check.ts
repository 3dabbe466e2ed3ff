// DNS-rebinding protection: the Host header must name this server and a browser Origin must be
// allowed. On by default (the SDK's own transport leaves it off: CVE-2025-66414).
import type { IncomingHttpHeaders } from "node:http";

export interface HostOriginPolicy {
  /** undefined when allowed, else the reason to refuse with 403. */
  check(headers: IncomingHttpHeaders): string | undefined;
  /** Whether a browser Origin may read responses (CORS). */
  originAllowed(origin: string): boolean;
}

const LOCAL_HOSTNAMES = ["localhost", "127.0.0.1", "[::1]"];

function hostnameOf(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.lastIndexOf(":");
  return (colon >= 0 ? host.slice(0, colon) : host).toLowerCase();
}

export function createHostOriginPolicy(options: { bindHost: string; allowedHosts: string[]; allowedOrigins: string[]; publicUrl?: string | undefined }): HostOriginPolicy {
  const hosts = new Set([...LOCAL_HOSTNAMES, ...options.allowedHosts.map((h) => h.toLowerCase())]);
  if (!["0.0.0.0", "::"].includes(options.bindHost)) hosts.add(options.bindHost.includes(":") ? `[${options.bindHost}]` : options.bindHost);
  const origins = new Set(options.allowedOrigins.map((o) => o.toLowerCase().replace(/\/$/, "")));
  if (options.publicUrl) {
    const u = new URL(options.publicUrl);
    hosts.add(u.host.toLowerCase());
    origins.add(u.origin.toLowerCase());
  }
  const originAllowed = (origin: string): boolean => {
    const o = origin.toLowerCase();
    if (origins.has(o) || origins.has("*")) return true;
    try {
      const u = new URL(o);
      return (u.protocol === "http:" || u.protocol === "https:") && LOCAL_HOSTNAMES.includes(u.hostname.replace(/^\[?(.*?)\]?$/, (_m, h: string) => (h.includes(":") ? `[${h}]` : h)));
    } catch {
      return false;
    }
  };
  return {
    originAllowed,
    check(headers) {
      const host = headers.host;
      if (!host) return "the Host header is missing";
      if (!hosts.has(host.toLowerCase()) && !hosts.has(hostnameOf(host))) {
        return `Host "${host}" is not allowed (DNS rebinding protection); add it to server.allowedHosts or set server.publicUrl`;
      }
      const origin = headers.origin;
      if (origin !== undefined && !originAllowed(origin)) {
        return `Origin "${origin}" is not allowed; add it to server.allowedOrigins`;
      }
      return undefined;
    },
  };
}
