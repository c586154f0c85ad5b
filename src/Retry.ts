/**
 * The retry policy: the official SDKs' numbers (2 retries, backoff min(0.5 s · 2^n, 8 s) with jitter in
 * [0.75, 1]), with the server's `retry-after-ms` / `retry-after` honoured. A policy is a plain `Schedule` over
 * `AdminApiError`, so it composes with anything in `effect/Schedule`.
 *
 * Which errors are retried at all is decided before the schedule is consulted (see `AdminApiError.isRetryable`):
 * a schedule only ever sees retryable errors.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type { AdminApiError } from "./AdminApiError.js"
import { isStatusError } from "./AdminApiError.js"

/**
 * A requested wait longer than this is not waited out: the error is returned to the caller.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxRetryAfter: Duration.Duration = Duration.seconds(60)

/**
 * The default number of retries.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRetries = 2

/**
 * The wait the server asked for with this error, if any.
 *
 * @since 0.1.0
 * @category getters
 */
export const retryAfter = (error: AdminApiError): Option.Option<Duration.Duration> =>
  isStatusError(error) && error.retryAfter !== null ? Option.some(error.retryAfter) : Option.none()

/**
 * The backoff without any Retry-After: 0.5 s, 1 s, 2 s, … capped at 8 s, each multiplied by a random factor in
 * [0.75, 1]. Unbounded in count.
 *
 * @since 0.1.0
 * @category schedules
 */
export const backoff: Schedule.Schedule<Duration.Duration> = Schedule.exponential("500 millis").pipe(
  Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.seconds(8))),
  Schedule.jitteredWith({ min: 0.75, max: 1 })
)

/** `self`, with its delay and the server's requested wait (when it sent one) combined by `combine`. */
const withRetryAfter = <Out>(
  self: Schedule.Schedule<Out, AdminApiError>,
  combine: (delay: Duration.Duration, wait: Duration.Duration) => Duration.Duration
): Schedule.Schedule<unknown, AdminApiError> =>
  self.pipe(
    Schedule.intersect(Schedule.identity<AdminApiError>()),
    Schedule.modifyDelay(([, error], delay) =>
      Option.match(retryAfter(error), { onNone: () => delay, onSome: (wait) => combine(delay, wait) })
    )
  )

/**
 * The default policy with `retries` retries: the backoff, replaced by the server's requested wait when it sent
 * one (0 included).
 *
 * @since 0.1.0
 * @category schedules
 */
export const policy = (retries: number): Schedule.Schedule<unknown, AdminApiError> =>
  withRetryAfter(backoff, (_, wait) => wait).pipe(Schedule.intersect(Schedule.recurs(retries)))

/**
 * The default policy: `policy(2)`.
 *
 * @since 0.1.0
 * @category schedules
 */
export const defaultPolicy: Schedule.Schedule<unknown, AdminApiError> = policy(defaultRetries)

/**
 * Makes any schedule wait at least the server's requested wait: the delay becomes max(schedule's delay,
 * Retry-After). Applied to every user-supplied schedule.
 *
 * @since 0.1.0
 * @category combinators
 */
export const atLeastRetryAfter = <Out>(
  self: Schedule.Schedule<Out, AdminApiError>
): Schedule.Schedule<unknown, AdminApiError> => withRetryAfter(self, Duration.max)

/**
 * A policy that never retries.
 *
 * @since 0.1.0
 * @category schedules
 */
export const none: Schedule.Schedule<unknown, AdminApiError> = Schedule.stop
