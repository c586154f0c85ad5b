/**
 * The tagged errors of the Admin API client. Every failure of every operation is one of these, so
 * `Effect.catchTag` works everywhere and nothing untyped escapes.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * The error object that the API returns in an error response's `error` field.
 *
 * @since 0.1.0
 * @category models
 */
export const ErrorBody = Schema.Struct({
  message: Schema.NullOr(Schema.String),
  type: Schema.NullOr(Schema.String),
  code: Schema.NullOr(Schema.String),
  param: Schema.NullOr(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ErrorBody = typeof ErrorBody.Type

/**
 * Fields shared by every error that carries an HTTP status.
 *
 * @since 0.1.0
 * @category models
 */
export const StatusFields = {
  status: Schema.Number,
  method: Schema.String,
  /** The request path below the base URL, without the query string. */
  path: Schema.String,
  /** `x-request-id` of the response, or null. */
  requestId: Schema.NullOr(Schema.String),
  /** The API's error object, or null when the body had none. */
  error: Schema.NullOr(ErrorBody),
  /** The body's text (at most 512 characters) when it was not an API error object (e.g. a proxy's HTML page). */
  bodyText: Schema.NullOr(Schema.String),
  /** The wait the server asked for (`retry-after-ms` / `retry-after`), if any. */
  retryAfter: Schema.NullOr(Schema.DurationFromSelf),
  /** The `x-should-retry` header as a boolean, or null when absent or not `true`/`false`. */
  shouldRetry: Schema.NullOr(Schema.Boolean)
}

const statusMessage = (self: {
  readonly status: number
  readonly error: ErrorBody | null
  readonly bodyText: string | null
  readonly requestId: string | null
  readonly method: string
  readonly path: string
}): string => {
  const detail = self.error?.message ?? self.bodyText ?? `${self.method} ${self.path}`
  return `${self.status} ${detail}${self.requestId === null ? "" : ` (request ${self.requestId})`}`
}

/**
 * HTTP 400.
 *
 * @since 0.1.0
 * @category errors
 */
export class BadRequestError extends Schema.TaggedError<BadRequestError>()("BadRequestError", StatusFields) {
  override get message(): string {
    return statusMessage(this)
  }
}

/**
 * HTTP 401: the admin key is missing, wrong or revoked.
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthenticationError
  extends Schema.TaggedError<AuthenticationError>()("AuthenticationError", StatusFields)
{
  override get message(): string {
    return statusMessage(this)
  }
}

/**
 * HTTP 403.
 *
 * @since 0.1.0
 * @category errors
 */
export class PermissionDeniedError
  extends Schema.TaggedError<PermissionDeniedError>()("PermissionDeniedError", StatusFields)
{
  override get message(): string {
    return statusMessage(this)
  }
}

/**
 * HTTP 404.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFoundError extends Schema.TaggedError<NotFoundError>()("NotFoundError", StatusFields) {
  override get message(): string {
    return statusMessage(this)
  }
}

/**
 * HTTP 409.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConflictError extends Schema.TaggedError<ConflictError>()("ConflictError", StatusFields) {
  override get message(): string {
    return statusMessage(this)
  }
}

/**
 * HTTP 422.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnprocessableEntityError
  extends Schema.TaggedError<UnprocessableEntityError>()("UnprocessableEntityError", StatusFields)
{
  override get message(): string {
    return statusMessage(this)
  }
}

/**
 * HTTP 429. `retryAfter` holds the server's requested wait, if it sent one.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimitError extends Schema.TaggedError<RateLimitError>()("RateLimitError", StatusFields) {
  override get message(): string {
    const base = statusMessage(this)
    return this.retryAfter === null ? base : `${base}, retry after ${Duration.format(this.retryAfter)}`
  }
}

/**
 * HTTP 500 and above.
 *
 * @since 0.1.0
 * @category errors
 */
export class InternalServerError
  extends Schema.TaggedError<InternalServerError>()("InternalServerError", StatusFields)
{
  override get message(): string {
    return statusMessage(this)
  }
}

/**
 * Any other non-2xx status.
 *
 * @since 0.1.0
 * @category errors
 */
export class ApiError extends Schema.TaggedError<ApiError>()("ApiError", StatusFields) {
  override get message(): string {
    return statusMessage(this)
  }
}

/**
 * A transport failure: the connection could not be made, was reset, or failed while the body was read.
 * `sent` tells whether the request may have reached the server (false only when the failure happened before
 * anything was sent, such as a refused connection).
 *
 * @since 0.1.0
 * @category errors
 */
export class ConnectionError extends Schema.TaggedError<ConnectionError>()("ConnectionError", {
  method: Schema.String,
  path: Schema.String,
  sent: Schema.Boolean,
  reason: Schema.String
}) {
  override get message(): string {
    return `Connection error on ${this.method} ${this.path}: ${this.reason}`
  }
}

/**
 * An attempt (request and body) took longer than the configured `timeout`.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimeoutError extends Schema.TaggedError<TimeoutError>()("TimeoutError", {
  method: Schema.String,
  path: Schema.String,
  timeout: Schema.DurationFromSelf
}) {
  override get message(): string {
    return `${this.method} ${this.path} timed out after ${Duration.format(this.timeout)}`
  }
}

/**
 * A complete 2xx body that is not JSON or does not match the schema. `issues` name the field paths and the
 * expected types, never the received values.
 *
 * @since 0.1.0
 * @category errors
 */
export class ResponseDecodeError extends Schema.TaggedError<ResponseDecodeError>()("ResponseDecodeError", {
  method: Schema.String,
  path: Schema.String,
  status: Schema.Number,
  requestId: Schema.NullOr(Schema.String),
  issues: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `Could not decode the response of ${this.method} ${this.path}: ${this.issues.join("; ")}${
      this.requestId === null ? "" : ` (request ${this.requestId})`
    }`
  }
}

/**
 * The server's pagination cannot be followed safely: `has_more` without a cursor, or a cursor that was already
 * used by this listing (a server repeating itself would otherwise loop forever).
 *
 * @since 0.1.0
 * @category errors
 */
export class PaginationError extends Schema.TaggedError<PaginationError>()("PaginationError", {
  path: Schema.String,
  reason: Schema.Literal("MissingCursor", "RepeatedCursor"),
  cursor: Schema.NullOr(Schema.String),
  page: Schema.Number
}) {
  override get message(): string {
    return this.reason === "MissingCursor"
      ? `${this.path}: page ${this.page} says has_more but gives no cursor`
      : `${this.path}: page ${this.page} repeats the cursor ${JSON.stringify(this.cursor)} already used by this listing`
  }
}

/**
 * A request refused before it was sent: an invalid id, parameter or body.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequestError extends Schema.TaggedError<InvalidRequestError>()("InvalidRequestError", {
  operation: Schema.String,
  /** What was wrong, e.g. `limit` or `path.project_id`. */
  field: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.operation}: invalid ${this.field}: ${this.reason}`
  }
}

/**
 * Every error an Admin API operation can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type AdminApiError =
  | BadRequestError
  | AuthenticationError
  | PermissionDeniedError
  | NotFoundError
  | ConflictError
  | UnprocessableEntityError
  | RateLimitError
  | InternalServerError
  | ApiError
  | ConnectionError
  | TimeoutError
  | ResponseDecodeError
  | PaginationError
  | InvalidRequestError

/**
 * The errors that carry an HTTP status from the server.
 *
 * @since 0.1.0
 * @category models
 */
export type StatusError =
  | BadRequestError
  | AuthenticationError
  | PermissionDeniedError
  | NotFoundError
  | ConflictError
  | UnprocessableEntityError
  | RateLimitError
  | InternalServerError
  | ApiError

/**
 * A schema of the union, for those who serialise errors.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AdminApiError: Schema.Union<[
  typeof BadRequestError,
  typeof AuthenticationError,
  typeof PermissionDeniedError,
  typeof NotFoundError,
  typeof ConflictError,
  typeof UnprocessableEntityError,
  typeof RateLimitError,
  typeof InternalServerError,
  typeof ApiError,
  typeof ConnectionError,
  typeof TimeoutError,
  typeof ResponseDecodeError,
  typeof PaginationError,
  typeof InvalidRequestError
]> = Schema.Union(
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  ApiError,
  ConnectionError,
  TimeoutError,
  ResponseDecodeError,
  PaginationError,
  InvalidRequestError
)

const tags: ReadonlySet<string> = new Set(AdminApiError.members.map((member) => member._tag))

/** The members with an HTTP status: the ones built on `StatusFields`. */
const statusTags: ReadonlySet<string> = new Set(
  AdminApiError.members.filter((member) => "status" in member.fields).map((member) => member._tag)
)

/**
 * @since 0.1.0
 * @category refinements
 */
export const isAdminApiError = (u: unknown): u is AdminApiError =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && tags.has(u._tag)

/**
 * @since 0.1.0
 * @category refinements
 */
export const isStatusError = (u: unknown): u is StatusError =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && statusTags.has(u._tag)

/**
 * Whether a 429 is a quota exhaustion (`insufficient_quota`), which waiting does not cure.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isInsufficientQuota = (error: AdminApiError): boolean =>
  error._tag === "RateLimitError" &&
  (error.error?.code === "insufficient_quota" || error.error?.type === "insufficient_quota")

/**
 * The retry decision, in this order: a 429 `insufficient_quota` is never retried; then the server's
 * `x-should-retry` header decides; otherwise 408, 409, 429, 5xx, connection errors and timeouts are retried.
 * Decode, pagination and invalid-request errors, and other 4xx, are not.
 *
 * This says whether an error is transient; whether a given operation retries it also depends on the method
 * (a create is retried only on 429 and on connection errors raised before sending) and on the wait asked for.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRetryable = (error: AdminApiError): boolean => {
  if (isInsufficientQuota(error)) return false
  switch (error._tag) {
    case "ConnectionError":
    case "TimeoutError":
      return true
    case "ResponseDecodeError":
    case "PaginationError":
    case "InvalidRequestError":
      return false
    default: {
      if (error.shouldRetry !== null) return error.shouldRetry
      const status = error.status
      return status === 408 || status === 409 || status === 429 || status >= 500
    }
  }
}
