// Sapper's own version, read once from its package.json (CLI, serverInfo, clientInfo, reports).
// The file is found by walking up from this module, so bundled copies (tests) find it too.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "sapper" && pkg.version) return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return "0.0.0-unknown";
    dir = parent;
  }
}

export const SAPPER_VERSION = readVersion();
