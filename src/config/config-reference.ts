// Renders the configuration reference (docs/configuration.md) from the zod schema, so the docs
// cannot drift from what the loader accepts.
import { z } from "zod";
import { configSchema } from "./schema.js";

interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: JsonSchemaNode | boolean;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  required?: string[];
  minimum?: number;
  maximum?: number;
}

function typeOf(n: JsonSchemaNode): string {
  if (n.const !== undefined) return JSON.stringify(n.const);
  if (n.enum) return n.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  const alts = n.anyOf ?? n.oneOf;
  if (alts) return alts.map(typeOf).join(" \\| ");
  if (n.type === "array") return `${n.items ? typeOf(n.items) : "any"}[]`;
  if (n.type === "object" && n.additionalProperties && typeof n.additionalProperties === "object" && !n.properties) {
    return `map of ${typeOf(n.additionalProperties)}`;
  }
  return Array.isArray(n.type) ? n.type.join(" \\| ") : (n.type ?? "any");
}

/** The shapes a node's children come from: its own properties, or a record's value shapes. */
function shapes(n: JsonSchemaNode): JsonSchemaNode[] {
  if (n.properties) return [n];
  const value = n.additionalProperties;
  if (!value || typeof value !== "object") return [];
  return (value.oneOf ?? value.anyOf ?? [value]).filter((v) => v.properties);
}

function rows(n: JsonSchemaNode, path: string, out: string[], seen: Set<string>): void {
  const base = n.properties ? path : `${path}.<name>`;
  for (const shape of shapes(n)) {
    for (const [key, child] of Object.entries(shape.properties!)) {
      const p = base ? `${base}.${key}` : key;
      const line = (() => {
        // An object's default is the sum of its keys' defaults, listed on their own rows.
        const def = child.default === undefined || child.type === "object" ? "" : `\`${JSON.stringify(child.default)}\``;
        const required = shape.required?.includes(key) && child.default === undefined ? " (required)" : "";
        return `| \`${p}\` | ${typeOf(child)}${required} | ${def} | ${child.description ?? ""} |`;
      })();
      if (seen.has(line)) continue;
      seen.add(line);
      out.push(line);
      rows(child, p, out, seen);
    }
  }
}

export function renderConfigReference(): string {
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as JsonSchemaNode;
  const out = [
    "# Configuration reference",
    "",
    "Generated from the zod schema in `src/config/schema.ts` (`npm run docs:config`); a test fails when this file is out of date.",
    "Every string may contain `${env:VAR}`; a referenced variable that is missing or empty stops start-up (exit code 2) with a message",
    "naming the variable and the upstream that needs it. `$${env:VAR}` is a literal. Variables are also read from `.env.mcp` beside",
    "the config file and in the working directory; the real environment wins over the file.",
    "",
    "| key | type | default | description |",
    "| --- | --- | --- | --- |",
  ];
  rows(schema, "", out, new Set());
  return `${out.join("\n")}\n`;
}
