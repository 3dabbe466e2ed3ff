// Fetches what an MCP server exposes (instructions, tools, prompts, resource templates) with the
// SDK client, for `sapper scan` and `sapper pin`. Lists are read raw (not reshaped by the SDK's
// schemas) so that pins hash exactly what the gateway receives.
import { Client, SSEClientTransport, StreamableHTTPClientTransport, type Transport } from "@modelcontextprotocol/client";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { z } from "zod";
import type { UpstreamSpec } from "../config/schema.js";
import { SapperError } from "../errors.js";
import { compileNameFilter } from "../gateway/name-filter.js";
import type { UpstreamDefinitions } from "./tool-guard.js";

const MAX_PAGES = 1_000;
const page = (key: string) => z.looseObject({ [key]: z.array(z.looseObject({})).default([]), nextCursor: z.string().optional() });

export interface FetchOptions {
  timeoutMs?: number;
  /** HTTP headers for remote servers (e.g. Authorization); never logged. */
  headers?: Record<string, string>;
}

/** Connects with the transport the upstream's spec names, applies its tool filter, and lists everything. */
export async function fetchUpstreamDefinitions(name: string, spec: UpstreamSpec, options: FetchOptions = {}): Promise<UpstreamDefinitions> {
  const transport: Transport =
    spec.transport === "stdio"
      ? new StdioClientTransport({
          command: spec.command,
          args: spec.args,
          env: { ...(spec.inheritEnv ? definedEnv(process.env) : getDefaultEnvironment()), ...spec.env },
          ...(spec.cwd ? { cwd: spec.cwd } : {}),
          stderr: "ignore",
        })
      : spec.transport === "sse"
        ? new SSEClientTransport(new URL(spec.url), { requestInit: { headers: spec.headers } })
        : new StreamableHTTPClientTransport(new URL(spec.url), { requestInit: { headers: spec.headers } });
  const defs = await fetchDefinitions(transport, `upstream "${name}"`, { timeoutMs: options.timeoutMs ?? spec.startTimeoutMs });
  const keep = compileNameFilter(spec.tools.include, spec.tools.exclude);
  return { ...defs, tools: defs.tools.filter((t) => keep(t.name)) };
}

/** A remote Streamable HTTP server (`sapper scan --url`). */
export function fetchUrlDefinitions(url: string, options: FetchOptions = {}): Promise<UpstreamDefinitions> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: options.headers ?? {} } });
  return fetchDefinitions(transport, url, options);
}

export async function fetchDefinitions(transport: Transport, label: string, options: FetchOptions = {}): Promise<UpstreamDefinitions> {
  const client = new Client({ name: "sapper-guard", version: "1" }, { capabilities: {} });
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    await client.connect(transport, { timeout: timeoutMs });
    const caps = client.getServerCapabilities() ?? {};
    const list = async (method: string, key: string): Promise<Record<string, unknown>[]> => {
      const items: Record<string, unknown>[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < MAX_PAGES; i++) {
        const res = (await client.request({ method, params: cursor ? { cursor } : {} }, page(key), { timeout: timeoutMs })) as Record<string, unknown>;
        items.push(...(res[key] as Record<string, unknown>[]));
        cursor = res.nextCursor as string | undefined;
        if (!cursor) break;
      }
      return items;
    };
    const instructions = client.getInstructions();
    return {
      ...(instructions ? { instructions } : {}),
      tools: (caps.tools ? await list("tools/list", "tools") : []) as unknown as UpstreamDefinitions["tools"],
      prompts: (caps.prompts ? await list("prompts/list", "prompts") : []) as unknown as UpstreamDefinitions["prompts"],
      resourceTemplates: (caps.resources ? await list("resources/templates/list", "resourceTemplates") : []) as unknown as UpstreamDefinitions["resourceTemplates"],
    };
  } catch (err) {
    throw new SapperError("SAPPER_UPSTREAM_START_FAILED", `cannot list the definitions of ${label}: ${(err as Error).message}`);
  } finally {
    await client.close().catch(() => undefined);
  }
}

function definedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
