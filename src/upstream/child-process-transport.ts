// An SDK Transport over a spawned child's stdin/stdout (newline-delimited JSON-RPC). Unlike the SDK's
// StdioClientTransport it reports the exit status, every unparsable stdout line and each stderr line,
// and it makes the child (with anything it spawned, e.g. under npx) die with the gateway.
import { spawn, type ChildProcess } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import { serializeMessage, type JSONRPCMessage, type Transport } from "@modelcontextprotocol/client";
import { checkMessage } from "../mcp/json-rpc-shape.js";

export interface ChildProcessTransportOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

/** How the child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the child could not be spawned at all (ENOENT, EACCES...). */
  spawnError?: Error;
}

/** A stdout line that is not a JSON-RPC message; the connection stays usable. */
export class InvalidMessageError extends Error {
  constructor(readonly excerpt: string, reason: string) {
    super(`not a JSON-RPC message (${reason}): ${excerpt}`);
    this.name = "InvalidMessageError";
  }
}

/** A stdout line longer than this (in characters) is discarded and reported, so memory stays bounded. */
const MAX_LINE_CHARS = 16 * 1024 * 1024;
/** Time between SIGTERM and SIGKILL on close(). */
const KILL_GRACE_MS = 2_000;
/** After the child exits, time for its last stdout bytes to arrive before its pipes are torn down. */
const STDIO_DRAIN_MS = 1_000;
const EXCERPT_CHARS = 200;

// Each child leads its own process group, so a signal reaches wrappers' children too (npx, uvx, sh -c).
const useProcessGroups = process.platform !== "win32";

function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (useProcessGroups) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}

// Children still running; SIGKILLed synchronously if the gateway exits without closing them.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function trackChild(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const c of liveChildren) signalChild(c, "SIGKILL");
    });
  }
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
}

export function describeExit(exit: ChildExit | undefined): string {
  if (exit === undefined) return "closed its stdio";
  if (exit.spawnError) return `could not be spawned (${exit.spawnError.message})`;
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited (code ${exit.code})`;
}

export class ChildProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** One line of the child's stderr, without the newline. */
  onstderr?: (line: string) => void;

  private child: ChildProcess | undefined;
  private exitInfo: ChildExit | undefined;
  private readonly decoder = new StringDecoder("utf8");
  /** Pieces of the stdout line not yet terminated by a newline. */
  private partial: string[] = [];
  private partialLength = 0;
  private discardingLongLine = false;

  constructor(private readonly options: ChildProcessTransportOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How the child ended, once it has. */
  get exit(): ChildExit | undefined {
    return this.exitInfo;
  }

  start(): Promise<void> {
    if (this.child) return Promise.reject(new Error("ChildProcessTransport already started"));
    const { command, args, env, cwd } = this.options;
    const child = spawn(command, args, {
      env,
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
      shell: false,
      detached: useProcessGroups,
      windowsHide: true,
    });
    this.child = child;
    return new Promise((resolve, reject) => {
      child.once("spawn", () => {
        trackChild(child);
        resolve();
      });
      child.once("error", (err) => {
        if (child.pid === undefined) {
          this.exitInfo = { code: null, signal: null, spawnError: err };
          reject(err);
        } else {
          this.onerror?.(err);
        }
      });
      let drainTimer: NodeJS.Timeout | undefined;
      child.once("exit", (code, signal) => {
        this.exitInfo ??= { code, signal };
        // Whatever the server left running in its group (the real server under a wrapper) goes with it.
        if (useProcessGroups) signalChild(child, "SIGKILL");
        // A grandchild that inherited the pipes can keep them open forever; "close" must not wait for it.
        drainTimer = setTimeout(() => {
          child.stdin?.destroy();
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, STDIO_DRAIN_MS);
        drainTimer.unref();
      });
      // "close" comes after the exit and after stdout is drained, so every message is delivered first.
      child.once("close", () => {
        clearTimeout(drainTimer);
        this.onclose?.();
      });
      child.stdout?.on("data", (chunk: Buffer) => this.readStdout(chunk));
      child.stderr?.setEncoding("utf8");
      let stderrBuffer = "";
      child.stderr?.on("data", (chunk: string) => {
        stderrBuffer += chunk;
        let newline: number;
        while ((newline = stderrBuffer.indexOf("\n")) !== -1) {
          this.onstderr?.(stderrBuffer.slice(0, newline).replace(/\r$/, ""));
          stderrBuffer = stderrBuffer.slice(newline + 1);
        }
      });
      child.stderr?.on("end", () => {
        if (stderrBuffer) this.onstderr?.(stderrBuffer);
      });
      // EPIPE after the child died must not become an uncaught exception; the close event reports the exit.
      child.stdin?.on("error", (err) => this.onerror?.(err));
    });
  }

  /**
   * Queues a message; everything queued in one turn of the event loop goes out in one pipe write
   * (under load, one write per message was the gateway's largest single cost). The messages of one
   * write share one promise, settled when the write completes or fails.
   */
  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || !stdin.writable || this.exitInfo) return Promise.reject(new Error("the upstream process is not running"));
    this.outbox.push(serializeMessage(message));
    if (this.outbox.length === 1) {
      this.written = new Promise<void>((resolve, reject) => {
        this.settleWrite = (err) => (err ? reject(err) : resolve());
      });
      setImmediate(() => this.flush());
    }
    return this.written!;
  }

  private outbox: string[] = [];
  private written: Promise<void> | undefined;
  private settleWrite: (err: Error | null | undefined) => void = () => {};

  private flush(): void {
    const chunk = this.outbox.join("");
    const settle = this.settleWrite;
    this.outbox = [];
    const stdin = this.child?.stdin;
    if (!stdin || !stdin.writable || this.exitInfo) return settle(new Error("the upstream process is not running"));
    stdin.write(chunk, settle);
  }

  /** Ends stdin and sends SIGTERM, then SIGKILL after the grace period; resolves once the child is gone. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.pid === undefined || this.exitInfo) return;
    const gone = new Promise<void>((resolve) => child.once("close", () => resolve()));
    child.stdin?.end();
    signalChild(child, "SIGTERM");
    const timer = setTimeout(() => signalChild(child, "SIGKILL"), KILL_GRACE_MS);
    await gone;
    clearTimeout(timer);
  }

  private readStdout(chunk: Buffer): void {
    // Only the new text is scanned for newlines, so a large message arriving in many chunks stays linear.
    const text = this.decoder.write(chunk);
    let start = 0;
    let newline: number;
    while ((newline = text.indexOf("\n", start)) !== -1) {
      const tail = text.slice(start, newline);
      const line = this.partial.length === 0 ? tail : this.partial.join("") + tail;
      this.partial = [];
      this.partialLength = 0;
      start = newline + 1;
      if (this.discardingLongLine) this.discardingLongLine = false;
      else this.parseLine(line.endsWith("\r") ? line.slice(0, -1) : line);
    }
    if (start === text.length || this.discardingLongLine) return;
    const rest = text.slice(start);
    this.partial.push(rest);
    this.partialLength += rest.length;
    if (this.partialLength > MAX_LINE_CHARS) {
      this.onerror?.(new InvalidMessageError(this.partial.join("").slice(0, EXCERPT_CHARS), `line longer than ${MAX_LINE_CHARS} characters`));
      this.partial = [];
      this.partialLength = 0;
      this.discardingLongLine = true;
    }
  }

  private parseLine(line: string): void {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.onerror?.(new InvalidMessageError(line.slice(0, EXCERPT_CHARS), "invalid JSON"));
      return;
    }
    const message = checkMessage(value);
    if ("invalid" in message) {
      this.onerror?.(new InvalidMessageError(line.slice(0, EXCERPT_CHARS), `invalid JSON-RPC shape (${message.invalid.message})`));
      return;
    }
    this.onmessage?.(message);
  }
}
