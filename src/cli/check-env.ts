// `sapper check-env`: only the credential and schema validation of a config, for CI pipelines.
import type { Command } from "commander";
import { loadConfig } from "../config/load-config.js";
import { ExitCodes, isSapperError } from "../errors.js";

export function registerCheckEnv(program: Command): void {
  program
    .command("check-env")
    .description("validate a config and every ${env:VAR} it references, then exit (0 = ok, 2 = problem)")
    .requiredOption("-c, --config <file>", "configuration file (YAML or JSON)")
    .action((opts: { config: string }) => {
      try {
        const config = loadConfig(opts.config);
        const n = Object.keys(config.upstreams).length;
        process.stdout.write(`ok: ${opts.config} is valid; ${n} upstream${n === 1 ? "" : "s"}, every referenced variable is set\n`);
      } catch (err) {
        if (!isSapperError(err)) throw err;
        process.stderr.write(`sapper: ${err.message}\n`);
        process.exitCode = ExitCodes.config;
      }
    });
}
