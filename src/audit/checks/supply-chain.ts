// Supply chain: every definition the server exposes goes through the guard's poisoning scanner.
import type { AuditCheck, CheckOutcome } from "../audit-check.js";
import { listDefinitions } from "../definitions.js";

export const poisoning: AuditCheck = {
  meta: {
    id: "supplychain.poisoning",
    family: "supplychain",
    title: "Tool poisoning scan",
    severity: "high",
    checklist: [15],
    description: "Tool, prompt and resource-template definitions and the server instructions carry no poisoning patterns (hidden instructions, exfiltration, shadowing).",
    fix: "Remove the flagged text from the definitions; pin reviewed definitions by hash (`sapper pin`) so a later change is blocked until re-approved.",
  },
  async run(ctx): Promise<CheckOutcome> {
    const defs = await listDefinitions(ctx);
    if (typeof defs === "string") return { status: "skip", summary: defs };
    return {
      status: "skip",
      summary: "scanner not available: the guard's poisoning scanner (src/guard/scanner.ts) is not part of this build",
      data: { tools: defs.tools.length, prompts: defs.prompts.length, resourceTemplates: defs.resourceTemplates.length },
    };
  },
};

export const supplyChainChecks: AuditCheck[] = [poisoning];
