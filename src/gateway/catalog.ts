// The aggregated catalog: every upstream's tools, prompts, resources and templates, filtered,
// reviewed by the guard and namespaced, built when an upstream connects or reports list_changed.
import type { Prompt, Resource, ResourceTemplateType as ResourceTemplate, Tool } from "@modelcontextprotocol/server";
import { UriTemplate } from "@modelcontextprotocol/server";
import type { ToolGuard } from "../guard/tool-guard.js";
import type { Logger } from "../telemetry/logger.js";
import { CATALOG_SESSION_ID, type Upstream } from "../upstream/upstream.js";
import { compileNameFilter, type NameFilter } from "./name-filter.js";

const MAX_PAGES = 1_000;

export interface CatalogUpstream {
  name: string;
  upstream: Upstream;
  /** Namespace prefix, or false for none. */
  prefix: string | false;
  tools: { include?: string[] | undefined; exclude: string[] };
}

interface Route {
  upstream: string;
  local: string;
}

interface UpstreamEntry {
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
  templates: ResourceTemplate[];
  matchers: UriTemplate[];
  /** The server's instructions, unless the guard withheld them. */
  instructions: string | undefined;
  /** Exposed tool name -> reason, for blocked tools (hidden, calls refused). */
  blockedTools: Map<string, string>;
  /** Exposed prompt name -> reason. */
  blockedPrompts: Map<string, string>;
  /** Blocked URI templates with their reasons (hidden, reads through them refused). */
  blockedTemplates: Array<{ template: UriTemplate; reason: string }>;
}

export interface BlockedDefinition {
  upstream: string;
  /** User-facing; names the fix (e.g. `sapper pin --approve`). */
  reason: string;
}

export type ListKind = "tools" | "prompts" | "resources";

export class Catalog {
  private readonly entries = new Map<string, UpstreamEntry>();
  private readonly filters = new Map<string, NameFilter>();
  /** Per upstream, the last load asked for (see load). */
  private readonly loading = new Map<string, Promise<void>>();
  private toolRoutes = new Map<string, Route>();
  private promptRoutes = new Map<string, Route>();
  private resourceRoutes = new Map<string, string>();
  private templateRoutes = new Map<string, string>();
  /** The name and URI clashes of the last rebuild, so each is logged when it appears, not at every rebuild. */
  private clashes = new Set<string>();
  private lists: { tools: Tool[]; prompts: Prompt[]; resources: Resource[]; templates: ResourceTemplate[] } = {
    tools: [],
    prompts: [],
    resources: [],
    templates: [],
  };

  constructor(
    private readonly upstreams: CatalogUpstream[],
    private readonly separator: string,
    private readonly guard: ToolGuard,
    private readonly logger: Logger,
  ) {
    for (const u of upstreams) this.filters.set(u.name, compileNameFilter(u.tools.include, u.tools.exclude));
  }

  exposedName(upstream: string, local: string): string {
    const u = this.upstreams.find((x) => x.name === upstream)!;
    return u.prefix === false ? local : `${u.prefix}${this.separator}${local}`;
  }

  /**
   * (Re)loads the definitions of one upstream; `kinds` limits the reload to what changed. Loads of
   * one upstream run one after another, in the order asked: each builds on what the one before it
   * installed, so a tools reload and a prompts reload close together both take effect, and a slow
   * older list never replaces a newer one.
   */
  load(name: string, kinds: ListKind[] = ["tools", "prompts", "resources"]): Promise<void> {
    // After the load before it, whether that one succeeded or failed.
    const run = () => this.loadNow(name, kinds);
    const next = (this.loading.get(name) ?? Promise.resolve()).then(run, run);
    this.loading.set(name, next);
    const settle = () => {
      if (this.loading.get(name) === next) this.loading.delete(name);
    };
    next.then(settle, settle);
    return next;
  }

  private async loadNow(name: string, kinds: ListKind[]): Promise<void> {
    const u = this.upstreams.find((x) => x.name === name);
    if (!u?.upstream.initializeResult) return;
    const caps = u.upstream.initializeResult.capabilities ?? {};
    const prev = this.entries.get(name);
    const entry: UpstreamEntry = prev
      ? { ...prev }
      : { tools: [], prompts: [], resources: [], templates: [], matchers: [], instructions: undefined, blockedTools: new Map(), blockedPrompts: new Map(), blockedTemplates: [] };
    if (kinds.includes("tools") && caps.tools) entry.tools = await this.fetchAll<Tool>(u.upstream, "tools/list", "tools");
    if (kinds.includes("prompts") && caps.prompts) entry.prompts = await this.fetchAll<Prompt>(u.upstream, "prompts/list", "prompts");
    if (kinds.includes("resources") && caps.resources) {
      entry.resources = await this.fetchAll<Resource>(u.upstream, "resources/list", "resources");
      entry.templates = await this.fetchAll<ResourceTemplate>(u.upstream, "resources/templates/list", "resourceTemplates");
    }
    const filter = this.filters.get(name)!;
    entry.tools = entry.tools.filter((t) => filter(t.name));
    const verdict = await this.guard.review(name, {
      instructions: u.upstream.initializeResult.instructions,
      tools: entry.tools,
      prompts: entry.prompts,
      resourceTemplates: entry.templates,
    });
    const exposed = (m: Map<string, string>) => new Map([...m].map(([local, why]) => [this.exposedName(name, local), why]));
    entry.blockedTools = exposed(verdict.blockedTools);
    entry.blockedPrompts = exposed(verdict.blockedPrompts);
    entry.blockedTemplates = [...verdict.blockedResourceTemplates].map(([t, reason]) => ({ template: new UriTemplate(t), reason }));
    entry.matchers = entry.templates.filter((t) => !verdict.blockedResourceTemplates.has(t.uriTemplate)).map((t) => new UriTemplate(t.uriTemplate));
    entry.instructions = verdict.instructionsBlocked === undefined ? u.upstream.initializeResult.instructions : undefined;
    this.entries.set(name, entry);
    this.rebuild();
    this.logger.info(
      { upstream: name, tools: entry.tools.length, blocked: entry.blockedTools.size + entry.blockedPrompts.size + entry.blockedTemplates.length, prompts: entry.prompts.length, resources: entry.resources.length, templates: entry.templates.length },
      "catalog loaded",
    );
  }

  get tools(): Tool[] {
    return this.lists.tools;
  }
  get prompts(): Prompt[] {
    return this.lists.prompts;
  }
  get resources(): Resource[] {
    return this.lists.resources;
  }
  get resourceTemplates(): ResourceTemplate[] {
    return this.lists.templates;
  }

  /** Why a tool or prompt is blocked, and whose it is, if it is. */
  blocked(kind: "tool" | "prompt", exposed: string): BlockedDefinition | undefined {
    for (const [upstream, e] of this.entries) {
      const reason = (kind === "tool" ? e.blockedTools : e.blockedPrompts).get(exposed);
      if (reason !== undefined) return { upstream, reason };
    }
    return undefined;
  }

  /** Why reading a URI is refused: it matches a blocked template and nothing else serves it. */
  blockedResource(uri: string): BlockedDefinition | undefined {
    if (this.resolveResource(uri)) return undefined;
    for (const [upstream, e] of this.entries) {
      for (const b of e.blockedTemplates) if (b.template.match(uri) !== null) return { upstream, reason: b.reason };
    }
    return undefined;
  }

  /** Each upstream's server instructions that may reach clients, in config order. */
  instructions(): Array<{ upstream: string; text: string }> {
    const out: Array<{ upstream: string; text: string }> = [];
    for (const { name } of this.upstreams) {
      const text = this.entries.get(name)?.instructions;
      if (text) out.push({ upstream: name, text });
    }
    return out;
  }

  resolveTool(exposed: string): Route | undefined {
    return this.toolRoutes.get(exposed);
  }

  resolvePrompt(exposed: string): Route | undefined {
    return this.promptRoutes.get(exposed);
  }

  /** The upstream serving a resource URI: a listed resource first, then the first matching template. */
  resolveResource(uri: string): string | undefined {
    const direct = this.resourceRoutes.get(uri);
    if (direct) return direct;
    for (const [name, e] of this.entries) if (e.matchers.some((m) => m.match(uri) !== null)) return name;
    return undefined;
  }

  resolveTemplate(uriTemplate: string): string | undefined {
    return this.templateRoutes.get(uriTemplate);
  }

  private rebuild(): void {
    const tools: Tool[] = [];
    const prompts: Prompt[] = [];
    const resources: Resource[] = [];
    const templates: ResourceTemplate[] = [];
    const toolRoutes = new Map<string, Route>();
    const promptRoutes = new Map<string, Route>();
    const resourceRoutes = new Map<string, string>();
    const templateRoutes = new Map<string, string>();
    const clashes = new Map<string, () => void>();
    // Config order decides which upstream answers a resource URI that several list.
    for (const { name } of this.upstreams) {
      const e = this.entries.get(name);
      if (!e) continue;
      for (const t of e.tools) {
        const exposed = this.exposedName(name, t.name);
        if (e.blockedTools.has(exposed) || this.taken(toolRoutes, "tool", name, exposed, clashes)) continue;
        tools.push({ ...t, name: exposed });
        toolRoutes.set(exposed, { upstream: name, local: t.name });
      }
      for (const p of e.prompts) {
        const exposed = this.exposedName(name, p.name);
        if (e.blockedPrompts.has(exposed) || this.taken(promptRoutes, "prompt", name, exposed, clashes)) continue;
        prompts.push({ ...p, name: exposed });
        promptRoutes.set(exposed, { upstream: name, local: p.name });
      }
      for (const r of e.resources) {
        const holder = resourceRoutes.get(r.uri);
        if (holder !== undefined) {
          clashes.set(JSON.stringify(["resource", r.uri, name, holder]), () =>
            this.logger.warn({ upstream: name, uri: r.uri, servedBy: holder }, "resource URI listed by two upstreams; the first in config order serves it"),
          );
          continue;
        }
        resources.push(r);
        resourceRoutes.set(r.uri, name);
      }
      for (const t of e.templates) {
        if (templateRoutes.has(t.uriTemplate) || e.blockedTemplates.some((b) => b.template.toString() === t.uriTemplate)) continue;
        templates.push(t);
        templateRoutes.set(t.uriTemplate, name);
      }
    }
    this.lists = { tools, prompts, resources, templates };
    this.toolRoutes = toolRoutes;
    this.promptRoutes = promptRoutes;
    this.resourceRoutes = resourceRoutes;
    this.templateRoutes = templateRoutes;
    for (const [key, log] of clashes) if (!this.clashes.has(key)) log();
    this.clashes = new Set(clashes.keys());
  }

  /**
   * Whether an exposed name already routes to an earlier upstream in config order. Prefixes are
   * distinct, but a prefix may be another's plus the separator (`git` and `git__hub`): an upstream's
   * tool named `hub__x` would then take `git__hub__x` from the other. The first keeps it, whatever
   * the later one lists, and the clash is noted in `clashes` (logged by rebuild if it is new).
   */
  private taken(routes: Map<string, Route>, kind: "tool" | "prompt", upstream: string, exposed: string, clashes: Map<string, () => void>): boolean {
    const holder = routes.get(exposed);
    if (holder === undefined) return false;
    clashes.set(JSON.stringify([kind, exposed, upstream, holder.upstream]), () =>
      this.logger.warn({ upstream, [kind]: exposed, servedBy: holder.upstream }, `${kind} name exposed by two upstreams; the first in config order serves it, the other's is hidden`),
    );
    return true;
  }

  /** Follows the upstream's cursors to the end (bounded), so downstream pagination is ours alone. */
  private async fetchAll<T>(upstream: Upstream, method: string, key: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await upstream.request(method, cursor ? { cursor } : undefined, { sessionId: CATALOG_SESSION_ID });
      const got = result[key];
      if (Array.isArray(got)) items.push(...(got as T[]));
      const next = result.nextCursor;
      if (typeof next !== "string" || next === "" || next === cursor) return items;
      cursor = next;
    }
    this.logger.warn({ upstream: upstream.name, method }, `stopped following cursors after ${MAX_PAGES} pages`);
    return items;
  }
}
