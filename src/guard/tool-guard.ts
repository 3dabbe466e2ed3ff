// The contract between the gateway's catalog and the supply-chain guard: the catalog asks for a
// verdict on an upstream's definitions every time it (re)loads them, and hides what is blocked.
import type { Prompt, ResourceTemplateType as ResourceTemplate, Tool } from "@modelcontextprotocol/server";

export interface UpstreamDefinitions {
  instructions?: string | undefined;
  tools: Tool[];
  prompts: Prompt[];
  resourceTemplates: ResourceTemplate[];
}

export interface GuardVerdict {
  /** Upstream-local tool name -> user-facing reason; these tools are hidden and calls to them refused. */
  blockedTools: Map<string, string>;
  /** Upstream-local prompt name -> reason; hidden and refused. */
  blockedPrompts: Map<string, string>;
  /** URI template -> reason; hidden, and reads through them refused. */
  blockedResourceTemplates: Map<string, string>;
  /** Set when the upstream's server instructions must not reach clients: the reason. */
  instructionsBlocked: string | undefined;
}

export interface ToolGuard {
  /** May take a while for a large upstream, and lets the process's other work run meanwhile. */
  review(upstream: string, definitions: UpstreamDefinitions): Promise<GuardVerdict>;
}

/** The guard used when none is configured: nothing is blocked. */
export const allowAllGuard: ToolGuard = {
  review: async () => ({ blockedTools: new Map(), blockedPrompts: new Map(), blockedResourceTemplates: new Map(), instructionsBlocked: undefined }),
};
