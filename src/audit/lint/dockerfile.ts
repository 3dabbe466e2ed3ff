// Dockerfile rules: the final image runs as a non-root user, an HTTP server binds a reachable address,
// has a HEALTHCHECK, and starts from a pinned base image. Stdio images (no EXPOSE, a stdio command)
// are recognised and spared the HTTP rules.
import type { LintFinding, LintRule } from "./lint-rule.js";
import type { Repo } from "./repo.js";

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Dockerfile {
  file: string;
  /** Instructions of the final stage (after the last FROM), FROM included. */
  final: Instruction[];
  all: Instruction[];
}

/** Parses instructions, joining continuation lines and dropping comments. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    const start = i;
    let line = lines[i]!;
    i++;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i < lines.length) {
      const next = lines[i]!;
      i++;
      if (/^\s*#/.test(next)) continue;
      line = line.replace(/\\\s*$/, " ") + next;
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(line);
    if (m) out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start + 1 });
  }
  return out;
}

export function dockerfiles(repo: Repo): Dockerfile[] {
  return repo
    .find((_, base) => /^(Dockerfile|Containerfile)(\..+)?$/.test(base) || /\.(Dockerfile|dockerfile)$/.test(base))
    .map((file) => {
      const all = parseDockerfile(repo.read(file) ?? "");
      const lastFrom = all.map((x) => x.keyword).lastIndexOf("FROM");
      return { file, all, final: lastFrom === -1 ? all : all.slice(lastFrom) };
    });
}

/** The words of a CMD/ENTRYPOINT/RUN argument, JSON (exec) form or shell form. */
export function commandWords(args: string): string[] {
  if (args.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(args);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      /* shell form after all */
    }
  }
  return args.split(/\s+/).filter(Boolean);
}

function startCommand(d: Dockerfile): { text: string; line: number } | undefined {
  const parts = d.final.filter((x) => x.keyword === "ENTRYPOINT" || x.keyword === "CMD");
  if (!parts.length) return undefined;
  const entry = [...parts].reverse().find((x) => x.keyword === "ENTRYPOINT");
  const cmd = [...parts].reverse().find((x) => x.keyword === "CMD");
  const text = [entry, cmd].filter((x): x is Instruction => x !== undefined).map((x) => commandWords(x.args).join(" ")).join(" ");
  return { text, line: (cmd ?? entry)!.line };
}

/** HTTP when it EXPOSEs a port or its command names an HTTP transport or a port; stdio otherwise. */
export function imageKind(d: Dockerfile): "http" | "stdio" {
  if (d.final.some((x) => x.keyword === "EXPOSE")) return "http";
  const cmd = startCommand(d)?.text ?? "";
  if (/\b(streamable-?http|--port|--listen|serve\b|\bsse\b|http)/i.test(cmd) && !/\bstdio\b/i.test(cmd)) return "http";
  return "stdio";
}

/** Ports the image says it listens on (EXPOSE, --port in its command, PORT in ENV). */
export function declaredPorts(d: Dockerfile): number[] {
  const ports = new Set<number>();
  for (const x of d.final) {
    if (x.keyword === "EXPOSE") for (const p of x.args.split(/\s+/)) if (/^\d+/.test(p)) ports.add(Number.parseInt(p, 10));
    if (x.keyword === "ENV") {
      const m = /\bPORT[= ]\s*"?(\d+)/.exec(x.args);
      if (m) ports.add(Number(m[1]));
    }
  }
  const cmdPort = /--port[= ](\d+)/.exec(startCommand(d)?.text ?? "");
  if (cmdPort) ports.add(Number(cmdPort[1]));
  return [...ports];
}

const LOOPBACK_BIND = /(--host|--bind|--listen|--hostname|-H|-b|HOST|BIND_ADDRESS|LISTEN_ADDRESS|HOSTNAME)[= ]\s*"?(127\.0\.0\.1|localhost|::1|\[::1\])\b/i;
const ALL_BIND = /(--host|--bind|--listen|--hostname|-H|-b|HOST|BIND_ADDRESS|LISTEN_ADDRESS)[= ]\s*"?(0\.0\.0\.0|::|\[::\])(?![\d.])/i;

export const nonRoot: LintRule = {
  meta: {
    id: "dockerfile.non-root",
    family: "dockerfile",
    title: "Runs as non-root",
    severity: "high",
    checklist: [13],
    description: "The final stage switches to a non-root USER (or uses a distroless :nonroot base).",
    fix: "Add `USER node` (or another unprivileged user, e.g. `USER 10001`) after installing packages in the final stage.",
  },
  appliesTo: "Dockerfile",
  run(repo) {
    return dockerfiles(repo).map((d): LintFinding => {
      const from = d.final.find((x) => x.keyword === "FROM");
      const user = [...d.final].reverse().find((x) => x.keyword === "USER");
      if (user) {
        const name = user.args.split(":")[0]!.trim();
        if (name === "root" || name === "0") return { status: "fail", summary: `the final stage runs as ${user.args}`, location: { file: d.file, line: user.line } };
        return { status: "pass", summary: `runs as ${user.args}`, location: { file: d.file, line: user.line } };
      }
      if (from && /:nonroot\b|-nonroot\b/.test(from.args)) return { status: "pass", summary: `base image ${from.args} runs as nonroot`, location: { file: d.file, line: from.line } };
      const loc = from ? { file: d.file, line: from.line } : { file: d.file };
      return { status: "fail", summary: "no USER in the final stage: the container runs as root", location: loc };
    });
  },
};

export const bindAddress: LintRule = {
  meta: {
    id: "dockerfile.bind-address",
    family: "dockerfile",
    title: "HTTP server binds a reachable address",
    severity: "medium",
    checklist: [13],
    description: "An HTTP image does not bind 127.0.0.1 (unreachable from outside the container) and says explicitly that it listens on 0.0.0.0.",
    fix: "Start the server with `--host 0.0.0.0` (or HOST=0.0.0.0); protect it with auth and Host/Origin checks instead of a loopback bind.",
  },
  appliesTo: "Dockerfile of an HTTP server",
  run(repo) {
    return dockerfiles(repo)
      .filter((d) => imageKind(d) === "http")
      .map((d): LintFinding => {
        const relevant = d.final.filter((x) => ["ENV", "ARG", "CMD", "ENTRYPOINT"].includes(x.keyword));
        const loopback = relevant.find((x) => LOOPBACK_BIND.test(x.keyword === "CMD" || x.keyword === "ENTRYPOINT" ? commandWords(x.args).join(" ") : x.args));
        if (loopback) return { status: "fail", summary: `binds a loopback address (${LOOPBACK_BIND.exec(commandWords(loopback.args).join(" "))?.[0] ?? loopback.args}): unreachable from outside the container`, location: { file: d.file, line: loopback.line } };
        const all = relevant.find((x) => ALL_BIND.test(x.keyword === "CMD" || x.keyword === "ENTRYPOINT" ? commandWords(x.args).join(" ") : x.args));
        if (all) return { status: "pass", summary: "listens on all interfaces", location: { file: d.file, line: all.line } };
        return { status: "warn", summary: "no explicit bind address: many MCP servers default to 127.0.0.1, which is unreachable from outside the container", location: { file: d.file } };
      });
  },
};

export const healthcheck: LintRule = {
  meta: {
    id: "dockerfile.healthcheck",
    family: "dockerfile",
    title: "HTTP image has a HEALTHCHECK",
    severity: "low",
    checklist: [13],
    description: "An HTTP image declares a HEALTHCHECK so Docker and compose know when it is ready or stuck.",
    fix: "Add e.g. `HEALTHCHECK CMD wget -qO- http://127.0.0.1:8080/healthz || exit 1` (Kubernetes uses probes instead).",
  },
  appliesTo: "Dockerfile of an HTTP server",
  run(repo) {
    return dockerfiles(repo)
      .filter((d) => imageKind(d) === "http")
      .map((d): LintFinding => {
        const hc = d.final.find((x) => x.keyword === "HEALTHCHECK");
        if (!hc) return { status: "warn", summary: "no HEALTHCHECK in the final stage", location: { file: d.file } };
        if (/^NONE\b/i.test(hc.args)) return { status: "warn", summary: "HEALTHCHECK NONE disables the health check", location: { file: d.file, line: hc.line } };
        return { status: "pass", summary: "HEALTHCHECK declared", location: { file: d.file, line: hc.line } };
      });
  },
};

export const basePinned: LintRule = {
  meta: {
    id: "dockerfile.base-image-pinned",
    family: "dockerfile",
    title: "Base images pinned",
    severity: "low",
    checklist: [15],
    description: "Every FROM names a version tag or a digest, not `latest` or nothing.",
    fix: "Pin base images to a version tag (node:20.19-slim) or, better, a digest (node@sha256:…).",
  },
  appliesTo: "Dockerfile",
  run(repo) {
    return dockerfiles(repo).map((d): LintFinding => {
      const stageNames = new Set(d.all.filter((x) => x.keyword === "FROM").map((x) => /\bAS\s+(\S+)/i.exec(x.args)?.[1]?.toLowerCase()).filter(Boolean));
      const unpinned = d.all.filter((x) => {
        if (x.keyword !== "FROM") return false;
        const image = x.args.split(/\s+/).find((w) => !w.startsWith("--"))!;
        if (stageNames.has(image.toLowerCase()) || image === "scratch" || image.includes("$")) return false;
        if (image.includes("@sha256:")) return false;
        const tag = /:([^/:]+)$/.exec(image)?.[1];
        return tag === undefined || tag === "latest";
      });
      if (unpinned.length) return { status: "warn", summary: `unpinned base image: ${unpinned.map((x) => x.args).join(", ")}`, location: { file: d.file, line: unpinned[0]!.line } };
      return { status: "pass", summary: "base images are pinned", location: { file: d.file } };
    });
  },
};

export const dockerfileRules: LintRule[] = [nonRoot, bindAddress, healthcheck, basePinned];
