// Authentication checks: is a token required at all, can a client discover where to get one
// (RFC 9728 protected resource metadata, RFC 8414 / OIDC authorization server metadata), are bad
// tokens and tokens in query strings refused.
import { randomBytes } from "node:crypto";
import { OAuthProtectedResourceMetadataSchema } from "@modelcontextprotocol/core";
import { isLoopbackHost, type AuditCheck, type AuditContext, type CheckOutcome } from "../audit-check.js";
import { canTalk, handshake } from "../discovery.js";
import type { ProbeResponse } from "../http-probe.js";
import { parseChallenge } from "../www-authenticate.js";

const AUTH_CHECKLIST_SKIP = "the endpoint could not be reached over MCP (see transport checks)";
const MAX_AUTHORIZATION_SERVERS = 3;

interface Attempt {
  accepted: boolean;
  response: ProbeResponse;
}

/** An `initialize` (or, for legacy SSE, the stream) with the given token or none. */
async function attempt(ctx: AuditContext, token: string | undefined, url?: URL): Promise<Attempt> {
  const session = ctx.openSession(url ? { token, url } : { token });
  const outcome = await session.initialize();
  return { accepted: session.initializeResult !== undefined, response: outcome.response };
}

/** The unauthenticated attempt, shared by every check that needs to know whether a token is required. */
export function unauthenticated(ctx: AuditContext): Promise<Attempt> {
  return ctx.memo("auth.unauthenticated", () => attempt(ctx, undefined));
}

function reachableOverMcp(ctx: AuditContext): boolean {
  return canTalk(ctx.discovery) || ctx.discovery.verdict === "auth-required";
}

export const required: AuditCheck = {
  meta: {
    id: "auth.required",
    family: "auth",
    title: "Authentication required",
    severity: "critical",
    checklist: [2],
    description: "An `initialize` without any token is refused with 401 and a Bearer challenge.",
    fix: "Require a bearer token on the MCP endpoint (an OAuth 2.1 resource server or static tokens), in the server or in the gateway in front of it.",
  },
  async run(ctx): Promise<CheckOutcome> {
    if (!reachableOverMcp(ctx)) return { status: "skip", summary: AUTH_CHECKLIST_SKIP };
    const { accepted, response } = await unauthenticated(ctx);
    const www = response.headers["www-authenticate"];
    const data: Record<string, string | number | boolean> = { unauthenticatedAccepted: accepted };
    if (response.status !== undefined) data.status = response.status;
    if (accepted) {
      const where = isLoopbackHost(ctx.options.url.hostname) ? " (on loopback; any local process or web page can use it)" : "";
      return { status: "fail", summary: `${handshake(ctx.discovery)} without any token succeeded (HTTP ${response.status})${where}`, data };
    }
    if (response.status === 401) {
      if (!www) return { status: "warn", summary: "HTTP 401 without WWW-Authenticate: clients cannot discover how to authenticate", data };
      return { status: "pass", summary: `${handshake(ctx.discovery)} without a token was refused: HTTP 401, WWW-Authenticate: ${parseChallenge(www)?.scheme ?? www}`, data };
    }
    if (response.status === 403) return { status: "warn", summary: "refused with 403; a missing token should get 401 with a WWW-Authenticate challenge", data };
    return { status: "warn", summary: `${handshake(ctx.discovery)} without a token got HTTP ${response.status ?? "no answer"}, not a 401 challenge`, data };
  },
};

interface ResourceMetadataFinding {
  url: string;
  document: { resource: string; authorization_servers?: string[] | undefined; scopes_supported?: string[] | undefined };
}

/** Normalized identity of a resource URL for comparison (scheme, host, port, path without trailing slash). */
export function resourceKey(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, "")}`;
  } catch {
    return undefined;
  }
}

/** RFC 9728 §3.1: the path-aware well-known URL, then the root one. */
export function resourceMetadataCandidates(resource: URL): URL[] {
  const path = resource.pathname.replace(/\/+$/, "");
  const out = [new URL(`/.well-known/oauth-protected-resource${path}`, resource.origin)];
  if (path) out.push(new URL("/.well-known/oauth-protected-resource", resource.origin));
  return out;
}

async function fetchJson(ctx: AuditContext, url: URL): Promise<{ response: ProbeResponse; json?: unknown }> {
  const response = await ctx.probe.send({ method: "GET", url, headers: { accept: "application/json" } });
  if (response.status !== 200) return { response };
  try {
    return { response, json: JSON.parse(response.body) };
  } catch {
    return { response };
  }
}

function protectedResourceMetadata(ctx: AuditContext): Promise<{ finding?: ResourceMetadataFinding; advertised?: string; advertisedFailed: boolean; tried: string[] }> {
  return ctx.memo("auth.prm", async () => {
    const unauth = await unauthenticated(ctx);
    const advertised = parseChallenge(unauth.response.headers["www-authenticate"])?.params.resource_metadata;
    const candidates: URL[] = [];
    if (advertised) {
      try {
        candidates.push(new URL(advertised, ctx.discovery.url));
      } catch {
        /* an unparsable URL is reported as advertisedFailed below */
      }
    }
    for (const c of resourceMetadataCandidates(ctx.discovery.url)) if (!candidates.some((x) => x.href === c.href)) candidates.push(c);
    const tried: string[] = [];
    let advertisedFailed = advertised !== undefined;
    for (const candidate of candidates) {
      tried.push(candidate.href);
      const { json } = await fetchJson(ctx, candidate);
      const parsed = OAuthProtectedResourceMetadataSchema.safeParse(json);
      if (parsed.success) {
        if (advertised && candidate.href === new URL(advertised, ctx.discovery.url).href) advertisedFailed = false;
        const out: { finding: ResourceMetadataFinding; advertised?: string; advertisedFailed: boolean; tried: string[] } = {
          finding: { url: candidate.href, document: parsed.data },
          advertisedFailed,
          tried,
        };
        if (advertised) out.advertised = advertised;
        return out;
      }
    }
    return advertised ? { advertised, advertisedFailed, tried } : { advertisedFailed, tried };
  });
}

export const resourceMetadata: AuditCheck = {
  meta: {
    id: "auth.resource-metadata",
    family: "auth",
    title: "RFC 9728 protected resource metadata",
    severity: "high",
    checklist: [3],
    description:
      "Protected resource metadata is published (at the WWW-Authenticate `resource_metadata` URL or the well-known URL), names this endpoint as its `resource` and lists authorization servers.",
    fix: "Publish /.well-known/oauth-protected-resource[/path] with `resource` = the exact MCP endpoint URL and `authorization_servers`, and point to it from WWW-Authenticate: Bearer resource_metadata=\"…\" on every 401.",
  },
  async run(ctx): Promise<CheckOutcome> {
    if (!reachableOverMcp(ctx)) return { status: "skip", summary: AUTH_CHECKLIST_SKIP };
    const unauth = await unauthenticated(ctx);
    const { finding, advertised, advertisedFailed, tried } = await protectedResourceMetadata(ctx);
    const data: Record<string, string | string[] | boolean> = { tried };
    if (advertised) data.advertised = advertised;
    if (!finding) {
      if (unauth.accepted) return { status: "fail", summary: "no authentication and no protected resource metadata: clients are never asked for a token", data };
      return { status: "fail", summary: `a token is required but no protected resource metadata was found (tried ${tried.length} URLs): clients cannot find the authorization server`, data };
    }
    data.metadataUrl = finding.url;
    data.resource = finding.document.resource;
    data.authorizationServers = finding.document.authorization_servers ?? [];
    const problems: string[] = [];
    const notes: string[] = [];
    if (resourceKey(finding.document.resource) !== resourceKey(ctx.discovery.url.href)) {
      problems.push(`"resource" is ${finding.document.resource} but the endpoint is ${ctx.discovery.url.href}`);
    }
    if (!finding.document.authorization_servers?.length) problems.push("no authorization_servers listed");
    if (advertisedFailed) problems.push(`WWW-Authenticate points to ${advertised}, which does not serve valid metadata`);
    if (unauth.accepted) notes.push("the endpoint accepts requests without a token, so no WWW-Authenticate challenge can point to the metadata");
    else if (!advertised) notes.push("the 401 challenge carries no resource_metadata parameter; only clients that try the well-known URL find the metadata");
    if (problems.length) return { status: "fail", summary: `metadata at ${finding.url} is inconsistent: ${problems.join("; ")}`, data };
    if (notes.length) return { status: "warn", summary: `metadata at ${finding.url} is valid, but ${notes.join("; ")}`, data };
    return { status: "pass", summary: `metadata at ${finding.url} names this endpoint and ${finding.document.authorization_servers!.length} authorization server(s); the 401 challenge points to it`, data };
  },
};

/** RFC 8414 §3 (path inserted after /.well-known) and OpenID Connect Discovery variants, in order. */
export function authorizationServerMetadataCandidates(issuer: URL): URL[] {
  const path = issuer.pathname.replace(/\/+$/, "");
  if (!path) return [new URL("/.well-known/oauth-authorization-server", issuer.origin), new URL("/.well-known/openid-configuration", issuer.origin)];
  return [
    new URL(`/.well-known/oauth-authorization-server${path}`, issuer.origin),
    new URL(`/.well-known/openid-configuration${path}`, issuer.origin),
    new URL(`${path}/.well-known/openid-configuration`, issuer.origin),
  ];
}

export const authorizationServerMetadata: AuditCheck = {
  meta: {
    id: "auth.authorization-server-metadata",
    family: "auth",
    title: "Authorization server metadata",
    severity: "high",
    checklist: [3],
    description:
      "Every advertised authorization server publishes RFC 8414 or OpenID Connect metadata whose issuer matches, with token and authorization endpoints and PKCE S256.",
    fix: "List only authorization servers that publish /.well-known/oauth-authorization-server (or openid-configuration) with a matching issuer, authorization_endpoint, token_endpoint and code_challenge_methods_supported including S256.",
  },
  async run(ctx): Promise<CheckOutcome> {
    if (!reachableOverMcp(ctx)) return { status: "skip", summary: AUTH_CHECKLIST_SKIP };
    const { finding } = await protectedResourceMetadata(ctx);
    const servers = finding?.document.authorization_servers ?? [];
    if (!finding || servers.length === 0) return { status: "skip", summary: "no authorization server is advertised (see auth.resource-metadata)" };
    const failures: string[] = [];
    const warnings: string[] = [];
    const found: string[] = [];
    for (const server of servers.slice(0, MAX_AUTHORIZATION_SERVERS)) {
      let issuer: URL;
      try {
        issuer = new URL(server);
      } catch {
        failures.push(`${server} is not a URL`);
        continue;
      }
      if (issuer.protocol !== "https:" && !isLoopbackHost(issuer.hostname)) failures.push(`${server} is not https`);
      let doc: Record<string, unknown> | undefined;
      let from = "";
      for (const candidate of authorizationServerMetadataCandidates(issuer)) {
        const { json } = await fetchJson(ctx, candidate);
        if (typeof json === "object" && json !== null && !Array.isArray(json)) {
          doc = json as Record<string, unknown>;
          from = candidate.href;
          break;
        }
      }
      if (!doc) {
        failures.push(`${server} publishes no authorization server metadata`);
        continue;
      }
      found.push(from);
      if (typeof doc.issuer !== "string" || doc.issuer.replace(/\/+$/, "") !== server.replace(/\/+$/, "")) {
        failures.push(`${from} has issuer ${JSON.stringify(doc.issuer)}, not ${server}`);
      }
      if (typeof doc.token_endpoint !== "string") failures.push(`${from} has no token_endpoint`);
      if (typeof doc.authorization_endpoint !== "string") warnings.push(`${from} has no authorization_endpoint (no interactive sign-in)`);
      const pkce = doc.code_challenge_methods_supported;
      if (!Array.isArray(pkce) || !pkce.includes("S256")) warnings.push(`${from} does not advertise PKCE S256 (MCP clients must refuse it)`);
    }
    const data = { authorizationServers: servers, metadata: found };
    if (failures.length) return { status: "fail", summary: failures.join("; "), data };
    if (warnings.length) return { status: "warn", summary: warnings.join("; "), data };
    return { status: "pass", summary: `${found.length} authorization server(s) publish consistent metadata with PKCE S256`, data };
  },
};

export const tokenInQuery: AuditCheck = {
  meta: {
    id: "auth.token-in-query",
    family: "auth",
    title: "Tokens in query strings refused",
    severity: "high",
    checklist: [5],
    description: "A valid token sent as ?access_token=… (instead of the Authorization header) is not accepted; query strings end up in logs and browser history.",
    fix: "Accept tokens only in the Authorization header (the MCP authorization spec forbids them in the URI) and refuse requests that carry one in the query string.",
  },
  async run(ctx): Promise<CheckOutcome> {
    if (!reachableOverMcp(ctx)) return { status: "skip", summary: AUTH_CHECKLIST_SKIP };
    if (!ctx.token) return { status: "skip", summary: "needs a valid token: pass --token or --token-env" };
    if ((await unauthenticated(ctx)).accepted) return { status: "skip", summary: "the endpoint accepts requests without any token, so a query-string token proves nothing (see auth.required)" };
    const url = new URL(ctx.discovery.url);
    url.searchParams.set("access_token", ctx.token);
    const { accepted, response } = await attempt(ctx, undefined, url);
    const data = { status: response.status ?? 0 };
    if (accepted) return { status: "fail", summary: `a token in ?access_token= was accepted (HTTP ${response.status})`, data };
    return { status: "pass", summary: `a token in ?access_token= was refused (HTTP ${response.status ?? response.error})`, data };
  },
};

export const invalidToken: AuditCheck = {
  meta: {
    id: "auth.invalid-token",
    family: "auth",
    title: "Invalid token gets 401",
    severity: "critical",
    checklist: [4],
    description: "A made-up bearer token is refused with 401 (RFC 6750 invalid_token), not accepted and not a 5xx.",
    fix: "Validate every token (signature, issuer, audience = this resource, expiry) or introspect it, and answer 401 with WWW-Authenticate: Bearer error=\"invalid_token\".",
  },
  async run(ctx): Promise<CheckOutcome> {
    if (!reachableOverMcp(ctx)) return { status: "skip", summary: AUTH_CHECKLIST_SKIP };
    const unauth = await unauthenticated(ctx);
    if (unauth.accepted) return { status: "skip", summary: "the endpoint accepts requests without any token (see auth.required)" };
    const bogus = `sapper-audit-invalid-${randomBytes(12).toString("hex")}`;
    const { accepted, response } = await attempt(ctx, bogus);
    const challenge = parseChallenge(response.headers["www-authenticate"]);
    const data: Record<string, string | number> = { status: response.status ?? 0 };
    if (challenge?.params.error) data.error = challenge.params.error;
    if (accepted) return { status: "fail", summary: `a made-up token was accepted (HTTP ${response.status})`, data };
    if (response.status === 401) return { status: "pass", summary: `a made-up token was refused with 401${challenge?.params.error ? ` (error="${challenge.params.error}")` : ""}`, data };
    if (response.status !== undefined && response.status >= 500) return { status: "fail", summary: `a made-up token caused HTTP ${response.status}`, data };
    return { status: "warn", summary: `a made-up token was refused with HTTP ${response.status ?? response.error}, not 401`, data };
  },
};

export const authChecks: AuditCheck[] = [required, resourceMetadata, authorizationServerMetadata, tokenInQuery, invalidToken];
