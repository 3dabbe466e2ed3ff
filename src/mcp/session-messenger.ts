// How the gateway reaches clients outside their requests: messages are published on the Bus, and
// whichever transport holds the session's stream (on whichever replica) delivers them.
import type { JSONRPCMessage, JSONRPCNotification } from "@modelcontextprotocol/server";
import type { Bus } from "../session/bus.js";
import type { Result, SessionMessenger } from "./mcp-application.js";
import type { RequestRunner } from "./request-runner.js";
import { RpcCodes, RpcError } from "./rpc-error.js";
import type { SessionLifecycle } from "./session-lifecycle.js";

export const BROADCAST_CHANNEL = "broadcast";
export const sessionChannel = (sessionId: string) => `session:${sessionId}`;

export class BusMessenger implements SessionMessenger {
  constructor(
    private readonly bus: Bus,
    private readonly runner: RequestRunner,
    private readonly lifecycle: SessionLifecycle,
    private readonly requestTimeoutMs: number,
  ) {}

  sendToSession(sessionId: string, notification: JSONRPCNotification): void {
    this.bus.publish(sessionChannel(sessionId), notification);
  }

  broadcast(notification: JSONRPCNotification): void {
    this.bus.publish(BROADCAST_CHANNEL, notification);
  }

  async request(sessionId: string, method: string, params?: Record<string, unknown>): Promise<Result> {
    const session = await this.lifecycle.get(sessionId);
    if (!session) throw new RpcError(RpcCodes.sessionNotFound, `Session ${sessionId.slice(0, 8)}… is gone`);
    const publish = (m: JSONRPCMessage) => this.bus.publish(sessionChannel(sessionId), m);
    return this.runner.requestClient(session, { related: publish, answer: publish }, method, params, AbortSignal.timeout(this.requestTimeoutMs));
  }
}
