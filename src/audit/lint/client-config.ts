// MCP client configuration files (mcp.json, .mcp.json, claude_desktop_config.json, .vscode/mcp.json,
// .cursor/mcp.json): packages run with npx/uvx/docker are pinned, secrets come from ${env:…} or
// ${input:…} instead of being written inline, and `docker run` of a stdio server keeps stdin open (-i).
import { maskSecretValue } from "../redactor.js";
import type { LintFinding, LintRule } from "./lint-rule.js";
import { isRecord, type Repo } from "./repo.js";

export interface ClientServer {
  file: string;
  name: string;
  line: number | undefined;
  command: string | undefined;
  args: string[];
  env: Record<string, string>;
  headers: Record<string, string>;
  url: string | undefined;
}

const CONFIG_NAMES = new Set(["mcp.json", ".mcp.json", "claude_desktop_config.json", "mcp_config.json"]);

/** Removes // and /* comments and trailing commas (VS Code's JSONC), leaving strings intact. */
export function stripJsonc(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === "\\") out += text[++i] ?? "";
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (ch === "/" && text[i + 1] === "*") {
      i += 2;
      while (i < text.length && !(text[i] === "*" && text[i + 1] === "/")) {
        if (text[i] === "\n") out += "\n";
        i++;
      }
      i++;
    } else {
      out += ch;
    }
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

function stringRecord(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

export function clientServers(repo: Repo): ClientServer[] {
  const files = repo.find((f, base) => CONFIG_NAMES.has(base) || /(^|\/)\.(vscode|cursor)\/mcp\.json$/.test(f));
  const out: ClientServer[] = [];
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(stripJsonc(repo.read(file) ?? ""));
    } catch {
      continue;
    }
    if (!isRecord(parsed)) continue;
    const servers = parsed.mcpServers ?? parsed.servers ?? (isRecord(parsed.mcp) ? parsed.mcp.servers : undefined);
    if (!isRecord(servers)) continue;
    for (const [name, spec] of Object.entries(servers)) {
      if (!isRecord(spec)) continue;
      out.push({
        file,
        name,
        line: repo.lineMatching(file, new RegExp(`"${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"\\s*:`)),
        command: typeof spec.command === "string" ? spec.command : undefined,
        args: Array.isArray(spec.args) ? spec.args.map(String) : [],
        env: stringRecord(spec.env),
        headers: stringRecord(spec.headers),
        url: typeof spec.url === "string" ? spec.url : typeof spec.serverUrl === "string" ? spec.serverUrl : undefined,
      });
    }
  }
  return out;
}

function location(s: ClientServer): { file: string; line?: number } {
  return s.line ? { file: s.file, line: s.line } : { file: s.file };
}

const NPM_SEMVER_EXACT = /^(@[^/@]+\/)?[^@/]+@\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/;
const PY_EXACT = /^[A-Za-z0-9_.\-[\],]+(==|@)\d+(\.\d+)*([a-z0-9.+-]*)$/i;
const DOCKER_FLAGS_WITH_VALUE = new Set(["-e", "--env", "-v", "--volume", "--name", "-p", "--publish", "--network", "--mount", "-w", "--workdir", "--entrypoint", "-u", "--user", "--platform", "--env-file", "-l", "--label", "--add-host", "--cpus", "-m", "--memory", "--pull", "--hostname", "-h", "--cap-add", "--cap-drop", "--security-opt", "--tmpfs", "--device", "--restart", "--log-driver"]);

/** The package (or image) a launcher command runs, and whether it is pinned to an exact version. */
export function launchedPackage(command: string, args: string[]): { launcher: string; pkg: string; pinned: boolean } | undefined {
  const cmd = command.split("/").pop()!.replace(/\.(cmd|exe)$/i, "");
  let launcher = cmd;
  let rest = args;
  if ((cmd === "pnpm" || cmd === "yarn") && args[0] === "dlx") [launcher, rest] = [`${cmd} dlx`, args.slice(1)];
  else if (cmd === "npm" && args[0] === "exec") [launcher, rest] = ["npm exec", args.slice(1)];
  else if (cmd === "uv" && args[0] === "tool" && args[1] === "run") [launcher, rest] = ["uvx", args.slice(2)];
  else if (cmd === "pipx" && args[0] === "run") [launcher, rest] = ["pipx run", args.slice(1)];
  else if (cmd === "docker" || cmd === "podman") {
    const run = args.indexOf("run");
    if (run === -1) return undefined;
    for (let i = run + 1; i < args.length; i++) {
      const a = args[i]!;
      if (DOCKER_FLAGS_WITH_VALUE.has(a)) {
        i++;
        continue;
      }
      if (a.startsWith("-")) continue;
      const tag = /:([^/:@]+)$/.exec(a)?.[1];
      return { launcher: "docker run", pkg: a, pinned: a.includes("@sha256:") || (tag !== undefined && tag !== "latest") };
    }
    return undefined;
  }
  const npmLike = ["npx", "bunx", "pnpm dlx", "yarn dlx", "npm exec"].includes(launcher);
  const pyLike = ["uvx", "pipx run"].includes(launcher);
  if (!npmLike && !pyLike) return undefined;
  let pkg: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === "-p" || a === "--package" || a === "--from" || a === "--spec") {
      pkg = rest[i + 1];
      break;
    }
    const eq = /^--(package|from|spec)=(.+)$/.exec(a);
    if (eq) {
      pkg = eq[2];
      break;
    }
    if (a === "--") continue;
    if (a.startsWith("-")) continue;
    pkg = a;
    break;
  }
  if (!pkg) return undefined;
  return { launcher, pkg, pinned: npmLike ? NPM_SEMVER_EXACT.test(pkg) : PY_EXACT.test(pkg) };
}

export const unpinnedPackage: LintRule = {
  meta: {
    id: "client-config.unpinned-package",
    family: "client-config",
    title: "Launched packages pinned",
    severity: "high",
    checklist: [15],
    description: "Servers started with npx, bunx, pnpm/yarn dlx, uvx, pipx or docker run name an exact version (or image digest), not whatever is newest.",
    fix: "Pin the exact version (`npx -y @scope/server@1.4.2`, `uvx server==1.4.2`, `docker run … image@sha256:…`) and update it deliberately.",
  },
  appliesTo: "MCP client config launching a package",
  run(repo) {
    const out: LintFinding[] = [];
    for (const s of clientServers(repo)) {
      if (!s.command) continue;
      const launched = launchedPackage(s.command, s.args);
      if (!launched) continue;
      const data = { server: s.name, launcher: launched.launcher, package: launched.pkg };
      if (launched.pinned) out.push({ status: "pass", summary: `${s.name}: ${launched.launcher} ${launched.pkg} is pinned`, location: location(s), data });
      else
        out.push({
          status: launched.launcher === "docker run" ? "warn" : "fail",
          summary: `${s.name}: ${launched.launcher} ${launched.pkg} is not pinned to an exact version; every start may run new code`,
          location: location(s),
          data,
        });
    }
    return out;
  },
};

const SECRET_KEY = /(token|secret|passw(or)?d|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth)/i;
const KNOWN_TOKEN = /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|sk-(ant-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35})\b/;
const REFERENCE = /\$\{(env|input|secret)?:?[^}]+\}|^\$[A-Z_][A-Z0-9_]*$/;
const PLACEHOLDER = /^(<[^>]*>|your[_-].*|\.\.\.|x{3,}|\*+|changeme|todo|replace[_-]?me.*|)$/i;

/** Whether a literal value in a config is a secret that should have been a reference. */
export function isInlineSecret(key: string, value: string): boolean {
  if (KNOWN_TOKEN.test(value)) return true;
  if (REFERENCE.test(value) || PLACEHOLDER.test(value.trim())) return false;
  const bearer = /^(Bearer|Basic|token)\s+(.+)$/i.exec(value);
  if (bearer) return !REFERENCE.test(bearer[2]!) && !PLACEHOLDER.test(bearer[2]!.trim());
  return SECRET_KEY.test(key) && value.length >= 8;
}

export const inlineSecret: LintRule = {
  meta: {
    id: "client-config.inline-secret",
    family: "client-config",
    title: "No inline secrets",
    severity: "critical",
    checklist: [15],
    description: "Tokens, keys and passwords in env, headers, args or URLs are references (${env:VAR}, ${input:id}), never literal values committed to the repository.",
    fix: "Replace the literal with ${env:VAR} (or a VS Code ${input:…} prompt), revoke the exposed secret, and remove it from the history.",
  },
  appliesTo: "MCP client config",
  run(repo) {
    const out: LintFinding[] = [];
    for (const s of clientServers(repo)) {
      const hits: string[] = [];
      for (const [k, v] of Object.entries(s.env)) if (isInlineSecret(k, v)) hits.push(`env.${k} = ${maskSecretValue(v)}`);
      for (const [k, v] of Object.entries(s.headers)) if (isInlineSecret(k, v)) hits.push(`headers.${k} = ${maskSecretValue(v.replace(/^(Bearer|Basic|token)\s+/i, ""))}`);
      s.args.forEach((a, i) => {
        const flag = /^--?([\w-]+)=(.+)$/.exec(a);
        const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(a);
        if (flag && isInlineSecret(flag[1]!, flag[2]!)) hits.push(`args[${i}] --${flag[1]}=${maskSecretValue(flag[2]!)}`);
        else if (assignment && isInlineSecret(assignment[1]!, assignment[2]!)) hits.push(`args[${i}] ${assignment[1]}=${maskSecretValue(assignment[2]!)}`);
        else if (KNOWN_TOKEN.test(a)) hits.push(`args[${i}] = ${maskSecretValue(a)}`);
        else if (i > 0 && /^--?[\w-]+$/.test(s.args[i - 1]!) && SECRET_KEY.test(s.args[i - 1]!) && isInlineSecret(s.args[i - 1]!, a)) hits.push(`args[${i}] after ${s.args[i - 1]} = ${maskSecretValue(a)}`);
      });
      if (s.url) {
        try {
          for (const [k, v] of new URL(s.url).searchParams) if (isInlineSecret(k, v)) hits.push(`url ?${k}=${maskSecretValue(v)}`);
        } catch {
          if (KNOWN_TOKEN.test(s.url)) hits.push("url contains a token");
        }
      }
      if (hits.length) out.push({ status: "fail", summary: `${s.name}: secret written inline: ${hits.join("; ")}`, location: location(s), data: { server: s.name, values: hits } });
      else out.push({ status: "pass", summary: `${s.name}: no inline secrets`, location: location(s) });
    }
    return out;
  },
};

export const dockerInteractive: LintRule = {
  meta: {
    id: "client-config.docker-interactive",
    family: "client-config",
    title: "docker run -i for stdio servers",
    severity: "high",
    checklist: [13],
    description: "A stdio server launched with `docker run` keeps stdin open (-i); without it the server reads EOF and exits at once.",
    fix: "Add -i (and --rm) to the docker run arguments: [\"run\", \"-i\", \"--rm\", \"image@sha256:…\"].",
  },
  appliesTo: "MCP client config running docker",
  run(repo) {
    const out: LintFinding[] = [];
    for (const s of clientServers(repo)) {
      if (!s.command || !/(^|\/)(docker|podman)$/.test(s.command) || !s.args.includes("run") || s.url) continue;
      const run = s.args.indexOf("run");
      const flags = s.args.slice(run + 1);
      const interactive = flags.some((a) => a === "--interactive" || a === "--interactive=true" || /^-[a-zA-Z]*i[a-zA-Z]*$/.test(a));
      if (interactive) out.push({ status: "pass", summary: `${s.name}: docker run keeps stdin open (-i)`, location: location(s) });
      else out.push({ status: "fail", summary: `${s.name}: docker run without -i: the stdio server gets EOF and exits`, location: location(s), data: { args: s.args.map((a) => (KNOWN_TOKEN.test(a) ? maskSecretValue(a) : a)) } });
    }
    return out;
  },
};

export const clientConfigRules: LintRule[] = [unpinnedPackage, inlineSecret, dockerInteractive];
