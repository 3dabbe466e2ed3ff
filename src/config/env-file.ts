// Reads `.env.mcp` files (KEY=VALUE lines). Real environment variables win over the file, so a
// file can never silently replace what the operator exported.
import { readFileSync } from "node:fs";

export interface EnvFileResult {
  values: Record<string, string>;
  loadedFrom: string[];
}

export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2] ?? "";
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, "").trim();
    }
    out[m[1]!] = value;
  }
  return out;
}

export function readEnvFiles(paths: string[]): EnvFileResult {
  const values: Record<string, string> = {};
  const loadedFrom: string[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue;
    }
    loadedFrom.push(path);
    for (const [k, v] of Object.entries(parseEnvFile(text))) if (!(k in values)) values[k] = v;
  }
  return { values, loadedFrom };
}
