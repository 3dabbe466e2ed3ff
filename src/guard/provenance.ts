// Package provenance for stdio upstreams launched through npx/uvx/docker: unpinned versions,
// look-alike names of official packages (rules/official-packages.v1.json), and, when the npm
// registry answers, packages that are brand new, have one version, or do not exist.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { SapperError } from "../errors.js";
import type { Severity } from "./severity.js";

export type Ecosystem = "npm" | "pypi" | "docker";

export interface PackageRef {
  ecosystem: Ecosystem;
  /** How it is launched: npx, uvx, docker, ... */
  launcher: string;
  name: string;
  /** The version, tag or range asked for; undefined when none is. */
  version: string | undefined;
  /** A docker image digest (sha256:...), when pinned by digest. */
  digest?: string;
  /** The package argument as written. */
  spec: string;
  /** Installed from a URL, a git repository or a local path rather than a registry. */
  unregistered?: boolean;
}

export interface ProvenanceFinding {
  rule: string;
  severity: Severity;
  package: string;
  message: string;
}

export const DEFAULT_OFFICIAL_PACKAGES_PATH = fileURLToPath(new URL("../../rules/official-packages.v1.json", import.meta.url));

const officialFileSchema = z
  .object({
    $comment: z.string().optional(),
    name: z.string(),
    version: z.string(),
    npm: z.array(z.string()),
    pypi: z.array(z.string()),
    docker: z.array(z.string()),
  })
  .strict();

export type OfficialPackages = Record<Ecosystem, readonly string[]>;

export function loadOfficialPackages(path: string = DEFAULT_OFFICIAL_PACKAGES_PATH): OfficialPackages {
  try {
    const parsed = officialFileSchema.parse(JSON.parse(readFileSync(path, "utf8")));
    return { npm: parsed.npm, pypi: parsed.pypi, docker: parsed.docker };
  } catch (err) {
    throw new SapperError("SAPPER_RULES_INVALID", `cannot read the official package list ${path}: ${(err as Error).message}`);
  }
}

// --- Parsing launch commands.
const NPX_VALUE_FLAGS = new Set(["-p", "--package", "--registry", "--cache", "--userconfig", "-c", "--call", "--node-options", "-w", "--workspace"]);
const UVX_VALUE_FLAGS = new Set(["--from", "--with", "--with-requirements", "--python", "-p", "--index", "--index-url", "--extra-index-url", "--default-index", "--directory", "--project", "--config-file", "--cache-dir", "--env-file"]);
const DOCKER_VALUE_FLAGS = new Set([
  "-e", "--env", "--env-file", "-v", "--volume", "--mount", "--name", "-p", "--publish", "--network", "--net", "-w", "--workdir",
  "--entrypoint", "-u", "--user", "--platform", "--pull", "-l", "--label", "--add-host", "--cpus", "-m", "--memory", "--hostname",
  "-h", "--cap-add", "--cap-drop", "--security-opt", "--device", "--dns", "--ipc", "--pid", "--runtime", "--shm-size", "--tmpfs",
  "--ulimit", "--gpus", "--log-driver", "--log-opt", "--restart", "--stop-signal", "--stop-timeout", "--init-path", "--group-add",
]);

function firstPositional(args: string[], valueFlags: Set<string>): { index: number; fromFlag?: string } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") return { index: i + 1 };
    if (a.startsWith("-")) {
      if (!a.includes("=") && valueFlags.has(a)) i++;
      continue;
    }
    return { index: i };
  }
  return { index: -1 };
}

function flagValue(args: string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const n of names) {
      if (a === n) return args[i + 1];
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

export function parseNpmSpec(spec: string, launcher: string): PackageRef {
  if (/^(?:git\+|git:|github:|gitlab:|bitbucket:|https?:|file:|\.{0,2}\/)/.test(spec) || /\.tgz$/.test(spec)) {
    return { ecosystem: "npm", launcher, name: spec, version: undefined, spec, unregistered: true };
  }
  const at = spec.startsWith("@") ? spec.indexOf("@", 1) : spec.indexOf("@");
  const name = at > 0 ? spec.slice(0, at) : spec;
  const version = at > 0 ? spec.slice(at + 1) : undefined;
  return { ecosystem: "npm", launcher, name, version: version || undefined, spec };
}

export function parsePypiSpec(spec: string, launcher: string): PackageRef {
  if (/^(?:git\+|https?:|file:|\.{0,2}\/)/.test(spec)) return { ecosystem: "pypi", launcher, name: spec, version: undefined, spec, unregistered: true };
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:(==|@)\s*([^\s,;]+)|((?:[<>~!]=?|===?)\s*[^;]+))?$/.exec(spec);
  if (!m) return { ecosystem: "pypi", launcher, name: spec, version: undefined, spec };
  return { ecosystem: "pypi", launcher, name: m[1]!.toLowerCase(), version: m[3] ?? m[4]?.trim(), spec };
}

export function parseDockerImage(image: string, launcher: string): PackageRef {
  const [ref, digest] = image.split("@") as [string, string | undefined];
  const lastSlash = ref.lastIndexOf("/");
  const colon = ref.indexOf(":", lastSlash + 1);
  const name = colon > 0 ? ref.slice(0, colon) : ref;
  const version = colon > 0 ? ref.slice(colon + 1) : undefined;
  return { ecosystem: "docker", launcher, name: name.replace(/^docker\.io\/(?:library\/)?/, ""), version, spec: image, ...(digest ? { digest } : {}) };
}

/** The package a stdio upstream launches, if it is launched through a package runner. */
export function parseLaunch(command: string, args: readonly string[]): PackageRef | undefined {
  const cmd = basename(command).replace(/\.(?:cmd|exe)$/, "");
  const a = [...args];
  if (cmd === "npx" || cmd === "bunx" || cmd === "pnpx" || ((cmd === "npm" || cmd === "pnpm" || cmd === "yarn" || cmd === "bun") && (a[0] === "exec" || a[0] === "dlx" || a[0] === "x"))) {
    const rest = cmd === "npx" || cmd === "bunx" || cmd === "pnpx" ? a : a.slice(1);
    const launcher = cmd === "npx" || cmd === "bunx" || cmd === "pnpx" ? cmd : `${cmd} ${a[0]}`;
    const pkg = flagValue(rest, ["-p", "--package"]);
    if (pkg) return parseNpmSpec(pkg, launcher);
    const { index } = firstPositional(rest, NPX_VALUE_FLAGS);
    return index >= 0 && index < rest.length ? parseNpmSpec(rest[index]!, launcher) : undefined;
  }
  if (cmd === "uvx" || cmd === "pipx" || (cmd === "uv" && a[0] === "tool" && a[1] === "run")) {
    const rest = cmd === "uv" ? a.slice(2) : cmd === "pipx" && a[0] === "run" ? a.slice(1) : a;
    const launcher = cmd === "uv" ? "uv tool run" : cmd;
    const from = flagValue(rest, ["--from", "--spec"]);
    if (from) return parsePypiSpec(from, launcher);
    const { index } = firstPositional(rest, UVX_VALUE_FLAGS);
    return index >= 0 && index < rest.length ? parsePypiSpec(rest[index]!, launcher) : undefined;
  }
  if ((cmd === "docker" || cmd === "podman") && (a[0] === "run" || (a[0] === "container" && a[1] === "run"))) {
    const rest = a[0] === "run" ? a.slice(1) : a.slice(2);
    const { index } = firstPositional(rest, DOCKER_VALUE_FLAGS);
    return index >= 0 && index < rest.length ? parseDockerImage(rest[index]!, cmd) : undefined;
  }
  return undefined;
}

// --- Command-line checks.
const SEMVER_EXACT = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const PEP440_EXACT = /^\d+(?:\.\d+)*(?:(?:a|b|rc)\d+)?(?:\.post\d+)?(?:\.dev\d+)?$/;
const GENERIC_BASENAMES = new Set(["mcp", "server", "mcp-server", "server-mcp", "cli", "core"]);

function levenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

const unscoped = (name: string) => name.replace(/^@[^/]+\//, "").replace(/^.*\//, "");
const normalized = (name: string) => name.toLowerCase().replace(/^@/, "").replace(/[/_.\s]+/g, "-");

/** Checks that need nothing but the command line. */
export function checkCommandLine(ref: PackageRef, official: OfficialPackages): ProvenanceFinding[] {
  const out: ProvenanceFinding[] = [];
  const pkg = ref.spec;
  if (ref.unregistered) {
    out.push({ rule: "PV-006", severity: "medium", package: pkg, message: `${ref.launcher} runs ${pkg} from a URL, git repository or path: nothing pins what it contains` });
    return out;
  }
  if (ref.ecosystem === "docker") {
    if (!ref.digest && (ref.version === undefined || ref.version === "latest")) {
      out.push({ rule: "PV-001", severity: "medium", package: pkg, message: `image ${ref.name} runs ${ref.version ? "the mutable tag latest" : "without a tag (latest)"}; pin a version tag and digest (${ref.name}:X.Y.Z@sha256:...)` });
    } else if (!ref.digest) {
      out.push({ rule: "PV-003", severity: "low", package: pkg, message: `image ${ref.name}:${ref.version} is pinned by tag only; tags can be moved, a digest (@sha256:...) cannot` });
    }
  } else if (ref.version === undefined) {
    out.push({ rule: "PV-001", severity: "medium", package: pkg, message: `${ref.launcher} runs ${ref.name} with no version: every start may fetch a new release; pin an exact version (${ref.name}${ref.ecosystem === "npm" ? "@X.Y.Z" : "==X.Y.Z"})` });
  } else if (!(ref.ecosystem === "npm" ? SEMVER_EXACT : PEP440_EXACT).test(ref.version.replace(/^==/, ""))) {
    out.push({ rule: "PV-002", severity: "medium", package: pkg, message: `${ref.name} is asked for as "${ref.version}", a tag or range that can resolve to a release nobody reviewed; pin an exact version` });
  }
  const list = official[ref.ecosystem];
  if (list.includes(ref.name)) return out;
  const base = unscoped(ref.name);
  for (const o of list) {
    const sameBase = unscoped(o) === base && !GENERIC_BASENAMES.has(base);
    if (normalized(o) === normalized(ref.name) || sameBase) {
      out.push({ rule: "PV-005", severity: "high", package: pkg, message: `${ref.name} is not ${o} but carries its name under another scope or spelling: check the publisher` });
      return out;
    }
    const d = Math.min(levenshtein(ref.name, o, 2), levenshtein(normalized(ref.name), normalized(o), 2));
    if (d <= 2 && Math.min(ref.name.length, o.length) >= 6) {
      out.push({ rule: "PV-004", severity: "high", package: pkg, message: `${ref.name} is ${d} edit${d === 1 ? "" : "s"} away from the official ${o}: a look-alike (typosquat)?` });
      return out;
    }
  }
  return out;
}

// --- Registry checks (npm).
export interface NpmMetadata {
  name: string;
  versions: string[];
  /** Publication times: `created`, `modified` and one per version. */
  time: Record<string, string>;
  distTags: Record<string, string>;
  deprecated?: string | undefined;
}

export type MetadataLookup = (name: string) => Promise<NpmMetadata | "not-found" | undefined>;

const DAY = 86_400_000;

/** Checks on npm registry metadata; `now` is injectable for tests. */
export function checkNpmMetadata(ref: PackageRef, meta: NpmMetadata | "not-found", now: Date = new Date()): ProvenanceFinding[] {
  const pkg = ref.spec;
  if (meta === "not-found") {
    return [{ rule: "PV-007", severity: "high", package: pkg, message: `${ref.name} does not exist in the npm registry: a typo, a removed package, or a name waiting to be squatted` }];
  }
  const out: ProvenanceFinding[] = [];
  const created = Date.parse(meta.time.created ?? "");
  if (Number.isFinite(created) && now.getTime() - created < 30 * DAY) {
    out.push({ rule: "PV-008", severity: "medium", package: pkg, message: `${ref.name} was first published ${Math.max(0, Math.floor((now.getTime() - created) / DAY))} days ago; new packages have no track record` });
  }
  const resolved = ref.version && meta.versions.includes(ref.version) ? ref.version : meta.distTags[ref.version ?? "latest"] ?? meta.distTags.latest;
  const published = resolved ? Date.parse(meta.time[resolved] ?? "") : NaN;
  if (Number.isFinite(published) && now.getTime() - published < 7 * DAY && !(Number.isFinite(created) && now.getTime() - created < 30 * DAY)) {
    out.push({ rule: "PV-009", severity: "medium", package: pkg, message: `${ref.name}@${resolved} was published ${Math.max(0, Math.floor((now.getTime() - published) / DAY))} days ago; a hijacked release looks like this (postmark-mcp 1.0.16)` });
  }
  if (meta.versions.length === 1) {
    out.push({ rule: "PV-010", severity: "medium", package: pkg, message: `${ref.name} has a single published version` });
  }
  if (meta.deprecated) out.push({ rule: "PV-011", severity: "low", package: pkg, message: `${ref.name} is deprecated: ${meta.deprecated.slice(0, 160)}` });
  return out;
}

/** `npm view NAME --json`; undefined when the registry cannot be reached. */
export const npmViewLookup =
  (timeoutMs = 10_000): MetadataLookup =>
  (name) =>
    new Promise((resolve) => {
      execFile("npm", ["view", name, "name", "versions", "time", "dist-tags", "deprecated", "--json"], { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (err, stdout) => {
        const text = stdout.toString();
        if (err) {
          resolve(/E404|404 Not Found/.test(text) || /E404/.test(String((err as { stderr?: unknown }).stderr ?? "")) ? "not-found" : undefined);
          return;
        }
        try {
          const raw = JSON.parse(text) as Record<string, unknown>;
          const versions = raw.versions;
          resolve({
            name: String(raw.name ?? name),
            versions: Array.isArray(versions) ? versions.map(String) : typeof versions === "string" ? [versions] : [],
            time: (raw.time ?? {}) as Record<string, string>,
            distTags: (raw["dist-tags"] ?? {}) as Record<string, string>,
            deprecated: typeof raw.deprecated === "string" ? raw.deprecated : undefined,
          });
        } catch {
          resolve(undefined);
        }
      });
    });

/** All checks for one launch: the command line always, npm metadata when `lookup` is given and answers. */
export async function checkProvenance(
  ref: PackageRef,
  official: OfficialPackages,
  lookup?: MetadataLookup,
  now: Date = new Date(),
): Promise<{ findings: ProvenanceFinding[]; registry: "checked" | "unreachable" | "skipped" }> {
  const findings = checkCommandLine(ref, official);
  if (!lookup || ref.ecosystem !== "npm" || ref.unregistered) return { findings, registry: "skipped" };
  const meta = await lookup(ref.name);
  if (meta === undefined) return { findings, registry: "unreachable" };
  return { findings: [...findings, ...checkNpmMetadata(ref, meta, now)], registry: "checked" };
}
