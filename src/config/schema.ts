// The configuration schema: the single source of truth for validation, defaults, --help and docs.
import { z } from "zod";

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "use letters, digits, '-' and '_' (at most 64 characters)");

const toolFilter = z
  .object({
    include: z.array(z.string()).optional().describe("only these tools (exact names or globs with *) are exposed"),
    exclude: z.array(z.string()).default([]).describe("these tools (exact names or globs with *) are hidden"),
  })
  .strict()
  .default({ exclude: [] });

const restart = z
  .object({
    initialDelayMs: z.number().int().min(10).default(250).describe("first back-off delay after a crash"),
    maxDelayMs: z.number().int().min(10).default(30_000).describe("back-off ceiling"),
    resetAfterMs: z.number().int().min(0).default(60_000).describe("a process up this long resets the back-off"),
  })
  .strict()
  .default({ initialDelayMs: 250, maxDelayMs: 30_000, resetAfterMs: 60_000 });

const severity = z.enum(["info", "low", "medium", "high", "critical"]);
const guardPolicy = z.enum(["warn", "block"]);
const provenanceMode = z.enum(["off", "offline", "registry"]);

/** Per-upstream overrides of the top-level `guard` settings. */
const upstreamGuard = z
  .object({
    policy: guardPolicy.optional().describe("overrides guard.policy for this upstream"),
    warnAt: severity.optional().describe("overrides guard.warnAt for this upstream"),
    blockAt: severity.optional().describe("overrides guard.blockAt for this upstream"),
    onChange: guardPolicy.optional().describe("overrides guard.onChange for this upstream"),
    onNew: guardPolicy.optional().describe("overrides guard.onNew for this upstream"),
    provenance: provenanceMode.optional().describe("overrides guard.provenance for this upstream"),
    ignoreRules: z.array(z.string()).default([]).describe("scanner rule ids never applied to this upstream (added to guard.ignoreRules)"),
  })
  .strict();

export const guardSchema = z
  .object({
    enabled: z.boolean().default(true).describe("scan and pin upstream definitions before they are exposed"),
    policy: guardPolicy.default("block").describe("warn: expose, log and count findings; block: also hide definitions with findings at or above blockAt and refuse calls to them"),
    warnAt: severity.default("medium").describe("findings at or above this severity are logged as warnings and counted"),
    blockAt: severity.default("high").describe("under policy block, a finding at or above this severity blocks its definition"),
    lockFile: z.string().min(1).default("sapper.lock.json").describe("pin lock file (`sapper pin`), relative to the config file; pinning is off while it does not exist"),
    onChange: guardPolicy.default("block").describe("a pinned definition whose hash changed: block (hidden until `sapper pin --approve`) or only warn"),
    onNew: guardPolicy.default("warn").describe("a definition of a pinned upstream that is not in the lock file: warn, or block until pinned"),
    provenance: provenanceMode.default("registry").describe("package checks for npx/uvx/docker upstreams: off, command line only (offline), or also npm registry metadata"),
    ignoreRules: z.array(z.string()).default([]).describe("scanner rule ids never applied"),
    rulesFile: z.string().optional().describe("a rule file used instead of the bundled rules/poisoning-rules.v1.json (relative to the config file)"),
  })
  .strict();

const upstreamCommon = {
  prefix: z
    .union([name, z.literal(false)])
    .optional()
    .describe("namespace prefix for tools and prompts (default: the upstream's name); false = none, allowed only for a single upstream. A name two upstreams would both expose (prefixes `git` and `git__hub`) is served by the first in config order, and the clash is logged when it appears (once, not at every reload while it lasts)"),
  tools: toolFilter,
  timeoutMs: z.number().int().min(100).default(60_000).describe("request timeout towards this upstream"),
  startTimeoutMs: z.number().int().min(100).default(30_000).describe("time allowed to start and initialize"),
  maxQueue: z.number().int().min(0).default(1_000).describe("requests waiting for a free slot before overload errors"),
  maxInFlight: z.number().int().min(1).default(256).describe("concurrent requests per connection"),
  guard: upstreamGuard.optional().describe("supply-chain guard settings for this upstream, over the top-level guard"),
};

export const stdioUpstreamSchema = z
  .object({
    transport: z.literal("stdio"),
    command: z.string().min(1).describe("executable to spawn"),
    args: z.array(z.string()).default([]).describe("arguments for the command"),
    env: z.record(z.string(), z.string()).default({}).describe("environment for the child (merged over a minimal base)"),
    inheritEnv: z.boolean().default(false).describe("pass the gateway's whole environment to the child"),
    cwd: z.string().optional().describe("working directory of the child"),
    isolation: z.enum(["shared"]).default("shared").describe("process sharing: one warm pool for all sessions"),
    poolSize: z.number().int().min(1).max(64).default(1).describe("warm processes in the pool"),
    restart,
    ...upstreamCommon,
  })
  .strict();

export const httpUpstreamSchema = z
  .object({
    transport: z.enum(["streamable-http", "sse"]),
    url: z.string().url().describe("the upstream's MCP endpoint (Streamable HTTP) or SSE stream URL (legacy)"),
    headers: z.record(z.string(), z.string()).default({}).describe("sent on every upstream request (credentials go here)"),
    ...upstreamCommon,
  })
  .strict();

export const upstreamSchema = z.discriminatedUnion("transport", [stdioUpstreamSchema, httpUpstreamSchema]);

export const serverSchema = z
  .object({
    host: z.string().optional().describe("bind address (default: 0.0.0.0 inside a container, 127.0.0.1 elsewhere)"),
    port: z.number().int().min(0).max(65535).default(8080).describe("TCP port; 0 picks a free one"),
    path: z.string().startsWith("/").default("/mcp").describe("the MCP endpoint"),
    publicUrl: z.string().url().optional().describe("the URL clients use (behind a proxy)"),
    allowedHosts: z.array(z.string()).default([]).describe("extra Host header values accepted (localhost names are always)"),
    allowedOrigins: z.array(z.string()).default([]).describe("Origin values accepted from browsers; none by default"),
    maxBodyBytes: z.number().int().min(1024).default(4 * 1024 * 1024).describe("larger POST bodies are refused with 413"),
    maxJsonDepth: z.number().int().min(8).default(64).describe("deeper JSON bodies are refused"),
    requestTimeoutMs: z.number().int().min(100).default(120_000).describe("total time for one downstream request"),
    sessionTtlMs: z.number().int().min(1_000).default(30 * 60_000).describe("idle sessions expire after this"),
    maxSessions: z.number().int().min(1).default(10_000).describe("open sessions on this replica; more are refused with 503"),
    pageSize: z.number().int().min(1).max(10_000).default(100).describe("items per page of aggregated lists"),
    shutdownGraceMs: z.number().int().min(0).default(10_000).describe("time to finish in-flight work on SIGTERM"),
    keepAliveMs: z.number().int().min(0).default(15_000).describe("SSE comment interval; 0 disables"),
    legacySse: z
      .object({
        enabled: z.boolean().default(false).describe("serve the deprecated HTTP+SSE transport for old clients"),
        path: z.string().startsWith("/").default("/sse").describe("GET opens the legacy event stream"),
        messagesPath: z.string().startsWith("/").default("/messages").describe("legacy clients POST their messages here"),
      })
      .strict()
      .default({ enabled: false, path: "/sse", messagesPath: "/messages" }),
  })
  .strict();

export const configSchema = z
  .object({
    server: serverSchema.default(() => serverSchema.parse({})),
    namespacing: z
      .object({
        separator: z.string().min(1).max(4).regex(/^[A-Za-z0-9_.\-/]+$/).default("__").describe("between prefix and name"),
      })
      .strict()
      .default({ separator: "__" }),
    upstreams: z
      .record(name, upstreamSchema)
      .refine((u) => Object.keys(u).length > 0, "at least one upstream is needed")
      .refine(
        (u) => Object.keys(u).length === 1 || Object.values(u).every((s) => s.prefix !== false),
        "prefix: false is only allowed with a single upstream (otherwise names could collide)",
      )
      .refine(
        (u) => new Set(Object.entries(u).map(([k, s]) => s.prefix || k)).size === Object.keys(u).length,
        "two upstreams use the same prefix (names would collide)",
      ),
    logging: z
      .object({
        level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
      })
      .strict()
      .default({ level: "info" }),
    guard: guardSchema.default(() => guardSchema.parse({})).describe("supply-chain guard: poisoning scanner, pins, package provenance"),
  })
  .strict();

export type SapperConfig = z.infer<typeof configSchema>;
export type ServerConfig = z.infer<typeof serverSchema>;
export type UpstreamSpec = z.infer<typeof upstreamSchema>;
export type StdioUpstreamSpec = z.infer<typeof stdioUpstreamSchema>;
export type HttpUpstreamSpec = z.infer<typeof httpUpstreamSchema>;
export type GuardConfig = z.infer<typeof guardSchema>;
export type UpstreamGuardConfig = z.infer<typeof upstreamGuard>;
