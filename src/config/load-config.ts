// Loads a YAML or JSON config file, applies `.env.mcp` and `${env:VAR}`, and validates it.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import type { ZodError } from "zod";
import { SapperError } from "../errors.js";
import { readEnvFiles } from "./env-file.js";
import { describeEnvProblem, interpolateEnv, type EnvProblem } from "./interpolate-env.js";
import { configSchema, type SapperConfig } from "./schema.js";

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  /** Directory whose `.env.mcp` is read besides the config file's own (default: cwd). */
  cwd?: string;
}

export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new SapperError("SAPPER_CONFIG_NOT_FOUND", `cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new SapperError("SAPPER_CONFIG_PARSE", `${path} is not valid ${path.endsWith(".json") ? "JSON" : "YAML"}: ${(err as Error).message}`);
  }
}

/** Validates a raw (already parsed) config object; `source` names it in messages. */
export function resolveConfig(raw: unknown, source: string, options: LoadOptions & { envFileDirs?: string[] } = {}): SapperConfig {
  const cwd = options.cwd ?? process.cwd();
  const dirs = [...new Set([...(options.envFileDirs ?? []), cwd])];
  const envFile = readEnvFiles(dirs.map((d) => resolve(d, ".env.mcp")));
  const problems: EnvProblem[] = [];
  const interpolated = interpolateEnv(raw, { process: options.env ?? process.env, file: envFile.values }, problems);
  if (problems.length > 0) {
    throw new SapperError(
      "SAPPER_CONFIG_ENV_MISSING",
      problems.map(describeEnvProblem).join("; "),
      { variables: problems.map((p) => p.variable) },
    );
  }
  const parsed = configSchema.safeParse(interpolated);
  if (!parsed.success) throw new SapperError("SAPPER_CONFIG_INVALID", `${source}: ${formatZodError(parsed.error)}`);
  return parsed.data;
}

export function loadConfig(path: string, options: LoadOptions = {}): SapperConfig {
  const raw = readConfigFile(path);
  return resolveConfig(raw, path, { ...options, envFileDirs: [dirname(resolve(path))] });
}

export function formatZodError(err: ZodError): string {
  return err.issues
    .map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`)
    .join("; ");
}
