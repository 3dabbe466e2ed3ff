// Context budget: how many tools the server puts in front of a model and what their definitions
// cost in tokens, against the 30-tool and 10k-token references.
import type { AuditCheck, CheckOutcome } from "../audit-check.js";
import { listDefinitions } from "../definitions.js";
import { countToolTokens, TOKENIZER } from "../tool-tokens.js";

export const TOOL_COUNT_REFERENCE = 30;
/** OpenAI's hard limit on tools per request; beyond it some clients cannot use the server at all. */
export const TOOL_COUNT_LIMIT = 128;
export const TOKEN_REFERENCE = 10_000;
export const TOKEN_LIMIT = 25_000;

export const toolCount: AuditCheck = {
  meta: {
    id: "context.tool-count",
    family: "context",
    title: "Tool count",
    severity: "medium",
    checklist: [14],
    description: `At most ${TOOL_COUNT_REFERENCE} tools (warn above, fail above ${TOOL_COUNT_LIMIT}, a common client limit).`,
    fix: "Expose only the tools a use case needs (tool filters per upstream or tenant), or a tool-search mode that reveals tools on demand.",
  },
  async run(ctx): Promise<CheckOutcome> {
    const defs = await listDefinitions(ctx);
    if (typeof defs === "string") return { status: "skip", summary: defs };
    const n = defs.tools.length;
    const data: Record<string, number | string | string[]> = { tools: n, prompts: defs.prompts.length, resourceTemplates: defs.resourceTemplates.length };
    if (defs.invalid.length) data.invalidDefinitions = defs.invalid.slice(0, 10);
    if (defs.error) return { status: "warn", summary: `listing was incomplete (${defs.error}); ${n} tools seen`, data };
    if (n > TOOL_COUNT_LIMIT) return { status: "fail", summary: `${n} tools, above the ${TOOL_COUNT_LIMIT}-tool limit of common clients`, data };
    if (n > TOOL_COUNT_REFERENCE) return { status: "warn", summary: `${n} tools, above the ${TOOL_COUNT_REFERENCE}-tool reference: models pick tools less reliably`, data };
    return { status: "pass", summary: `${n} tools (reference: at most ${TOOL_COUNT_REFERENCE})`, data };
  },
};

export const tokenCost: AuditCheck = {
  meta: {
    id: "context.token-cost",
    family: "context",
    title: "Tool definitions token cost",
    severity: "medium",
    checklist: [14],
    description: `All tool definitions together cost at most ${TOKEN_REFERENCE.toLocaleString("en-US")} tokens (${TOKENIZER}; warn above, fail above ${TOKEN_LIMIT.toLocaleString("en-US")}).`,
    fix: "Shorten descriptions and schemas, drop tools nobody uses, or expose a tool-search meta tool instead of the full list.",
  },
  async run(ctx): Promise<CheckOutcome> {
    const defs = await listDefinitions(ctx);
    if (typeof defs === "string") return { status: "skip", summary: defs };
    if (defs.tools.length === 0) return { status: "pass", summary: "no tools, no token cost", data: { tokens: 0 } };
    const { total, perTool } = await countToolTokens(defs.tools);
    const top = [...perTool].sort((a, b) => b.tokens - a.tokens).slice(0, 5);
    const data = { tokens: total, tools: defs.tools.length, tokenizer: TOKENIZER, mostExpensive: top.map((t) => `${t.name}: ${t.tokens}`) };
    const summary = `${defs.tools.length} tool definitions cost ${total.toLocaleString("en-US")} tokens (most expensive: ${top[0]!.name}, ${top[0]!.tokens})`;
    if (total > TOKEN_LIMIT) return { status: "fail", summary: `${summary}, far above the ${TOKEN_REFERENCE.toLocaleString("en-US")}-token reference`, data };
    if (total > TOKEN_REFERENCE) return { status: "warn", summary: `${summary}, above the ${TOKEN_REFERENCE.toLocaleString("en-US")}-token reference`, data };
    return { status: "pass", summary, data };
  },
};

export const contextChecks: AuditCheck[] = [toolCount, tokenCost];
