// `sapper serve`: run the gateway from a config file, or in front of one stdio command.
import type { Command } from "commander";
import { dirname, resolve } from "node:path";
import { readConfigFile, resolveConfig } from "../config/load-config.js";
import type { SapperConfig } from "../config/schema.js";
import { ExitCodes, isSapperError, SapperError } from "../errors.js";
import { startGateway } from "../http/assemble-gateway.js";
import { createLogger } from "../telemetry/logger.js";

export interface ServeFlags {
  config?: string;
  host?: string;
  port?: string;
  logLevel?: string;
}

/** Builds the effective config from the flags: a file, or one unprefixed stdio upstream named "default". */
export function configFromFlags(flags: ServeFlags, command: string[]): SapperConfig {
  if (flags.config && command.length > 0) {
    throw new SapperError("SAPPER_CLI_USAGE", "use either --config FILE or -- COMMAND ARGS, not both (add the command as an upstream in the file)");
  }
  if (!flags.config && command.length === 0) {
    throw new SapperError("SAPPER_CLI_USAGE", "nothing to serve: give --config FILE, or -- COMMAND ARGS to front one stdio server");
  }
  const raw: Record<string, unknown> = flags.config
    ? { ...(readConfigFile(flags.config) as Record<string, unknown>) }
    : { upstreams: { default: { transport: "stdio", command: command[0], args: command.slice(1), prefix: false, inheritEnv: true } } };
  const server: Record<string, unknown> = { ...((raw.server as Record<string, unknown> | undefined) ?? {}) };
  if (flags.host !== undefined) server.host = flags.host;
  if (flags.port !== undefined) {
    const port = Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SapperError("SAPPER_CLI_USAGE", `--port must be 0-65535, got ${JSON.stringify(flags.port)}`);
    server.port = port;
  }
  raw.server = server;
  const level = flags.logLevel ?? process.env.SAPPER_LOG_LEVEL;
  if (level) raw.logging = { level };
  return resolveConfig(raw, flags.config ?? "command line", flags.config ? { envFileDirs: [dirname(resolve(flags.config))] } : {});
}

export function registerServe(program: Command, version: string): void {
  program
    .command("serve")
    .description("serve MCP upstreams on one Streamable HTTP endpoint (/mcp)")
    .usage("[--config FILE] [--host HOST] [--port PORT] [-- COMMAND ARGS...]")
    .option("-c, --config <file>", "configuration file (YAML or JSON)")
    .option("--host <host>", "bind address (default: 0.0.0.0 in a container, 127.0.0.1 elsewhere)")
    .option("-p, --port <port>", "port (default 8080; 0 picks a free one)")
    .option("--log-level <level>", "fatal|error|warn|info|debug|trace|silent (env SAPPER_LOG_LEVEL)")
    .argument("[command...]", "a stdio MCP server to front, after --")
    .addHelpText(
      "after",
      "\nExamples:\n  sapper serve --config sapper.yaml\n  sapper serve --port 8080 -- npx -y @modelcontextprotocol/server-everything\n",
    )
    .action(async (command: string[], flags: ServeFlags) => {
      let config: SapperConfig;
      try {
        config = configFromFlags(flags, command);
      } catch (err) {
        if (!isSapperError(err)) throw err;
        process.stderr.write(`sapper: ${err.message}\n`);
        process.exit(ExitCodes.config);
      }
      const logger = createLogger(config.logging.level);
      try {
        const gateway = await startGateway(config, { logger, version, configPath: flags.config });
        logger.info({ url: gateway.url, host: gateway.host, port: gateway.port, upstreams: Object.keys(config.upstreams) }, "ready");
        process.stdout.write(`sapper: listening on ${gateway.url}\n`);
        const stop = (signal: string) => {
          logger.info({ signal }, "signal received");
          void gateway.close().then(
            () => process.exit(0),
            (err: unknown) => {
              logger.error({ err }, "shutdown failed");
              process.exit(1);
            },
          );
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
      } catch (err) {
        const message = isSapperError(err) ? err.message : `SAPPER_LISTEN_FAILED: ${(err as Error).message}`;
        logger.fatal({ err }, "could not start");
        logger.flush();
        process.stderr.write(`sapper: cannot start: ${message}\n`);
        const configProblem = isSapperError(err, "SAPPER_LOCKFILE_INVALID") || isSapperError(err, "SAPPER_RULES_INVALID");
        process.exit(configProblem ? ExitCodes.config : ExitCodes.startup);
      }
    });
}
