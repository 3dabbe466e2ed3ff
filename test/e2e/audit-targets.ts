// Real MCP endpoints for the audit e2e tests, each on a free loopback port: the official
// server-everything (Streamable HTTP or legacy SSE), and supergateway in front of its stdio mode.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { repoRoot, sapperBin } from "../helpers/start-sapper.js";

export const everythingEntry = join(repoRoot, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");

export interface Target {
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startProcess(command: string, args: string[], env: Record<string, string>, ready: RegExp, url: (port: number) => string, port: number): Promise<Target> {
  const child: ChildProcess = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")} did not start:\n${out}`)), 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited with ${code}:\n${out}`));
    });
  });
  return {
    url: url(port),
    port,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** server-everything serving Streamable HTTP on /mcp, or legacy SSE on /sse; it reads its port from PORT. */
export async function startEverything(mode: "streamableHttp" | "sse"): Promise<Target> {
  const port = await freePort();
  return startProcess(
    process.execPath,
    [everythingEntry, mode],
    { PORT: String(port) },
    mode === "sse" ? /running on port \d+/ : /listening on port \d+/,
    (p) => `http://127.0.0.1:${p}/${mode === "sse" ? "sse" : "mcp"}`,
    port,
  );
}

/** supergateway turning server-everything's stdio into stateful Streamable HTTP on /mcp. */
export async function startSupergateway(): Promise<Target> {
  const port = await freePort();
  return startProcess(
    join(repoRoot, "node_modules/.bin/supergateway"),
    ["--stdio", `${process.execPath} ${everythingEntry} stdio`, "--outputTransport", "streamableHttp", "--stateful", "--port", String(port), "--logLevel", "info"],
    {},
    /Listening on port \d+/,
    (p) => `http://127.0.0.1:${p}/mcp`,
    port,
  );
}

/** Runs the built CLI (`sapper audit …`) and returns its exit status and output. */
export function sapperAudit(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [sapperBin, "audit", ...args], { cwd: repoRoot, env: { ...process.env, ...env }, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
