/**
 * The one request path: URL, query, headers, per-attempt timeout, body reading, classification into a value or
 * an `AdminApiError`, decoding, retries, concurrency and rate limits. Every operation of every resource goes
 * through `make(...).execute`.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as RateLimiter from "effect/RateLimiter"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as AdminApiConfig from "../AdminApiConfig.js"
import type { AdminApiError } from "../AdminApiError.js"
import * as Errors from "../AdminApiError.js"
import * as Retry from "../Retry.js"
import * as Body from "./body.js"
import { formatIssue } from "./issues.js"
import * as Timeout from "./timeout.js"
import { traced } from "./tracing.js"
import { packageName, packageVersion } from "./version.js"

/**
 * One call, ready to send: everything about the endpoint has been resolved and validated.
 *
 * @internal
 */
export interface Call<A> {
  /** The operation's name in the tree, e.g. `projects.users.create`. */
  readonly operation: string
  readonly method: "GET" | "POST" | "DELETE"
  /** The encoded path below the base URL, e.g. `/organization/users/user_1`. */
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  /** The JSON body, or undefined for none. */
  readonly body: unknown
  readonly decode: (json: unknown) => Either.Either<A, ParseResult.ParseIssue>
  /**
   * When true, `decode` gets the body text itself, unparsed (the caller decodes it later with `decodeBody`):
   * a listing reads the next cursor from the text and parses the page off the request chain.
   */
  readonly raw?: boolean
  /** A POST that creates: retried only on 429 and on connection errors raised before sending. */
  readonly create: boolean
  /**
   * Called with the body text of a success response (2xx, JSON), as soon as it has arrived, before it is decoded:
   * a listing asks for its next page from there.
   */
  readonly onBody?: ((text: string) => void) | undefined
}

/**
 * @internal
 */
export interface Response<A> {
  readonly value: A
  readonly status: number
  readonly requestId: string | null
}

/**
 * @internal
 */
export interface Requester {
  readonly execute: <A>(call: Call<A>) => Effect.Effect<Response<A>, AdminApiError>
  /**
   * `execute`, started at once in fibers that `run` starts (from outside of any fiber: a listing's `Call.onBody`):
   * the first attempt in one, its retries, if it fails, in another, at once; `response` awaits them.
   */
  readonly start: <A>(call: Call<A>, run: Timeout.Run) => Started<A>
  readonly options: AdminApiConfig.Resolved
}

/**
 * A call whose first attempt is on its way (`Requester.start`).
 *
 * @internal
 */
export interface Started<A> {
  readonly response: Effect.Effect<Response<A>, AdminApiError>
  /** Stops the call (its fibers): its response is no longer wanted. */
  readonly interrupt: Effect.Effect<void>
}

const preSendCodes: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_HAS_EXPIRED",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN"
])

/** Error codes found along an error's `cause` chain (and inside AggregateErrors). */
const errorCodes = (u: unknown, depth = 0): Array<string> => {
  if (depth > 6 || typeof u !== "object" || u === null) return []
  const codes: Array<string> = []
  const record = u as { readonly code?: unknown; readonly cause?: unknown; readonly errors?: unknown }
  if (typeof record.code === "string") codes.push(record.code)
  if (Array.isArray(record.errors)) {
    for (const inner of record.errors) codes.push(...errorCodes(inner, depth + 1))
  }
  codes.push(...errorCodes(record.cause, depth + 1))
  return codes
}

const causeMessage = (u: unknown): string => {
  const codes = errorCodes(u)
  const message = typeof u === "object" && u !== null && "message" in u && typeof u.message === "string"
    ? u.message
    : "transport failure"
  return codes.length > 0 ? `${message} (${[...new Set(codes)].join(", ")})` : message
}

const header = (headers: Headers.Headers, name: string): string | undefined => {
  const value = headers[name]
  return typeof value === "string" ? value : undefined
}

/**
 * The wait a response asks for: `retry-after-ms`, else `retry-after` as seconds, else as an HTTP date (against
 * the `Clock`). Garbage and negative values are ignored; a date in the past is a wait of 0.
 *
 * @internal
 */
export const parseRetryAfter = (headers: Headers.Headers, nowMillis: number): Duration.Duration | null => {
  const ms = header(headers, "retry-after-ms")
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Duration.millis(Number(ms))
  const after = header(headers, "retry-after")
  if (after === undefined) return null
  if (/^\s*\d+(\.\d+)?\s*$/.test(after)) return Duration.millis(Number(after) * 1000)
  const date = Date.parse(after)
  if (Number.isNaN(date) || !/[a-z]/i.test(after)) return null
  return Duration.millis(Math.max(0, date - nowMillis))
}

const requestIdOf = (headers: Headers.Headers): string | null => header(headers, "x-request-id") ?? null

const shouldRetryHeader = (headers: Headers.Headers): boolean | null => {
  const value = header(headers, "x-should-retry")
  return value === "true" ? true : value === "false" ? false : null
}

const str = (u: unknown): string | null =>
  typeof u === "string" ? u : typeof u === "number" || typeof u === "boolean" ? String(u) : null

const statusErrorClass = (status: number) => {
  switch (status) {
    case 400:
      return Errors.BadRequestError
    case 401:
      return Errors.AuthenticationError
    case 403:
      return Errors.PermissionDeniedError
    case 404:
      return Errors.NotFoundError
    case 409:
      return Errors.ConflictError
    case 422:
      return Errors.UnprocessableEntityError
    case 429:
      return Errors.RateLimitError
    default:
      return status >= 500 ? Errors.InternalServerError : Errors.ApiError
  }
}

/** Removes the key from text that came from outside (a proxy echoing headers, say). */
const scrub = (text: string, key: string): string => key.length >= 4 ? text.split(key).join("<redacted>") : text

const statusError = (
  call: Call<unknown>,
  status: number,
  headers: Headers.Headers,
  text: string,
  nowMillis: number,
  key: string
): Errors.StatusError => {
  let error: Errors.ErrorBody | null = null
  let bodyText: string | null = null
  try {
    const json: unknown = JSON.parse(text)
    const inner = typeof json === "object" && json !== null && "error" in json ? json.error : undefined
    if (typeof inner === "object" && inner !== null) {
      const e = inner as Record<string, unknown>
      // Every field is scrubbed, not only the message: a proxy may echo the key in any of them.
      const clean = (u: unknown) => {
        const s = str(u)
        return s === null ? null : scrub(s, key)
      }
      error = { message: clean(e.message), type: clean(e.type), code: clean(e.code), param: clean(e.param) }
    } else if (typeof inner === "string") {
      error = { message: scrub(inner, key), type: null, code: null, param: null }
    }
  } catch {
    // not JSON: keep the text
  }
  if (error === null && text.trim() !== "") bodyText = scrub(text.trim().slice(0, 512), key)
  const ErrorClass = statusErrorClass(status)
  return new ErrorClass({
    status,
    method: call.method,
    path: call.path,
    requestId: requestIdOf(headers),
    error,
    bodyText,
    retryAfter: parseRetryAfter(headers, nowMillis),
    shouldRetry: shouldRetryHeader(headers)
  })
}

/**
 * A response that is not what the operation returns.
 *
 * @internal
 */
export const decodeError = (
  call: Pick<Call<unknown>, "method" | "path">,
  status: number,
  requestId: string | null,
  issues: ReadonlyArray<string>
) => new Errors.ResponseDecodeError({ method: call.method, path: call.path, status, requestId, issues })

/**
 * A success body, parsed as JSON and decoded: the value, or the `ResponseDecodeError` naming what was wrong.
 *
 * @internal
 */
export const decodeBody = <A>(
  call: Pick<Call<A>, "method" | "path" | "decode">,
  status: number,
  requestId: string | null,
  text: string
): Either.Either<A, Errors.ResponseDecodeError> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return Either.left(decodeError(call, status, requestId, ["body: expected JSON"]))
  }
  return Either.mapLeft(call.decode(json), (issue) => decodeError(call, status, requestId, formatIssue(issue)))
}

/**
 * Whether this call retries this error: transient (`AdminApiError.isRetryable`), a requested wait within 60 s,
 * and for a create only what cannot duplicate it.
 *
 * @internal
 */
export const shouldRetry = (create: boolean) => (error: AdminApiError): boolean => {
  if (!Errors.isRetryable(error)) return false
  const wait = Retry.retryAfter(error)
  if (wait._tag === "Some" && Duration.greaterThan(wait.value, Retry.maxRetryAfter)) return false
  if (create) return error._tag === "RateLimitError" || (error._tag === "ConnectionError" && !error.sent)
  return true
}

const concatBytes = (parts: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

const decoder = new TextDecoder()

/**
 * An error response's body is read up to this many bytes (or `maxResponseBytes` if smaller), the rest cancelled:
 * enough for any error object, and a proxy's endless error page neither costs `maxResponseBytes` of memory nor
 * hides the status behind a `ResponseDecodeError`.
 */
const maxErrorBodyBytes = 64 * 1024

/**
 * Builds the requester of one layer: the configured client, the limits, the retry policy.
 *
 * @internal
 */
export const make = (
  options: AdminApiConfig.Resolved
): Effect.Effect<Requester, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const key = Redacted.value(options.apiKey)
    const baseHeaders: Record<string, string> = {
      accept: "application/json",
      "user-agent": `${packageName}/${packageVersion}`
    }
    if (options.organization !== undefined) baseHeaders["openai-organization"] = options.organization
    if (options.project !== undefined) baseHeaders["openai-project"] = options.project

    // Every request carries the same headers: built once, set directly on each request (no per-request transform).
    const requestHeaders = Headers.fromInput({ ...baseHeaders, authorization: `Bearer ${key}` })
    // One request per method with those headers, made once; a call only sets its URL, query and body on it.
    const templates = {
      GET: HttpClientRequest.make("GET")("", { headers: requestHeaders }),
      POST: HttpClientRequest.make("POST")("", { headers: requestHeaders }),
      DELETE: HttpClientRequest.make("DELETE")("", { headers: requestHeaders })
    }
    // Not the transport's own `http.client` span, which also means that no trace-propagation headers are sent. That
    // span records every response header as an attribute (a proxy echoing the key in one put the key in the trace),
    // and it ends with the transport's raw error, which carries the request, Authorization header included, in plain
    // text (headers are redacted only inside a logger): a tracer serialising a failed span's exit got the key.
    // `attempt` makes that span itself, with the method, path and status only, ending with this library's errors,
    // which never hold the key.
    const client = HttpClient.withTracerDisabledWhen(yield* HttpClient.HttpClient, () => true)

    const base = new URL(options.baseUrl)
    const serverAddress = base.origin
    const basePath = base.pathname.replace(/\/+$/, "")
    const semaphore = options.maxConcurrentRequests === undefined
      ? undefined
      : yield* Effect.makeSemaphore(options.maxConcurrentRequests)
    const rateLimiter = options.rateLimit === undefined
      ? undefined
      : yield* RateLimiter.make({ limit: options.rateLimit.limit, interval: options.rateLimit.interval })
    const limit = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> => {
      const permitted = semaphore === undefined ? effect : semaphore.withPermits(1)(effect)
      return rateLimiter === undefined ? permitted : rateLimiter(permitted)
    }

    const readBody = (
      call: Call<unknown>,
      response: HttpClientResponse.HttpClientResponse,
      headers: Headers.Headers
    ): Effect.Effect<string, Errors.ConnectionError | Errors.ResponseDecodeError> => {
      const toConnectionError = (error: { readonly cause?: unknown }) =>
        new Errors.ConnectionError({
          method: call.method,
          path: call.path,
          sent: true,
          reason: `failed while reading the body: ${causeMessage(error.cause)}`
        })
      const tooLarge = () => decodeError(call, response.status, requestIdOf(headers), [
        `body: larger than maxResponseBytes (${options.maxResponseBytes} bytes)`
      ])
      // A success body over the limit fails; an error body is cut at its (smaller) limit, its status kept.
      const isError = response.status < 200 || response.status >= 300
      const limit = isError ? Math.min(maxErrorBodyBytes, options.maxResponseBytes) : options.maxResponseBytes
      const length = Number(header(headers, "content-length") ?? Number.NaN)
      if (Number.isFinite(length) && length <= limit) {
        // The bytes (`Body.bytes`: without the platform's per-response cache where it can), decoded here as `text`
        // would (UTF-8, a BOM dropped). Not `text`: it hands the string over through a completed `Deferred`, and V8
        // then keeps every page's text alive until the next full collection (each one copied out of the young
        // generation on the way); an `ArrayBuffer` kept so is a small object.
        return Effect.mapBoth(Body.bytes(response), {
          onFailure: toConnectionError,
          onSuccess: (bytes) => decoder.decode(bytes)
        })
      }
      // Unknown or too large a length: read chunk by chunk, and stop (cancelling the rest) once the limit is passed.
      const parts: Array<Uint8Array> = []
      let size = 0
      return response.stream.pipe(
        Stream.mapError(toConnectionError),
        Stream.runFoldWhile(0, () => size <= limit, (_, bytes) => {
          size += bytes.length
          parts.push(bytes)
          return size
        }),
        Effect.flatMap(() => {
          if (size <= limit) return Effect.succeed(decoder.decode(concatBytes(parts, size)))
          if (!isError) return Effect.fail(tooLarge())
          return Effect.succeed(decoder.decode(concatBytes(parts, size).subarray(0, limit)))
        })
      )
    }

    const classify = <A>(
      call: Call<A>,
      response: HttpClientResponse.HttpClientResponse,
      headers: Headers.Headers,
      text: string
    ): Effect.Effect<Response<A>, AdminApiError> => {
      const status = response.status
      if (status < 200 || status >= 300) {
        return Effect.flatMap(
          Clock.currentTimeMillis,
          (now) => Effect.fail(statusError(call, status, headers, text, now, key))
        )
      }
      const requestId = requestIdOf(headers)
      const contentType = header(headers, "content-type")
      if (contentType !== undefined && !/\bjson\b/i.test(contentType)) {
        return Effect.fail(decodeError(call, status, requestId, ["content-type: expected application/json"]))
      }
      call.onBody?.(text)
      const decoded = call.raw === true
        ? Either.mapLeft(call.decode(text), (issue) => decodeError(call, status, requestId, formatIssue(issue)))
        : decodeBody(call, status, requestId, text)
      return Either.isRight(decoded)
        ? Effect.succeed({ value: decoded.right, status, requestId })
        : Effect.fail(decoded.left)
    }

    // One attempt: its own span (when traced) around the timeout around the transport, the body and the
    // classification. The span's status attribute is set on the span itself, not through the fiber's current span.
    const attempt = <A>(
      call: Call<A>,
      request: HttpClientRequest.HttpClientRequest,
      timed: (effect: Effect.Effect<Response<A>, AdminApiError>) => Effect.Effect<Response<A>, AdminApiError>
    ) =>
      limit(traced(`http.client ${call.method}`, {
        kind: "client",
        captureStackTrace: false,
        attributes: {
          "http.request.method": call.method,
          "server.address": serverAddress,
          "url.path": basePath + call.path
        }
      }, (span) =>
        timed(
          client.execute(request).pipe(
            Effect.catchAll((error) =>
              Effect.fail(
                new Errors.ConnectionError({
                  method: call.method,
                  path: call.path,
                  sent: !errorCodes(error.cause).some((code) => preSendCodes.has(code)),
                  reason: causeMessage(error.cause ?? error)
                })
              )
            ),
            Effect.flatMap((response) => {
              span?.attribute("http.response.status_code", response.status)
              // The platform's response builds its headers anew on every access: once per response here.
              const headers = response.headers
              return Effect.flatMap(
                readBody(call as Call<unknown>, response, headers),
                (text) => classify(call, response, headers, text)
              )
            })
          )
        )))

    const onTimeout = (call: Call<unknown>) => () =>
      new Errors.TimeoutError({ method: call.method, path: call.path, timeout: options.timeout })

    const logRetry = (call: Call<unknown>, attemptNumber: number, error: AdminApiError, delay: Duration.Duration) => {
      const attributes = {
        operation: call.operation,
        attempt: attemptNumber,
        error: error._tag,
        status: "status" in error ? error.status : null,
        requestId: "requestId" in error ? error.requestId : null,
        delayMillis: Duration.toMillis(delay)
      }
      return Effect.zipRight(
        Effect.flatMap(
          Effect.option(Effect.currentSpan),
          (span) =>
            span._tag === "Some"
              ? Effect.flatMap(Clock.currentTimeNanos, (now) =>
                Effect.sync(() => span.value.event("retry", now, attributes)))
              : Effect.void
        ),
        Effect.logDebug("AdminApi: retrying").pipe(Effect.annotateLogs(attributes))
      )
    }

    const retrySchedule = (call: Call<unknown>) =>
      Schedule.delays(options.retry).pipe(
        Schedule.intersect(Schedule.identity<AdminApiError>()),
        Schedule.intersect(Schedule.count),
        Schedule.onDecision(([[delay, error], count], decision) =>
          decision._tag === "Continue" ? logRetry(call, count + 2, error, delay) : Effect.void
        )
      )

    const toRequest = (call: Call<unknown>): HttpClientRequest.HttpClientRequest => {
      let request = HttpClientRequest.setUrl(templates[call.method], options.baseUrl + call.path)
      if (call.query.length > 0) request = HttpClientRequest.setUrlParams(request, call.query)
      if (call.body !== undefined) {
        request = HttpClientRequest.bodyText(request, JSON.stringify(call.body), "application/json")
      }
      return request
    }

    /** One attempt, timed in a child fiber. */
    const once = <A>(call: Call<A>, request: HttpClientRequest.HttpClientRequest) =>
      attempt(call, request, (effect) => Timeout.timeoutFail(effect, options.timeout, onTimeout(call)))

    /**
     * After a failed attempt: the retries, each one `retry`. The schedule is stepped only with errors this call
     * retries (Effect.retry's `while` would step it first), and its driver is made on the first retryable error
     * only: a call that succeeds at once pays nothing for it.
     */
    const recover = <A>(call: Call<A>, retry: Effect.Effect<Response<A>, AdminApiError>) => {
      const retryable = shouldRetry(call.create)
      const retryWith = (driver: Schedule.ScheduleDriver<unknown, AdminApiError>) =>
      (error: AdminApiError): Effect.Effect<Response<A>, AdminApiError> =>
        retryable(error)
          ? Effect.matchEffect(driver.next(error), {
            onFailure: () => Effect.fail(error),
            onSuccess: () => Effect.catchAll(retry, retryWith(driver))
          })
          : Effect.fail(error)
      return (error: AdminApiError): Effect.Effect<Response<A>, AdminApiError> =>
        retryable(error)
          ? Effect.flatMap(Schedule.driver(retrySchedule(call as Call<unknown>)), (driver) => retryWith(driver)(error))
          : Effect.fail(error)
    }

    const execute = <A>(call: Call<A>): Effect.Effect<Response<A>, AdminApiError> => {
      const first = once(call, toRequest(call))
      return Effect.catchAll(first, recover(call, first))
    }

    // The first attempt runs in the fiber `run` starts, its timer interrupting that fiber: one fiber per attempt,
    // as with `execute`. If it fails, its retries start at once in a fiber of their own (not when someone awaits
    // `response`: a listing's consumer may be pages behind).
    const start = <A>(call: Call<A>, run: Timeout.Run): Started<A> => {
      const request = toRequest(call)
      const timer = Timeout.make(options.timeout, onTimeout(call))
      const first = run(attempt(call, request, timer.arm))
      let retries: Fiber.RuntimeFiber<Response<A>, AdminApiError> | undefined
      first.addObserver((exit) => {
        const outcome = timer.outcome(exit)
        if (Exit.isSuccess(outcome)) return
        const error = Cause.failureOption(outcome.cause)
        if (Option.isSome(error)) retries = run(recover(call, once(call, request))(error.value))
      })
      return {
        response: Effect.catchAll(timer.await(first), (error) =>
          retries === undefined
            ? Effect.fail(error)
            : Effect.onInterrupt(Effect.flatten(Fiber.await(retries)), () => Fiber.interrupt(retries!))),
        interrupt: Effect.zipRight(
          Fiber.interrupt(first),
          Effect.suspend(() => retries === undefined ? Effect.void : Fiber.interrupt(retries))
        )
      }
    }

    return { execute, start, options }
  })
