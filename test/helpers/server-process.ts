// Real server processes for tests, each on its own free loopback port: start one, wait for its
// ready line, stop it (SIGTERM, then SIGKILL).
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { repoRoot } from "./start-sapper.js";

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  command?: string;
  args: string[];
  port: number;
  /** The URL the server serves, from its port. */
  url: (port: number) => string;
  /** Appears on stdout or stderr once the server accepts connections. */
  ready: RegExp;
  env?: Record<string, string>;
  timeoutMs?: number;
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

export async function startServerProcess(o: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(o.command ?? process.execPath, o.args, { cwd: repoRoot, env: { ...process.env, ...o.env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${o.args.join(" ")} did not start:\n${out}`));
    }, o.timeoutMs ?? 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (o.ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${o.args.join(" ")} exited with ${code} before it was ready:\n${out}`));
    });
  });
  return {
    child,
    port: o.port,
    url: o.url(o.port),
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
