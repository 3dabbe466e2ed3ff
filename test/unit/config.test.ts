import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, resolveConfig } from "../../src/config/load-config.js";
import { parseEnvFile } from "../../src/config/env-file.js";
import { SapperError } from "../../src/errors.js";

const stdio = (extra: Record<string, unknown> = {}) => ({ transport: "stdio", command: "node", ...extra });

function error(fn: () => unknown): SapperError {
  try {
    fn();
  } catch (err) {
    return err as SapperError;
  }
  throw new Error("expected an error");
}

describe("configuration", () => {
  it("applies the schema's defaults", () => {
    const c = resolveConfig({ upstreams: { a: stdio() } }, "t", { env: {} });
    expect(c.server.path).toBe("/mcp");
    expect(c.namespacing.separator).toBe("__");
    expect(c.upstreams.a!.transport).toBe("stdio");
  });

  it("interpolates ${env:VAR} anywhere and keeps $${env:X} literal", () => {
    const c = resolveConfig({ upstreams: { gh: stdio({ env: { TOKEN: "${env:GH}", LIT: "$${env:GH}" }, args: ["--x=${env:GH}"] }) } }, "t", { env: { GH: "s3cret" } });
    const gh = c.upstreams.gh as { env: Record<string, string>; args: string[] };
    expect(gh.env.TOKEN).toBe("s3cret");
    expect(gh.env.LIT).toBe("${env:GH}");
    expect(gh.args[0]).toBe("--x=s3cret");
  });

  it("refuses a missing variable, naming it and the upstream that needs it", () => {
    const e = error(() => resolveConfig({ upstreams: { github: stdio({ env: { T: "${env:GITHUB_MCP_TOKEN}" } }) } }, "t", { env: {} }));
    expect(e.code).toBe("SAPPER_CONFIG_ENV_MISSING");
    expect(e.message).toContain('upstream "github" needs GITHUB_MCP_TOKEN');
    expect(e.message).toContain("not set");
  });

  it("refuses an empty variable and says it shadows the .env.mcp value", () => {
    const dir = mkdtempSync(join(tmpdir(), "sapper-cfg-"));
    writeFileSync(join(dir, ".env.mcp"), "API_KEY=from-file\n");
    const e = error(() => resolveConfig({ upstreams: { a: stdio({ env: { K: "${env:API_KEY}" } }) } }, "t", { env: { API_KEY: "" }, cwd: dir }));
    expect(e.code).toBe("SAPPER_CONFIG_ENV_MISSING");
    expect(e.message).toMatch(/API_KEY.*empty.*overrides the value in \.env\.mcp/);
  });

  it("reads variables from .env.mcp beside the config file", () => {
    const dir = mkdtempSync(join(tmpdir(), "sapper-cfg-"));
    writeFileSync(join(dir, ".env.mcp"), "# comment\nexport SECRET='abc def'\n");
    const file = join(dir, "sapper.yaml");
    writeFileSync(file, "upstreams:\n  a:\n    transport: stdio\n    command: node\n    env:\n      S: ${env:SECRET}\n");
    const c = loadConfig(file, { env: {} });
    expect((c.upstreams.a as { env: Record<string, string> }).env.S).toBe("abc def");
  });

  it("gives the path of a bad field", () => {
    const e = error(() => resolveConfig({ upstreams: { a: stdio({ poolSize: "two" }) } }, "cfg.yaml", { env: {} }));
    expect(e.code).toBe("SAPPER_CONFIG_INVALID");
    expect(e.message).toContain("upstreams.a.poolSize");
  });

  it("refuses prefix: false when there are several upstreams", () => {
    const e = error(() => resolveConfig({ upstreams: { a: stdio({ prefix: false }), b: stdio() } }, "t", { env: {} }));
    expect(e.message).toMatch(/prefix: false is only allowed with a single upstream/);
  });

  it("parses env files with quotes, export and comments", () => {
    expect(parseEnvFile('A=1\nexport B="x y"\nC=z # note\n#D=no\n')).toEqual({ A: "1", B: "x y", C: "z" });
  });
});
