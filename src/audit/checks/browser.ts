// Browser-safety checks: what a hostile web page can do with the endpoint. A foreign Origin must be
// refused, a DNS-rebinding request (foreign Host and Origin) must be refused, and CORS must not open
// the endpoint to every origin.
import type { AuditCheck, CheckOutcome, AuditContext } from "../audit-check.js";
import { canTalk, handshake } from "../discovery.js";
import type { ProbeResponse } from "../http-probe.js";
import { unauthenticated } from "./auth.js";

export const HOSTILE_ORIGIN = "https://sapper-audit.invalid";
export const REBINDING_HOST = "sapper-audit.invalid";

interface HostileAttempt {
  accepted: boolean;
  response: ProbeResponse;
}

async function hostileAttempt(ctx: AuditContext, headers: Record<string, string>): Promise<HostileAttempt> {
  const session = ctx.openSession({ token: ctx.token, headers });
  const outcome = await session.initialize();
  return { accepted: session.initializeResult !== undefined, response: outcome.response };
}

function hostileOrigin(ctx: AuditContext): Promise<HostileAttempt> {
  return ctx.memo("browser.hostile-origin", () => hostileAttempt(ctx, { origin: HOSTILE_ORIGIN }));
}

function precondition(ctx: AuditContext): string | undefined {
  if (ctx.discovery.verdict === "auth-required") return "needs an accepted token to tell an Origin refusal from an authentication refusal: pass --token";
  if (!canTalk(ctx.discovery)) return "the endpoint could not be reached over MCP (see transport checks)";
  return undefined;
}

function refusal(response: ProbeResponse): string {
  return response.status === undefined ? `no answer (${response.error})` : `HTTP ${response.status}`;
}

export const origin: AuditCheck = {
  meta: {
    id: "browser.origin",
    family: "browser",
    title: "Foreign Origin refused",
    severity: "high",
    checklist: [6],
    description: `A request carrying Origin: ${HOSTILE_ORIGIN} is refused (the spec requires servers to validate Origin).`,
    fix: "Validate the Origin header on every request and answer 403 to origins not on an allow-list; `sapper serve` does this by default (server.allowedOrigins).",
  },
  async run(ctx): Promise<CheckOutcome> {
    const skip = precondition(ctx);
    if (skip) return { status: "skip", summary: skip };
    const { accepted, response } = await hostileOrigin(ctx);
    const data = { origin: HOSTILE_ORIGIN, status: response.status ?? 0 };
    if (accepted) return { status: "fail", summary: `${handshake(ctx.discovery)} with Origin: ${HOSTILE_ORIGIN} was accepted (${refusal(response)}): any web page can drive this server`, data };
    return { status: "pass", summary: `${handshake(ctx.discovery)} with Origin: ${HOSTILE_ORIGIN} was refused (${refusal(response)})`, data };
  },
};

export const dnsRebinding: AuditCheck = {
  meta: {
    id: "browser.dns-rebinding",
    family: "browser",
    title: "DNS rebinding refused",
    severity: "high",
    checklist: [6],
    description: `A request as a DNS-rebinding page sends it (Host and Origin ${REBINDING_HOST}) is refused.`,
    fix: "Check the Host header against the names the server is published under (and Origin against an allow-list); bind to 127.0.0.1 only for local use. `sapper serve` validates Host by default (server.allowedHosts).",
  },
  async run(ctx): Promise<CheckOutcome> {
    const skip = precondition(ctx);
    if (skip) return { status: "skip", summary: skip };
    const port = ctx.discovery.url.port ? `:${ctx.discovery.url.port}` : "";
    const host = `${REBINDING_HOST}${port}`;
    const { accepted, response } = await hostileAttempt(ctx, { host, origin: `http://${host}` });
    const data = { host, status: response.status ?? 0 };
    if (accepted) return { status: "fail", summary: `${handshake(ctx.discovery)} with Host: ${host} and a matching Origin was accepted (${refusal(response)}): a DNS-rebinding page can drive this server`, data };
    return { status: "pass", summary: `${handshake(ctx.discovery)} with Host: ${host} was refused (${refusal(response)})`, data };
  },
};

export const cors: AuditCheck = {
  meta: {
    id: "browser.cors",
    family: "browser",
    title: "CORS restricted",
    severity: "medium",
    checklist: [7],
    description: "Neither a CORS preflight nor a request from a foreign origin gets Access-Control-Allow-Origin `*`, `null` or the foreign origin echoed back.",
    fix: "Allow only the browser origins that must call the endpoint: never `*` on an endpoint without auth, never an arbitrary origin reflected back.",
  },
  async run(ctx): Promise<CheckOutcome> {
    const skip = precondition(ctx);
    if (skip) return { status: "skip", summary: skip };
    const preflight = await ctx.probe.send({
      method: "OPTIONS",
      url: ctx.discovery.url,
      headers: {
        origin: HOSTILE_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, mcp-session-id, mcp-protocol-version",
      },
    });
    const actual = await hostileOrigin(ctx);
    const preflightOrigin = preflight.headers["access-control-allow-origin"];
    const actualOrigin = actual.response.headers["access-control-allow-origin"];
    const credentials = [preflight, actual.response].some((r) => r.headers["access-control-allow-credentials"] === "true");
    const data: Record<string, string | boolean> = { preflightStatus: String(preflight.status ?? preflight.error), credentials };
    if (preflightOrigin) data.preflightAllowOrigin = preflightOrigin;
    if (actualOrigin) data.responseAllowOrigin = actualOrigin;
    const values = [preflightOrigin, actualOrigin].filter((v): v is string => v !== undefined).map((v) => v.trim());
    if (values.some((v) => v === HOSTILE_ORIGIN)) {
      return { status: "fail", summary: `the foreign origin ${HOSTILE_ORIGIN} is reflected in Access-Control-Allow-Origin${credentials ? " with credentials allowed" : ""}: any origin is allowed`, data };
    }
    if (values.includes("null")) return { status: "fail", summary: "Access-Control-Allow-Origin: null lets sandboxed pages of any site in", data };
    if (values.includes("*")) {
      const open = (await unauthenticated(ctx)).accepted;
      if (open) return { status: "fail", summary: "Access-Control-Allow-Origin: * on an endpoint that needs no token: every web page can call its tools", data };
      return { status: "warn", summary: "Access-Control-Allow-Origin: * (tokens still required, but any origin may try)", data };
    }
    if (values.length) return { status: "pass", summary: `CORS allows only ${[...new Set(values)].join(", ")}`, data };
    return { status: "pass", summary: "no Access-Control-Allow-Origin for a foreign origin", data };
  },
};

export const browserChecks: AuditCheck[] = [origin, dnsRebinding, cors];
