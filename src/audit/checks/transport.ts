// Transport checks: is anything there, which MCP transport it speaks, which revision it negotiates,
// and whether plain HTTP crosses a network.
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/client";
import { isLoopbackHost, type AuditCheck, type CheckOutcome } from "../audit-check.js";
import { MODERN_PROTOCOL_VERSION } from "../modern-session.js";

const CURRENT_2025 = LATEST_PROTOCOL_VERSION;
const OLDER_STREAMABLE = ["2025-06-18", "2025-03-26"];

export const reachable: AuditCheck = {
  meta: {
    id: "transport.reachable",
    family: "transport",
    title: "Endpoint reachable",
    severity: "critical",
    checklist: [1],
    description: "An HTTP answer arrives from the endpoint within the request timeout.",
    fix: "Check the URL, DNS, firewall and that the server listens on a non-loopback address when it must be reached from elsewhere.",
  },
  async run({ discovery }): Promise<CheckOutcome> {
    const first = discovery.exchanges[0];
    if (discovery.verdict === "unreachable") return { status: "fail", summary: discovery.reason, exchanges: discovery.exchanges };
    const data: Record<string, number> = first?.response ? { status: first.response.status, ms: first.ms } : {};
    return { status: "pass", summary: `the endpoint answered HTTP ${first?.response?.status ?? "?"} in ${first?.ms ?? "?"} ms`, data, exchanges: discovery.exchanges.slice(0, 1) };
  },
};

export const streamableHttp: AuditCheck = {
  meta: {
    id: "transport.streamable-http",
    family: "transport",
    title: "Streamable HTTP transport",
    severity: "high",
    checklist: [1],
    description: "The endpoint speaks Streamable HTTP; the HTTP+SSE transport of 2024-11-05 alone is deprecated, and nothing at all is an outage.",
    fix: "Serve MCP over Streamable HTTP (one endpoint answering POST, GET and DELETE); keep legacy SSE only as a fallback for old clients, e.g. behind `sapper serve`.",
  },
  async run({ discovery }): Promise<CheckOutcome> {
    const ex = discovery.exchanges;
    switch (discovery.verdict) {
      case "streamable-http":
        return { status: "pass", summary: discovery.reason, data: { transport: "streamable-http", sessionful: discovery.sessionful }, exchanges: ex.slice(0, 2) };
      case "streamable-http-modern":
        return { status: "pass", summary: discovery.reason, data: { transport: "streamable-http (2026, stateless)" }, exchanges: ex };
      case "legacy-sse":
        return { status: "warn", summary: `deprecated transport: ${discovery.reason}`, data: { transport: "legacy-sse" }, exchanges: ex };
      case "auth-required":
        return { status: "skip", summary: `${discovery.reason}; the transport cannot be verified without an accepted token`, exchanges: ex };
      case "unreachable":
        return { status: "skip", summary: "the endpoint is not reachable (see transport.reachable)" };
      case "not-mcp":
        return { status: "fail", summary: `no MCP transport found: ${discovery.reason}`, exchanges: ex };
    }
  },
};

export const protocolVersion: AuditCheck = {
  meta: {
    id: "transport.protocol-version",
    family: "transport",
    title: "Current protocol revision",
    severity: "medium",
    checklist: [1],
    description: `The server negotiates ${CURRENT_2025} with 2025-era clients or supports the stateless ${MODERN_PROTOCOL_VERSION} revision.`,
    fix: "Upgrade the MCP SDK of the server (or put `sapper serve` in front, which serves both protocol eras).",
  },
  async run({ discovery }): Promise<CheckOutcome> {
    const negotiated = discovery.initialize?.protocolVersion;
    const modern = discovery.modern?.supportedVersions ?? [];
    const data: Record<string, string | string[]> = { offered: CURRENT_2025 };
    if (negotiated) data.negotiated = negotiated;
    if (modern.length) data.modernSupportedVersions = modern;
    if (modern.includes(MODERN_PROTOCOL_VERSION)) {
      const legacyEra = discovery.verdict === "streamable-http" && negotiated ? `; initialize negotiates ${negotiated} with 2025-era clients` : "";
      return { status: "pass", summary: `server/discover lists ${MODERN_PROTOCOL_VERSION}${legacyEra}`, data, exchanges: discovery.exchanges };
    }
    if (!negotiated) return { status: "skip", summary: "no initialize answer to read a protocol version from", exchanges: discovery.exchanges };
    const ex = discovery.exchanges.slice(0, 1);
    if (negotiated === CURRENT_2025) return { status: "pass", summary: `initialize negotiated ${negotiated}, the current 2025-era revision`, data, exchanges: ex };
    if (negotiated > CURRENT_2025) return { status: "pass", summary: `initialize negotiated ${negotiated}, newer than the auditor's ${CURRENT_2025}`, data, exchanges: ex };
    if (OLDER_STREAMABLE.includes(negotiated)) {
      return { status: "warn", summary: `initialize negotiated ${negotiated} although ${CURRENT_2025} was offered: an older revision`, data, exchanges: ex };
    }
    return { status: "fail", summary: `initialize negotiated ${negotiated}, a revision from before Streamable HTTP`, data, exchanges: ex };
  },
};

export const tls: AuditCheck = {
  meta: {
    id: "transport.tls",
    family: "transport",
    title: "TLS off loopback",
    severity: "high",
    checklist: [1, 5],
    description: "Plain http:// is only acceptable on a loopback host; anywhere else tokens and tool results cross the network in clear text.",
    fix: "Terminate TLS at the server or at a reverse proxy in front of it, and publish the https:// URL.",
  },
  async run({ options }): Promise<CheckOutcome> {
    const { protocol, hostname } = options.url;
    if (protocol === "https:") return { status: "pass", summary: "the endpoint uses https", data: { scheme: "https" } };
    if (isLoopbackHost(hostname)) return { status: "pass", summary: `plain http, but ${hostname} is a loopback host`, data: { scheme: "http", loopback: true } };
    return { status: "fail", summary: `plain http on ${hostname}, which is not a loopback host: tokens and results travel unencrypted`, data: { scheme: "http", loopback: false } };
  },
};

export const transportChecks: AuditCheck[] = [reachable, streamableHttp, protocolVersion, tls];
