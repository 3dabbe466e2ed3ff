// Upstream for an MCP server speaking Streamable HTTP: one upstream MCP session per downstream session,
// ended with an HTTP DELETE when the downstream session closes.
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { HttpSessionUpstream } from "./http-session-upstream.js";

export class StreamableHttpUpstream extends HttpSessionUpstream<StreamableHTTPClientTransport> {
  protected createTransport(): StreamableHTTPClientTransport {
    return new StreamableHTTPClientTransport(new URL(this.spec.url), { requestInit: { headers: this.spec.headers } });
  }

  protected endSession(transport: StreamableHTTPClientTransport): Promise<void> {
    return transport.terminateSession();
  }

  /** Streamable HTTP has no connection to lose: every failure surfaces on the request it concerns. */
  protected isConnectionLost(): boolean {
    return false;
  }
}
