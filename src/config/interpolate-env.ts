// `${env:VAR}` interpolation over every string in a parsed config, collecting every missing or
// empty variable with the config path that needs it, so start-up can refuse with one clear message.

export interface EnvProblem {
  variable: string;
  path: string[];
  reason: "missing" | "empty";
  /** A value for the variable exists in an env file but the (empty) process variable overrides it. */
  shadowedFileValue: boolean;
}

export interface EnvSource {
  process: Record<string, string | undefined>;
  file: Record<string, string>;
}

const REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;
const ESCAPED = /\$\$\{env:/g;

export function interpolateEnv(value: unknown, env: EnvSource, problems: EnvProblem[], path: string[] = []): unknown {
  if (typeof value === "string") return interpolateString(value, env, problems, path);
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, problems, [...path, String(i)]));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateEnv(v, env, problems, [...path, k]);
    return out;
  }
  return value;
}

function interpolateString(s: string, env: EnvSource, problems: EnvProblem[], path: string[]): string {
  // `$${env:X}` is a literal `${env:X}`.
  const placeholder = "\u0000SAPPER_ESCAPED\u0000";
  const replaced = s.replace(ESCAPED, placeholder).replace(REF, (_m, variable: string) => {
    const fromProcess = env.process[variable];
    const fromFile = env.file[variable];
    const v = fromProcess !== undefined ? fromProcess : fromFile;
    if (v === undefined || v === "") {
      problems.push({
        variable,
        path,
        reason: v === undefined ? "missing" : "empty",
        shadowedFileValue: fromProcess === "" && fromFile !== undefined && fromFile !== "",
      });
      return "";
    }
    return v;
  });
  return replaced.split(placeholder).join("${env:");
}

export function describeEnvProblem(p: EnvProblem): string {
  const owner = p.path[0] === "upstreams" && p.path[1] ? `upstream "${p.path[1]}"` : `setting "${p.path[0] ?? "?"}"`;
  const where = p.path.join(".");
  const why =
    p.reason === "missing"
      ? "which is not set"
      : p.shadowedFileValue
        ? "which is set but empty in the environment (it overrides the value in .env.mcp)"
        : "which is set but empty";
  return `${owner} needs ${p.variable} (at ${where}), ${why}`;
}
