// The one pino logger factory; redaction of secrets is configured here and nowhere else.
import { pino, type Logger, type DestinationStream } from "pino";

export type { Logger };

export const REDACT_PATHS = [
  "authorization",
  "token",
  "*.authorization",
  "*.Authorization",
  "*.token",
  "*.accessToken",
  "*.password",
  "*.secret",
  "*.apiKey",
  "headers.authorization",
  "headers.cookie",
  "env.*",
  "*.env.*",
];

export function createLogger(level: string = "info", destination?: DestinationStream): Logger {
  return pino(
    {
      name: "sapper",
      level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}
