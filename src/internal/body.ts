/**
 * A response's whole body, as bytes, without the platform's per-response cache when the bytes can be had directly.
 *
 * `HttpClientResponse.arrayBuffer` (like `text` and `json`) is an `Effect.cached` made for each response with
 * `Effect.runSync`: a fiber, a synchronized ref with its semaphore, a `Deferred`. Listing 100,000 users from an
 * in-memory `fetch` (no network), that was about 100 µs of CPU per page of 100 users on the benchmark's machine,
 * a fifth of the whole listing's CPU, next to about 300 µs for the page's `JSON.parse` (`bench/inprocess.mjs`); and
 * this client reads each body exactly once. A response of `@effect/platform`'s fetch client carries the web
 * `Response` it was made from: its bytes are then read from that directly, under the platform's own interruption
 * handling (`applyInterrupt`: the request is aborted if the read is interrupted). Any other response (another
 * client, a later platform whose responses look different) goes through `response.arrayBuffer`, as before.
 * `test/body.test.ts` checks that `FetchHttpClient`'s responses take the direct way, so that an upgrade of the
 * platform that changes them fails a test instead of silently slowing down.
 *
 * @internal
 */
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"

/**
 * The one failure of a body read: what the transport threw.
 *
 * @internal
 */
export interface BodyError {
  readonly cause: unknown
}

/** `@effect/platform`'s interruptible wrapper of a fetch response (version 0.97), as far as it is used here. */
interface Interruptible {
  readonly original: unknown
  readonly applyInterrupt: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

const isObject = (u: unknown): u is Record<PropertyKey, unknown> => typeof u === "object" && u !== null

const isInterruptible = (u: unknown): u is Interruptible =>
  isObject(u) && "original" in u && typeof u.applyInterrupt === "function"

const WebResponse: typeof globalThis.Response | undefined = typeof globalThis.Response === "function"
  ? globalThis.Response
  : undefined

/** The web `Response` a platform response was made from (`HttpClientResponse.fromWeb`), if it has one. */
const webSource = (u: unknown): Response | undefined => {
  if (WebResponse === undefined || !isObject(u)) return undefined
  const source = u.source
  return source instanceof WebResponse ? source : undefined
}

/** The web `Response` to read `response` from directly, and the platform's wrapper around it if there is one. */
const direct = (
  response: HttpClientResponse.HttpClientResponse
): { readonly source: Response; readonly interruptible: Interruptible | undefined } | undefined => {
  const interruptible = isInterruptible(response) ? response : undefined
  const source = webSource(interruptible === undefined ? response : interruptible.original)
  return source === undefined ? undefined : { source, interruptible }
}

/**
 * How `bytes` reads this response: `"direct"` from the web `Response`, or `"platform"` through
 * `response.arrayBuffer`.
 *
 * @internal
 */
export const readPath = (response: HttpClientResponse.HttpClientResponse): "direct" | "platform" =>
  direct(response) !== undefined ? "direct" : "platform"

/**
 * The whole body of `response`, read once.
 *
 * @internal
 */
export const bytes = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<ArrayBuffer, BodyError> => {
  const way = direct(response)
  if (way === undefined) return Effect.mapError(response.arrayBuffer, (error) => ({ cause: error.cause }))
  const { interruptible, source } = way
  const read = Effect.tryPromise({ try: () => source.arrayBuffer(), catch: (cause): BodyError => ({ cause }) })
  return interruptible === undefined ? read : interruptible.applyInterrupt(read)
}
