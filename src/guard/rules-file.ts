// Reading the guard's data files (the rule file, the text model): JSON validated by a schema, and any
// failure a SAPPER_RULES_INVALID error that names the file and what is wrong with it.
import { readFileSync } from "node:fs";
import type { z } from "zod";
import { SapperError } from "../errors.js";

/** Reads `path` as JSON and validates it; `what` names the file in errors ("the rule file"). */
export function readRulesFile<T extends z.ZodType>(path: string, schema: T, what: string): z.infer<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new SapperError("SAPPER_RULES_INVALID", `cannot read ${what} ${path}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new SapperError("SAPPER_RULES_INVALID", `${path}: ${issues}`);
  }
  return parsed.data;
}
