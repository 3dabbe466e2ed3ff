// Every error a user can meet, with a stable code. Docs: docs/errors.md lists the same codes.

export const ErrorCodes = {
  SAPPER_CONFIG_NOT_FOUND: "the configuration file does not exist or cannot be read",
  SAPPER_CONFIG_PARSE: "the configuration file is not valid YAML or JSON",
  SAPPER_CONFIG_INVALID: "the configuration does not match the schema",
  SAPPER_CONFIG_ENV_MISSING: "a ${env:VAR} reference names a variable that is missing or empty",
  SAPPER_CLI_USAGE: "the command line is inconsistent",
  SAPPER_LISTEN_FAILED: "the HTTP listener could not bind",
  SAPPER_UPSTREAM_START_FAILED: "an upstream could not be started or initialized",
  SAPPER_UPSTREAM_UNAVAILABLE: "an upstream is down or restarting",
  SAPPER_UPSTREAM_TIMEOUT: "an upstream did not answer in time",
  SAPPER_UPSTREAM_OVERLOADED: "an upstream's request queue is full",
  SAPPER_UPSTREAM_CRASHED: "an upstream exited while a request was in flight",
  SAPPER_UPSTREAM_PROTOCOL: "an upstream sent something that is not valid MCP",
  SAPPER_UPSTREAM_TRANSPORT: "the HTTP exchange with an upstream failed (error status, closed stream)",
  SAPPER_UPSTREAM_SESSION_EXPIRED: "an upstream forgot its session while a call that is not safe to repeat was in flight",
  SAPPER_UPSTREAM_CANCELLED: "the caller cancelled a request before the upstream answered",
  SAPPER_TOOL_BLOCKED: "the guard blocked a tool",
  SAPPER_LOCKFILE_INVALID: "the pin lock file cannot be read",
  SAPPER_AUDIT_TARGET_INVALID: "the URL given to `sapper audit` is not an http(s) URL",
  SAPPER_AUDIT_UNSAFE_REQUEST: "the auditor refused to send a request that could change the audited server",
  SAPPER_AUDIT_TOKEN_ENV_MISSING: "a --token-env variable is missing or empty",
  SAPPER_LINT_DIR_NOT_FOUND: "the directory given to `sapper lint` does not exist",
  SAPPER_RULES_INVALID: "the scanner rule file or text model cannot be read or is invalid",
  SAPPER_SCAN_INPUT_INVALID: "the tool definitions given to `sapper scan --file` cannot be read",
  SAPPER_PIN_UNKNOWN: "`sapper pin --approve` names an upstream or definition that does not exist",
  SAPPER_PIN_DRIFT: "pinned definitions changed; review and approve them with `sapper pin --approve`",
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class SapperError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(`${code}: ${message}`);
    this.name = "SapperError";
    this.code = code;
    this.details = details;
  }
}

export function isSapperError(err: unknown, code?: ErrorCode): err is SapperError {
  return err instanceof SapperError && (code === undefined || err.code === code);
}

/** Process exit codes used by every command. */
export const ExitCodes = {
  ok: 0,
  findings: 1,
  config: 2,
  startup: 3,
} as const;
