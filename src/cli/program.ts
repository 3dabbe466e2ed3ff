// The `sapper` command: each subcommand lives in its own file and registers itself here.
// main.ts loads this module once the process-wide V8 settings are in place.
import { Command } from "commander";
import { SAPPER_VERSION } from "../version.js";
import { registerAudit } from "./audit.js";
import { registerCheckEnv } from "./check-env.js";
import { registerLint } from "./lint.js";
import { registerPin } from "./pin.js";
import { registerScan } from "./scan.js";
import { registerServe } from "./serve.js";

const program = new Command()
  .name("sapper")
  .description("Production gateway and auditor for MCP servers")
  .version(SAPPER_VERSION, "-v, --version")
  .showHelpAfterError();

registerServe(program, SAPPER_VERSION);
registerCheckEnv(program);
registerAudit(program);
registerLint(program);
registerScan(program);
registerPin(program);

await program.parseAsync(process.argv);
