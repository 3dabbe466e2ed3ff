// Upstream for a legacy HTTP+SSE MCP server (protocol 2024-11-05 transport): one SSE connection, and so
// one upstream session, per downstream session; closing the stream ends the session.
import { SSEClientTransport, SseError } from "@modelcontextprotocol/client";
import { HttpSessionUpstream } from "./http-session-upstream.js";

export class SseUpstream extends HttpSessionUpstream<SSEClientTransport> {
  protected createTransport(): SSEClientTransport {
    return new SSEClientTransport(new URL(this.spec.url), { requestInit: { headers: this.spec.headers } });
  }

  /** The legacy transport has no DELETE; the server ends the session when the stream closes. */
  protected async endSession(): Promise<void> {}

  /**
   * An error on the event stream means the session is gone: EventSource would silently reconnect to a
   * new, uninitialized server session, so the connection is dropped and re-initialized instead.
   */
  protected isConnectionLost(error: Error): boolean {
    return SseError.isInstance(error);
  }
}
