/**
 * A per-attempt timeout that costs one fiber instead of two. `Effect.timeoutFail` races the effect against a
 * sleeping fiber, forking both; on Effect's own live clock, whose sleep is a plain timer, the timer needs no
 * fiber: the effect runs in one child fiber and a `setTimeout` interrupts it. Any other clock (a `TestClock`, a
 * user's own) gets `Effect.timeoutFail` itself, so virtual time behaves exactly as before.
 *
 * Same outcome as `Effect.timeoutFail`: the effect's own exit if it ends first; else it is interrupted, awaited,
 * and the result is the `onTimeout` error. Interrupting the caller interrupts the effect and awaits it.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"

/** The clock of Effect's default services (one instance per copy of `effect`): real time, timers. */
const liveClock = Effect.runSync(Effect.clock)

/** Like Effect's live clock, a wait longer than a timer can hold never ends: no timer at all. */
const maxTimerMillis = 2 ** 31 - 1

/**
 * @internal
 */
export const timeoutFail = <A, E, E2>(
  self: Effect.Effect<A, E>,
  duration: Duration.Duration,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> => {
  const millis = Duration.toMillis(duration)
  if (!(millis < maxTimerMillis)) return self
  return Effect.clockWith((clock) =>
    clock !== liveClock ? Effect.timeoutFail(self, { duration, onTimeout }) : Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(Effect.fork(restore(self)), (child) =>
        Effect.async<A, E | E2>((resume) => {
          let timedOut = false
          const timer = setTimeout(() => {
            timedOut = true
            child.unsafeInterruptAsFork(child.id())
          }, Math.max(0, millis))
          child.addObserver((exit) => {
            clearTimeout(timer)
            const timeout = timedOut && Exit.isFailure(exit) && Cause.isInterrupted(exit.cause)
            resume(timeout ? Effect.fail(onTimeout()) : exit)
          })
          return Effect.suspend(() => {
            clearTimeout(timer)
            return Fiber.interrupt(child)
          })
        })
      )
    )
  )
}
