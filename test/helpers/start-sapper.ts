// Starts the real `sapper` CLI (built in dist/) as a child process on an ephemeral port and waits
// for its ready line. Every e2e test that needs a gateway uses this.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

export const repoRoot = new URL("../../", import.meta.url).pathname;
export const sapperBin = join(repoRoot, "dist/cli/main.js");

export interface StartedSapper {
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp */
  url: string;
  /** http://127.0.0.1:41234 */
  origin: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr (JSON log lines) so far. */
  logs(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  /** A config object, written to a temp YAML file and passed with --config. Port defaults to 0. */
  config?: Record<string, unknown>;
  /** Extra CLI args after `serve` (e.g. ["--", "node", "server.mjs"]). */
  args?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

export async function startSapper(options: StartOptions = {}): Promise<StartedSapper> {
  const args = [sapperBin, "serve"];
  if (options.config) {
    const dir = mkdtempSync(join(tmpdir(), "sapper-test-"));
    const file = join(dir, "sapper.yaml");
    const cfg = { ...options.config } as Record<string, unknown>;
    cfg.server = { port: 0, host: "127.0.0.1", ...((cfg.server as object | undefined) ?? {}) };
    writeFileSync(file, stringify(cfg));
    args.push("--config", file);
  } else {
    if (!options.args?.includes("--port")) args.push("--port", "0");
    // This machine is a container, where the default bind address is 0.0.0.0: tests stay on loopback.
    if (!options.args?.includes("--host")) args.push("--host", "127.0.0.1");
  }
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, SAPPER_LOG_LEVEL: process.env.SAPPER_LOG_LEVEL ?? "debug", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sapper did not become ready in time.\nstdout: ${stdout}\nstderr: ${stderr}`)), options.timeoutMs ?? 30_000);
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`sapper exited with ${code} before ready.\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    logs: () => stderr,
    stop: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        const kill = setTimeout(() => child.kill("SIGKILL"), 15_000);
        child.once("exit", (code) => {
          clearTimeout(kill);
          resolve(code);
        });
        child.kill(signal);
      }),
  };
}
