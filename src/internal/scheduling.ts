/**
 * Cooperative scheduling on the one JavaScript thread: a listing that reads ahead parses and decodes pages while the
 * next request is on its way, and must not hold the thread when that request's response arrives.
 *
 * @internal
 */
import * as Effect from "effect/Effect"

// Taken when this module loads: fake timers installed later (a test's) do not stop listings.
const schedule = typeof globalThis.setImmediate === "function" ? globalThis.setImmediate : undefined
const cancel = typeof globalThis.clearImmediate === "function" ? globalThis.clearImmediate : undefined

/**
 * Resumes in a later macrotask (`setImmediate`), after pending I/O callbacks and every microtask queued meanwhile
 * (Effect's own yield is a microtask, which runs before them); a plain yield where there is no `setImmediate`.
 *
 * @internal
 */
export const afterPendingWork: Effect.Effect<void> = schedule !== undefined && cancel !== undefined
  ? Effect.async<void>((resume) => {
    const handle = schedule(() => resume(Effect.void))
    return Effect.sync(() => cancel(handle))
  })
  : Effect.yieldNow()
