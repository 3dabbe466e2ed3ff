// Compose rules: a published port maps to the port the service really listens on, and a service that
// publishes ports has a health check (in the compose file or its image).
import { posix } from "node:path";
import { declaredPorts, dockerfiles, type Dockerfile } from "./dockerfile.js";
import type { LintFinding, LintRule } from "./lint-rule.js";
import { isRecord, type Repo, type YamlDoc } from "./repo.js";

export interface PortMapping {
  published?: number;
  target: number;
  raw: string;
}

/** Parses compose `ports` entries, short ("127.0.0.1:8080:3000/tcp") and long ({target, published}) syntax. */
export function parsePorts(ports: unknown): PortMapping[] {
  if (!Array.isArray(ports)) return [];
  const out: PortMapping[] = [];
  for (const p of ports) {
    if (typeof p === "number") out.push({ target: p, raw: String(p) });
    else if (typeof p === "string") {
      const noProto = p.replace(/\/(tcp|udp)$/i, "");
      if (noProto.includes("-")) continue;
      const parts = noProto.split(":");
      const target = Number(parts[parts.length - 1]);
      const published = parts.length >= 2 ? Number(parts[parts.length - 2]) : undefined;
      if (!Number.isInteger(target)) continue;
      out.push(published !== undefined && Number.isInteger(published) ? { target, published, raw: p } : { target, raw: p });
    } else if (isRecord(p) && p.target !== undefined) {
      const target = Number(p.target);
      const published = p.published !== undefined ? Number(p.published) : undefined;
      if (Number.isInteger(target)) out.push(published !== undefined && Number.isInteger(published) ? { target, published, raw: JSON.stringify(p) } : { target, raw: JSON.stringify(p) });
    }
  }
  return out;
}

export function composeFiles(repo: Repo): YamlDoc[] {
  return repo
    .find((_, base) => /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/i.test(base))
    .flatMap((f) => repo.yamlDocs(f))
    .filter((d) => isRecord(d.value) && isRecord(d.value.services));
}

interface Service {
  doc: YamlDoc;
  name: string;
  spec: Record<string, unknown>;
}

function services(repo: Repo): Service[] {
  return composeFiles(repo).flatMap((doc) =>
    Object.entries((doc.value as { services: Record<string, unknown> }).services)
      .filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]))
      .map(([name, spec]) => ({ doc, name, spec })),
  );
}

function words(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join(" ");
  return typeof v === "string" ? v : "";
}

function envPort(env: unknown): number | undefined {
  if (isRecord(env) && env.PORT !== undefined) return Number(env.PORT);
  if (Array.isArray(env)) {
    const e = env.map(String).find((x) => x.startsWith("PORT="));
    if (e) return Number(e.slice(5));
  }
  return undefined;
}

/** The Dockerfile a service builds from, if it is in the repository. */
function buildDockerfile(repo: Repo, composeFile: string, spec: Record<string, unknown>, all: Dockerfile[]): Dockerfile | undefined {
  const build = spec.build;
  if (build === undefined) return undefined;
  const context = typeof build === "string" ? build : isRecord(build) && typeof build.context === "string" ? build.context : ".";
  const name = isRecord(build) && typeof build.dockerfile === "string" ? build.dockerfile : "Dockerfile";
  const path = posix.normalize(posix.join(posix.dirname(composeFile), context, name));
  return all.find((d) => d.file === path);
}

/** Where the service's listening port comes from, most authoritative first. */
function listeningPorts(repo: Repo, s: Service, all: Dockerfile[]): { ports: number[]; source: string } | undefined {
  const cmdPort = /--port[= ](\d+)/.exec(words(s.spec.command))?.[1];
  if (cmdPort) return { ports: [Number(cmdPort)], source: "its command (--port)" };
  const env = envPort(s.spec.environment);
  if (env !== undefined && Number.isInteger(env)) return { ports: [env], source: "its PORT variable" };
  const df = buildDockerfile(repo, s.doc.file, s.spec, all);
  if (df) {
    const ports = declaredPorts(df);
    if (ports.length) return { ports, source: df.file };
  }
  return undefined;
}

export const portMapping: LintRule = {
  meta: {
    id: "compose.port-mapping",
    family: "compose",
    title: "Port mapping matches the listening port",
    severity: "high",
    checklist: [13],
    description: "Each `ports` entry (host:container) maps to the port the service listens on (its --port, PORT or image).",
    fix: "Make the container side of `ports` the port the server listens on (e.g. \"8080:8080\" for a server started with --port 8080).",
  },
  appliesTo: "compose service publishing ports",
  run(repo) {
    const all = dockerfiles(repo);
    const out: LintFinding[] = [];
    for (const s of services(repo)) {
      const mappings = parsePorts(s.spec.ports);
      if (!mappings.length) continue;
      const line = s.doc.lineOf(["services", s.name, "ports"]);
      const listening = listeningPorts(repo, s, all);
      if (!listening) {
        out.push({ status: "pass", summary: `service ${s.name}: listening port unknown (no --port, PORT or Dockerfile); mapping ${mappings.map((m) => m.raw).join(", ")} not verified`, location: { file: s.doc.file, line } });
        continue;
      }
      const wrong = mappings.filter((m) => !listening.ports.includes(m.target));
      const data = { service: s.name, mappings: mappings.map((m) => m.raw), listening: listening.ports };
      if (wrong.length) {
        out.push({
          status: "fail",
          summary: `service ${s.name} maps ${wrong.map((m) => m.raw).join(", ")} but listens on ${listening.ports.join(", ")} (from ${listening.source})`,
          location: { file: s.doc.file, line },
          data,
        });
      } else {
        out.push({ status: "pass", summary: `service ${s.name}: ${mappings.map((m) => m.raw).join(", ")} reaches port ${listening.ports.join(", ")}`, location: { file: s.doc.file, line }, data });
      }
    }
    return out;
  },
};

export const composeHealthcheck: LintRule = {
  meta: {
    id: "compose.healthcheck",
    family: "compose",
    title: "Published services have a health check",
    severity: "low",
    checklist: [13],
    description: "A service publishing ports has a healthcheck (in the compose file or its image) that probes the port it listens on.",
    fix: "Add `healthcheck: {test: [\"CMD\", \"wget\", \"-qO-\", \"http://127.0.0.1:8080/healthz\"]}` (or a HEALTHCHECK in the image) so dependants wait for readiness.",
  },
  appliesTo: "compose service publishing ports",
  run(repo) {
    const all = dockerfiles(repo);
    const out: LintFinding[] = [];
    for (const s of services(repo)) {
      if (!parsePorts(s.spec.ports).length) continue;
      const hc = s.spec.healthcheck;
      const line = s.doc.lineOf(["services", s.name]);
      if (isRecord(hc) && hc.disable === true) {
        out.push({ status: "warn", summary: `service ${s.name}: healthcheck disabled`, location: { file: s.doc.file, line: s.doc.lineOf(["services", s.name, "healthcheck"]) } });
        continue;
      }
      if (isRecord(hc) && hc.test !== undefined) {
        const hcPort = /(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):(\d+)/.exec(words(hc.test))?.[1];
        const listening = listeningPorts(repo, s, all);
        if (hcPort && listening && !listening.ports.includes(Number(hcPort))) {
          out.push({ status: "fail", summary: `service ${s.name}: the healthcheck probes port ${hcPort} but the service listens on ${listening.ports.join(", ")}`, location: { file: s.doc.file, line: s.doc.lineOf(["services", s.name, "healthcheck"]) } });
        } else {
          out.push({ status: "pass", summary: `service ${s.name}: healthcheck defined`, location: { file: s.doc.file, line: s.doc.lineOf(["services", s.name, "healthcheck"]) } });
        }
        continue;
      }
      const df = buildDockerfile(repo, s.doc.file, s.spec, all);
      if (df?.final.some((x) => x.keyword === "HEALTHCHECK" && !/^NONE\b/i.test(x.args))) {
        out.push({ status: "pass", summary: `service ${s.name}: its image (${df.file}) declares a HEALTHCHECK`, location: { file: s.doc.file, line } });
        continue;
      }
      out.push({ status: "warn", summary: `service ${s.name} publishes ports but has no healthcheck`, location: { file: s.doc.file, line } });
    }
    return out;
  },
};

export const composeRules: LintRule[] = [portMapping, composeHealthcheck];
