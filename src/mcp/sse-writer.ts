// Writes Server-Sent Events to a Node response, with keep-alive comments and close detection.
import type { ServerResponse } from "node:http";

export class SseWriter {
  private keepAlive: NodeJS.Timeout | undefined;
  closed = false;

  constructor(
    private readonly res: ServerResponse,
    headers: Record<string, string>,
    keepAliveMs: number,
    onClose: () => void,
  ) {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
      ...headers,
    });
    res.flushHeaders();
    const close = () => {
      if (this.closed) return;
      this.closed = true;
      if (this.keepAlive) clearInterval(this.keepAlive);
      onClose();
    };
    res.on("close", close);
    res.on("error", close);
    if (keepAliveMs > 0) {
      this.keepAlive = setInterval(() => this.write(": keep-alive\n\n"), keepAliveMs);
      this.keepAlive.unref();
    }
  }

  /** An event with an optional id; `data` is one line of JSON (or empty for the priming event). */
  event(data: string, id?: string, retryMs?: number): boolean {
    let chunk = "";
    if (id !== undefined) chunk += `id: ${id}\n`;
    if (retryMs !== undefined) chunk += `retry: ${retryMs}\n`;
    chunk += `event: message\ndata: ${data}\n\n`;
    return this.write(chunk);
  }

  /** An event of another type (e.g. the legacy transport's `endpoint` event). */
  named(event: string, data: string): boolean {
    return this.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  end(): void {
    if (this.closed) return;
    this.res.end();
  }

  private write(chunk: string): boolean {
    if (this.closed) return false;
    this.res.write(chunk);
    return true;
  }
}
