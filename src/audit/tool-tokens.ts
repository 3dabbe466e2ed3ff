// Token cost of tool definitions as a model sees them: each tool's name, title, description and
// schemas serialized as JSON, counted with the cl100k_base tokenizer (loaded on first use).
import type { Tool } from "@modelcontextprotocol/client";
import type { Tiktoken } from "js-tiktoken/lite";

let encoder: Promise<Tiktoken> | undefined;

async function loadEncoder(): Promise<Tiktoken> {
  const [{ Tiktoken }, ranks] = await Promise.all([import("js-tiktoken/lite"), import("js-tiktoken/ranks/cl100k_base")]);
  return new Tiktoken(ranks.default);
}

export const TOKENIZER = "cl100k_base";

/** The part of a definition that reaches the model's context. */
export function modelFacingDefinition(tool: Tool): Record<string, unknown> {
  const out: Record<string, unknown> = { name: tool.name };
  if (tool.title) out.title = tool.title;
  if (tool.description) out.description = tool.description;
  out.inputSchema = tool.inputSchema;
  if (tool.outputSchema) out.outputSchema = tool.outputSchema;
  return out;
}

export async function countToolTokens(tools: Tool[]): Promise<{ total: number; perTool: { name: string; tokens: number }[] }> {
  encoder ??= loadEncoder();
  const enc = await encoder;
  const perTool = tools.map((t) => ({ name: t.name, tokens: enc.encode(JSON.stringify(modelFacingDefinition(t))).length }));
  return { total: perTool.reduce((sum, t) => sum + t.tokens, 0), perTool };
}
