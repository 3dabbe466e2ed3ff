// Fetches every definition the server exposes (tools, prompts, resource templates, instructions),
// page by page with a page ceiling, once per audit; the context and supply-chain checks share it.
import { PromptSchema, ResourceTemplateSchema, ToolSchema } from "@modelcontextprotocol/core";
import type { Prompt, ResourceTemplateType as ResourceTemplate, Tool } from "@modelcontextprotocol/server";
import type { AuditContext } from "./audit-check.js";
import type { McpSession } from "./mcp-session.js";

const MAX_PAGES = 20;

export interface ServerDefinitions {
  instructions: string | undefined;
  tools: Tool[];
  prompts: Prompt[];
  resourceTemplates: ResourceTemplate[];
  /** Items the server listed that do not match the MCP schema. */
  invalid: string[];
  /** Set when listing failed; the lists then hold what arrived before. */
  error?: string;
}

async function listAll<T>(
  session: McpSession,
  method: string,
  key: string,
  parse: (item: unknown) => T | undefined,
  invalid: string[],
): Promise<{ items: T[]; error?: string }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const outcome = await session.request(method, cursor ? { cursor } : {});
    if (outcome.error) return { items, error: `${method}: JSON-RPC error ${outcome.error.code} ${outcome.error.message}` };
    const result = outcome.result as Record<string, unknown> | undefined;
    if (!result || !Array.isArray(result[key])) return { items, error: `${method}: no answer (${outcome.response.status ?? outcome.response.error})` };
    for (const raw of result[key] as unknown[]) {
      const item = parse(raw);
      if (item) items.push(item);
      else invalid.push(`${method}: ${JSON.stringify((raw as { name?: unknown })?.name ?? raw).slice(0, 80)}`);
    }
    cursor = typeof result.nextCursor === "string" && result.nextCursor ? result.nextCursor : undefined;
    if (!cursor) return { items };
  }
  return { items, error: `${method}: more than ${MAX_PAGES} pages, listing stopped` };
}

export function listDefinitions(ctx: AuditContext): Promise<ServerDefinitions | string> {
  return ctx.memo("definitions", async () => {
    const d = ctx.discovery;
    if (d.verdict === "auth-required") return "needs an accepted token: pass --token or --token-env";
    if (d.verdict !== "streamable-http" && d.verdict !== "streamable-http-modern" && d.verdict !== "legacy-sse") {
      return "the endpoint could not be reached over MCP (see transport checks)";
    }
    const session = ctx.openSession({ token: ctx.token });
    await session.initialize();
    if (!session.initializeResult) return "could not open a session to list definitions";
    const caps = session.initializeResult.capabilities;
    const invalid: string[] = [];
    const out: ServerDefinitions = { instructions: session.initializeResult.instructions, tools: [], prompts: [], resourceTemplates: [], invalid };
    const errors: string[] = [];
    if (caps.tools) {
      const r = await listAll(session, "tools/list", "tools", (x) => parseWith(ToolSchema, x) as Tool | undefined, invalid);
      out.tools = r.items;
      if (r.error) errors.push(r.error);
    }
    if (caps.prompts) {
      const r = await listAll(session, "prompts/list", "prompts", (x) => parseWith(PromptSchema, x) as Prompt | undefined, invalid);
      out.prompts = r.items;
      if (r.error) errors.push(r.error);
    }
    if (caps.resources) {
      const r = await listAll(session, "resources/templates/list", "resourceTemplates", (x) => parseWith(ResourceTemplateSchema, x) as ResourceTemplate | undefined, invalid);
      out.resourceTemplates = r.items;
      if (r.error) errors.push(r.error);
    }
    if (errors.length) out.error = errors.join("; ");
    return out;
  });
}

function parseWith(schema: { safeParse(x: unknown): { success: boolean; data?: unknown } }, raw: unknown): unknown {
  const r = schema.safeParse(raw);
  return r.success ? r.data : undefined;
}
