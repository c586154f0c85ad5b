/**
 * One line per failure and an exit code per class of failure. Messages are built from the errors' fields (the
 * library's errors never hold the key), then scrubbed of the key once more before they are printed.
 */
import * as ValidationError from "@effect/cli/ValidationError"
import { AdminApiError } from "effect-openai-admin"
import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"

/** Exit codes. */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  rateLimit: 5,
  connection: 6,
  server: 7,
  interrupted: 130
} as const

/** A failure of the CLI itself, with its message and exit code. */
export class CliFailure extends Data.TaggedError("CliFailure")<{
  readonly message: string
  readonly code: number
}> {}

const secrets = new Set<string>()

/** Registers a secret that must never be printed. */
export const registerSecret = (secret: string): void => {
  if (secret.length >= 4) secrets.add(secret)
}

/** Removes every registered secret from a text. */
export const scrub = (text: string): string => {
  let out = text
  for (const secret of secrets) out = out.split(secret).join("<redacted>")
  return out
}

const oneLine = (text: string, max = 240): string => {
  const flat = text.replace(/\s+/g, " ").trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

const withRequestId = (line: string, requestId: string | null): string =>
  requestId === null ? line : `${line} (request ${requestId})`

const detail = (error: AdminApiError.StatusError): string =>
  oneLine(error.error?.message ?? error.bodyText ?? `${error.method} ${error.path}`)

/** The line and exit code of a library error. */
export const describeApiError = (error: AdminApiError.AdminApiError): { line: string; code: number } => {
  switch (error._tag) {
    case "BadRequestError":
      return { line: withRequestId(`bad request (400): ${detail(error)}`, error.requestId), code: ExitCode.usage }
    case "UnprocessableEntityError":
      return {
        line: withRequestId(`invalid request (422): ${detail(error)}`, error.requestId),
        code: ExitCode.usage
      }
    case "AuthenticationError":
      return {
        line: withRequestId(`authentication failed (401): check OPENAI_ADMIN_KEY`, error.requestId),
        code: ExitCode.auth
      }
    case "PermissionDeniedError":
      return {
        line: withRequestId(`permission denied (403): ${detail(error)}`, error.requestId),
        code: ExitCode.auth
      }
    case "NotFoundError":
      return { line: withRequestId(`not found (404): ${detail(error)}`, error.requestId), code: ExitCode.notFound }
    case "RateLimitError": {
      const after = error.retryAfter === null ? "" : `; retry after ${Duration.format(error.retryAfter)}`
      const quota = AdminApiError.isInsufficientQuota(error) ? "quota exceeded" : "rate limited"
      return {
        line: withRequestId(`${quota} (429): ${detail(error)}${after}`, error.requestId),
        code: ExitCode.rateLimit
      }
    }
    case "InternalServerError":
      return {
        line: withRequestId(`server error (${error.status}): ${detail(error)}`, error.requestId),
        code: ExitCode.server
      }
    case "ConflictError":
      return { line: withRequestId(`conflict (409): ${detail(error)}`, error.requestId), code: ExitCode.unexpected }
    case "ApiError":
      return {
        line: withRequestId(`unexpected response (${error.status}): ${detail(error)}`, error.requestId),
        code: ExitCode.unexpected
      }
    case "ConnectionError":
      return {
        line: `connection failed (${error.method} ${error.path}): ${oneLine(error.reason)}; check OPENAI_BASE_URL`,
        code: ExitCode.connection
      }
    case "TimeoutError":
      return {
        line: `timed out after ${Duration.format(error.timeout)} (${error.method} ${error.path})`,
        code: ExitCode.connection
      }
    case "ResponseDecodeError":
      return {
        line: withRequestId(
          `unexpected response (${error.method} ${error.path}): ${oneLine(error.issues.join("; "))}`,
          error.requestId
        ),
        code: ExitCode.server
      }
    case "PaginationError":
      return { line: `pagination failed: ${oneLine(error.message)}`, code: ExitCode.server }
    case "InvalidRequestError":
      return { line: `invalid request: ${oneLine(error.message)}`, code: ExitCode.usage }
  }
}

const settingNames: Readonly<Record<string, string>> = {
  apiKey: "OPENAI_ADMIN_KEY",
  baseUrl: "OPENAI_BASE_URL / --base-url",
  organization: "OPENAI_ORG_ID / --organization",
  project: "OPENAI_PROJECT_ID / --project",
  timeout: "--timeout",
  retry: "--retries",
  readAhead: "readAhead",
  maxConcurrentRequests: "maxConcurrentRequests"
}

const configLeaves = (error: ConfigError.ConfigError): Array<ConfigError.ConfigError> => {
  switch (error._op) {
    case "And":
    case "Or":
      return [...configLeaves(error.left), ...configLeaves(error.right)]
    default:
      return [error]
  }
}

/** The line of a configuration error. */
export const describeConfigError = (error: ConfigError.ConfigError): string => {
  const leaf = configLeaves(error)[0] ?? error
  const name = "path" in leaf && leaf.path.length > 0 ? leaf.path[leaf.path.length - 1]! : "configuration"
  const setting = settingNames[name] ?? name
  switch (leaf._op) {
    case "MissingData":
      return name === "OPENAI_ADMIN_KEY"
        ? "configuration: OPENAI_ADMIN_KEY is not set (export an admin key, or try --demo)"
        : `configuration: ${setting} is not set`
    case "InvalidData":
      if (name === "OPENAI_ADMIN_KEY") return "configuration: OPENAI_ADMIN_KEY is blank (export an admin key, or try --demo)"
      if (name === "retry") return "configuration: invalid --retries: must be an integer ≥ 0"
      return `configuration: invalid ${setting}: ${oneLine(leaf.message)}`
    default:
      return `configuration: ${oneLine("message" in leaf ? String(leaf.message) : "unavailable")}`
  }
}

/** The line to print (or none, when @effect/cli has printed its own) and the exit code of a failed run. */
export const describeCause = (cause: Cause.Cause<unknown>): { line: string | undefined; code: number } => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    if (ValidationError.isValidationError(error)) return { line: undefined, code: ExitCode.usage }
    if (AdminApiError.isAdminApiError(error)) {
      const { code, line } = describeApiError(error)
      return { line: scrub(line), code }
    }
    if (ConfigError.isConfigError(error)) return { line: scrub(describeConfigError(error)), code: ExitCode.usage }
    if (error instanceof CliFailure) return { line: scrub(error.message), code: error.code }
    return { line: scrub(`unexpected failure: ${oneLine(String(error))}`), code: ExitCode.unexpected }
  }
  if (Cause.isInterruptedOnly(cause)) return { line: undefined, code: ExitCode.interrupted }
  const defect = Cause.squash(cause)
  const message = defect instanceof Error ? `${defect.name}: ${defect.message}` : String(defect)
  return { line: scrub(`unexpected error: ${oneLine(message)}`), code: ExitCode.unexpected }
}
