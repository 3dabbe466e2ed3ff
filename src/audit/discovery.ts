// The first contact with the audited endpoint: which transport it speaks (Streamable HTTP, the
// stateless 2026 revision, legacy SSE only, or nothing), whether it demands a token, and which
// protocol revision it negotiates. Every check reads this instead of guessing again.
import type { InitializeResult } from "@modelcontextprotocol/client";
import type { ExchangeEvidence } from "./check.js";
import type { HttpProbe, ProbeResponse } from "./http-probe.js";
import { LegacySseSession } from "./legacy-sse-session.js";
import type { McpSession } from "./mcp-session.js";
import { ModernSession, parseDiscoverResult, type DiscoverResult } from "./modern-session.js";
import { StreamableSession } from "./streamable-session.js";

export type TransportVerdict =
  /** initialize over Streamable HTTP answered (2025 era, maybe also 2026). */
  | "streamable-http"
  /** only the stateless 2026 revision answered (server/discover, no initialize). */
  | "streamable-http-modern"
  /** only the deprecated HTTP+SSE transport answered. */
  | "legacy-sse"
  /** the endpoint answers, but only with 401/403 and no token was accepted. */
  | "auth-required"
  /** something answers HTTP, but not MCP. */
  | "not-mcp"
  /** no HTTP answer at all. */
  | "unreachable";

export interface Discovery {
  verdict: TransportVerdict;
  /** The URL that answered MCP (for legacy SSE it may be a sibling `/sse`). */
  url: URL;
  /** The kind of session to open for further requests. */
  session: "streamable-http" | "streamable-http-modern" | "legacy-sse";
  /** Why the verdict is what it is, in a sentence. */
  reason: string;
  initialize?: InitializeResult;
  /** Whether the server issued an Mcp-Session-Id (sessionful 2025 era). */
  sessionful: boolean;
  /** The 2026 `server/discover` answer, when the server supports the stateless revision. */
  modern?: DiscoverResult;
  /** The status and WWW-Authenticate of the first 401/403, if any. */
  challenge?: { status: number; wwwAuthenticate: string | undefined };
  exchanges: ExchangeEvidence[];
}

export interface SessionOptions {
  token?: string | undefined;
  /** Another URL than the discovered one (e.g. with a query string). */
  url?: URL;
  headers?: Record<string, string>;
  record?: boolean;
}

/** Opens a new session of the kind the discovery found, without initializing it. */
export function sessionFor(discovery: Discovery, probe: HttpProbe, options: SessionOptions = {}): McpSession {
  switch (discovery.session) {
    case "legacy-sse":
      return new LegacySseSession(probe, options.url ?? discovery.url, options);
    case "streamable-http-modern":
      return new ModernSession(probe, options.url ?? discovery.url, options);
    default:
      return new StreamableSession(probe, options.url ?? discovery.url, options);
  }
}

/** The request that opens a conversation on this transport, as named in summaries. */
export function handshake(discovery: Discovery): string {
  return discovery.session === "streamable-http-modern" ? "server/discover" : "initialize";
}

/** True when the verdict gives a transport checks can talk MCP over. */
export function canTalk(discovery: Discovery): boolean {
  return discovery.verdict === "streamable-http" || discovery.verdict === "streamable-http-modern" || discovery.verdict === "legacy-sse";
}

export async function discover(probe: HttpProbe, url: URL, token: string | undefined): Promise<Discovery> {
  const base = { url, sessionful: false, exchanges: probe.exchanges, session: "streamable-http" as const };
  const session = new StreamableSession(probe, url, { token });
  const init = await session.initialize();
  const first = init.response;
  if (first.status === undefined) {
    return { ...base, verdict: "unreachable", reason: `no HTTP answer from ${url.host}: ${first.error ?? "unknown error"}` };
  }
  if (session.initializeResult) {
    const out: Discovery = {
      ...base,
      verdict: "streamable-http",
      reason: `initialize over Streamable HTTP answered (HTTP ${first.status}, ${first.headers["content-type"] ?? "no content type"})`,
      initialize: session.initializeResult,
      sessionful: session.sessionId !== undefined,
    };
    await session.close();
    const modern = await probeModern(probe, url, token);
    if (modern) out.modern = modern;
    return out;
  }
  const challenge = authChallenge(first);
  if (challenge) {
    return {
      ...base,
      verdict: "auth-required",
      reason: token
        ? `the endpoint answered HTTP ${challenge.status} although a token was given: the token is not accepted`
        : `the endpoint answered HTTP ${challenge.status}: a token is required (pass --token or --token-env to audit further)`,
      challenge,
    };
  }
  const ms = new ModernSession(probe, url, { token });
  await ms.initialize();
  if (ms.discover && ms.initializeResult) {
    return {
      ...base,
      session: "streamable-http-modern",
      verdict: "streamable-http-modern",
      reason: `initialize was refused (HTTP ${first.status}) but server/discover answered: the server speaks only the stateless 2026 revision`,
      modern: ms.discover,
      initialize: ms.initializeResult,
    };
  }

  for (const candidate of legacyCandidates(url)) {
    const legacy = new LegacySseSession(probe, candidate, { token });
    const opened = await legacy.connect();
    const legacyChallenge = authChallenge(opened);
    if (legacyChallenge) {
      await legacy.close();
      return {
        ...base,
        url: candidate,
        session: "legacy-sse",
        verdict: "auth-required",
        reason: `GET ${candidate.pathname} (legacy SSE) answered HTTP ${legacyChallenge.status}: a token is required`,
        challenge: legacyChallenge,
      };
    }
    if (legacy.endpoint) {
      await legacy.initialize();
      const out: Discovery = {
        ...base,
        url: candidate,
        session: "legacy-sse",
        verdict: "legacy-sse",
        reason: `POST initialize answered HTTP ${first.status}; GET ${candidate.pathname} opened a legacy HTTP+SSE stream (endpoint ${legacy.endpoint.pathname})`,
        sessionful: legacy.sessionId !== undefined,
      };
      if (legacy.initializeResult) out.initialize = legacy.initializeResult;
      await legacy.close();
      return out;
    }
    await legacy.close();
  }
  return {
    ...base,
    verdict: "not-mcp",
    reason: `POST initialize answered HTTP ${first.status} without a JSON-RPC result, and no legacy SSE stream was found`,
  };
}

function authChallenge(response: ProbeResponse): Discovery["challenge"] | undefined {
  if (response.status !== 401 && response.status !== 403) return undefined;
  return { status: response.status, wwwAuthenticate: response.headers["www-authenticate"] };
}

async function probeModern(probe: HttpProbe, url: URL, token: string | undefined): Promise<DiscoverResult | undefined> {
  const session = new ModernSession(probe, url, { token });
  const outcome = await session.request("server/discover");
  return parseDiscoverResult(outcome.result);
}

function legacyCandidates(url: URL): URL[] {
  const out = [url];
  if (!/\/sse\/?$/.test(url.pathname)) {
    const sibling = new URL(url);
    sibling.pathname = url.pathname.replace(/\/[^/]*\/?$/, "") + "/sse";
    sibling.search = "";
    out.push(sibling);
  }
  return out;
}
