/**
 * Options of the Admin API client: their defaults, their validation (an invalid option fails with a
 * `ConfigError` naming it) and the `Config` that reads them from the environment.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import type { AdminApiError } from "./AdminApiError.js"
import * as Retry from "./Retry.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The admin API key (`OPENAI_ADMIN_KEY`). */
  readonly apiKey: Redacted.Redacted<string>
  /** Default `https://api.openai.com/v1` (`OPENAI_BASE_URL`). Plain `http` only to loopback hosts. */
  readonly baseUrl?: string | undefined
  /** Sent as `OpenAI-Organization` (`OPENAI_ORG_ID`). */
  readonly organization?: string | undefined
  /** Sent as `OpenAI-Project` (`OPENAI_PROJECT_ID`). */
  readonly project?: string | undefined
  /** Per attempt, request and body together; > 0; default 60 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** A number of retries for the default policy (0 = none), or a schedule that replaces it. Default 2. */
  readonly retry?: number | Schedule.Schedule<unknown, AdminApiError> | undefined
  /** Pages requested beyond the one being consumed; integer ≥ 0; default 1. */
  readonly readAhead?: number | undefined
  /** At most this many requests in flight over the layer (held per attempt, released during backoff). */
  readonly maxConcurrentRequests?: number | undefined
  /** At most `limit` requests started per `interval` over the layer. */
  readonly rateLimit?: { readonly limit: number; readonly interval: Duration.DurationInput } | undefined
  /** A response body larger than this is cancelled; default 32 MiB. */
  readonly maxResponseBytes?: number | undefined
}

/**
 * Options with every default filled in and every value checked.
 *
 * @since 0.1.0
 * @category models
 */
export interface Resolved {
  readonly apiKey: Redacted.Redacted<string>
  /** Without a trailing slash. */
  readonly baseUrl: string
  readonly organization: string | undefined
  readonly project: string | undefined
  readonly timeout: Duration.Duration
  readonly retry: Schedule.Schedule<unknown, AdminApiError>
  readonly readAhead: number
  readonly maxConcurrentRequests: number | undefined
  readonly rateLimit: { readonly limit: number; readonly interval: Duration.Duration } | undefined
  readonly maxResponseBytes: number
}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultBaseUrl = "https://api.openai.com/v1"

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultTimeout: Duration.Duration = Duration.seconds(60)

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxResponseBytes = 32 * 1024 * 1024

/**
 * Whether a URL host is a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`), where plain `http` is allowed.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isLoopbackHost = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || hostname === "::1" ||
  /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

const invalid = (option: string, message: string) => Effect.fail(ConfigError.InvalidData([option], message))

const blankToUndefined = (s: string | undefined): string | undefined =>
  s === undefined || s.trim() === "" ? undefined : s.trim()

const isPositiveInt = (n: number) => Number.isSafeInteger(n) && n > 0

/**
 * Checks the options and fills in the defaults.
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolve = (options: Options): Effect.Effect<Resolved, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    if (!Redacted.isRedacted(options.apiKey) || typeof Redacted.value(options.apiKey) !== "string") {
      return yield* invalid("apiKey", "must be a Redacted string")
    }
    if (Redacted.value(options.apiKey).trim() === "") return yield* invalid("apiKey", "must not be blank")

    const rawBaseUrl = blankToUndefined(options.baseUrl) ?? defaultBaseUrl
    let url: URL
    try {
      url = new URL(rawBaseUrl)
    } catch {
      return yield* invalid("baseUrl", "is not a valid absolute URL")
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      return yield* invalid("baseUrl", `must use https (got ${url.protocol.replace(":", "")})`)
    }
    if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
      return yield* invalid("baseUrl", "must use https: the key is sent over plain http only to loopback hosts")
    }
    // `href`, not `search`/`hash`: those are "" for an empty query or fragment ("…/v1?" or "…/v1#"), which would
    // otherwise be kept, and every request path appended after the "?" or "#".
    if (/[?#]/.test(url.href)) {
      return yield* invalid("baseUrl", "must not have a query or fragment")
    }
    if (url.username !== "" || url.password !== "") {
      return yield* invalid("baseUrl", "must not contain credentials")
    }
    const baseUrl = url.href.replace(/\/+$/, "")

    let timeout = defaultTimeout
    if (options.timeout !== undefined) {
      const decoded = Duration.decodeUnknown(options.timeout)
      if (decoded._tag === "None" || !Duration.isFinite(decoded.value) || Duration.toMillis(decoded.value) <= 0) {
        return yield* invalid("timeout", "must be a finite duration greater than zero")
      }
      timeout = decoded.value
    }

    let retry = Retry.defaultPolicy
    if (typeof options.retry === "number") {
      if (!Number.isSafeInteger(options.retry) || options.retry < 0) {
        return yield* invalid("retry", "must be an integer ≥ 0 or a Schedule")
      }
      retry = Retry.policy(options.retry)
    } else if (options.retry !== undefined) {
      if (!Schedule.isSchedule(options.retry)) return yield* invalid("retry", "must be an integer ≥ 0 or a Schedule")
      retry = Retry.atLeastRetryAfter(options.retry)
    }

    const readAhead = options.readAhead ?? 1
    if (!Number.isSafeInteger(readAhead) || readAhead < 0) {
      return yield* invalid("readAhead", "must be an integer ≥ 0")
    }

    const maxConcurrentRequests = options.maxConcurrentRequests
    if (maxConcurrentRequests !== undefined && !isPositiveInt(maxConcurrentRequests)) {
      return yield* invalid("maxConcurrentRequests", "must be an integer > 0")
    }

    let rateLimit: Resolved["rateLimit"] = undefined
    if (options.rateLimit !== undefined) {
      if (!isPositiveInt(options.rateLimit.limit)) {
        return yield* invalid("rateLimit.limit", "must be an integer > 0")
      }
      const interval = Duration.decodeUnknown(options.rateLimit.interval)
      if (interval._tag === "None" || !Duration.isFinite(interval.value) || Duration.toMillis(interval.value) <= 0) {
        return yield* invalid("rateLimit.interval", "must be a finite duration greater than zero")
      }
      rateLimit = { limit: options.rateLimit.limit, interval: interval.value }
    }

    const maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes
    if (!isPositiveInt(maxResponseBytes)) {
      return yield* invalid("maxResponseBytes", "must be an integer > 0")
    }

    return {
      apiKey: options.apiKey,
      baseUrl,
      organization: blankToUndefined(options.organization),
      project: blankToUndefined(options.project),
      timeout,
      retry,
      readAhead,
      maxConcurrentRequests,
      rateLimit,
      maxResponseBytes
    }
  })

const optionalEnv = (name: string): Config.Config<string | undefined> =>
  Config.string(name).pipe(
    Config.option,
    Config.map((o) => blankToUndefined(o._tag === "Some" ? o.value : undefined))
  )

/**
 * The options from the environment (through Effect's `Config`, so any `ConfigProvider` works):
 * `OPENAI_ADMIN_KEY` (required, redacted), `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`. A blank
 * value counts as unset.
 *
 * @since 0.1.0
 * @category config
 */
export const fromEnv: Config.Config<Options> = Config.all({
  apiKey: Config.mapOrFail(Config.string("OPENAI_ADMIN_KEY"), (key) =>
    key.trim() === ""
      // An empty path: `Config.mapOrFail` prefixes it with the variable's name (a path here would say it twice).
      ? Either.left(ConfigError.InvalidData([], "must not be blank"))
      : Either.right(Redacted.make(key.trim()))),
  baseUrl: optionalEnv("OPENAI_BASE_URL"),
  organization: optionalEnv("OPENAI_ORG_ID"),
  project: optionalEnv("OPENAI_PROJECT_ID")
})
