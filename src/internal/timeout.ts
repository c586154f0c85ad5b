/**
 * Per-attempt timeouts that cost one fiber: the attempt's own. `Effect.timeoutFail` races the effect against a
 * sleeping fiber, forking both; on Effect's own live clock, whose sleep is a plain timer, the timer needs no fiber:
 * the attempt runs in a fiber of its own and a `setTimeout` interrupts that fiber. Any other clock (a `TestClock`, a
 * user's own) gets `Effect.timeoutFail` itself, so virtual time behaves exactly as before.
 *
 * Same outcome as `Effect.timeoutFail`: the effect's own exit if it ends first; else it is interrupted and the
 * result is the `onTimeout` error. A listing starts the attempt for its next page from outside of any fiber (see
 * `Requester.start`), so the fiber is the caller's to make: `make` gives the timer, the caller runs `arm(self)`.
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
 * Starts a fiber at once and returns it: a runtime's `runFork`, for a fiber started from outside of any fiber.
 *
 * @internal
 */
export type Run = <A, E>(effect: Effect.Effect<A, E>) => Fiber.RuntimeFiber<A, E>

/**
 * One timeout, for an effect that runs in a fiber of its own.
 *
 * @internal
 */
export interface Timer<E2> {
  /**
   * `self`, timed from when it starts: on the live clock, once the duration has passed, a timer interrupts the
   * fiber running it (so that fiber must run nothing else that matters); on any other clock, `self` runs under
   * `Effect.timeoutFail`.
   */
  readonly arm: <A, E>(self: Effect.Effect<A, E>) => Effect.Effect<A, E | E2>
  /** `arm` for a caller that already knows the clock is the live one and the duration fits a timer. */
  readonly armLive: <A, E>(self: Effect.Effect<A, E>) => Effect.Effect<A, E>
  /** The exit of the fiber that runs `arm(self)`, its interruption by the timer being the `onTimeout` error. */
  readonly outcome: <A, E>(exit: Exit.Exit<A, E>) => Exit.Exit<A, E | E2>
  /**
   * The outcome of the fiber that runs `arm(self)`. Interrupting the caller interrupts that fiber and awaits it.
   */
  readonly await: <A, E>(fiber: Fiber.RuntimeFiber<A, E>) => Effect.Effect<A, E | E2>
}

/**
 * A timeout of `duration`, failing with `onTimeout()`.
 *
 * @internal
 */
export const make = <E2>(duration: Duration.Duration, onTimeout: () => E2): Timer<E2> => {
  const millis = Duration.toMillis(duration)
  let timedOut = false
  const armLive = <A, E>(self: Effect.Effect<A, E>): Effect.Effect<A, E> =>
    Effect.withFiberRuntime((fiber) => {
      const timer = setTimeout(() => {
        timedOut = true
        fiber.unsafeInterruptAsFork(fiber.id())
      }, Math.max(0, millis))
      fiber.addObserver(() => clearTimeout(timer))
      return self
    })
  const arm = <A, E>(self: Effect.Effect<A, E>): Effect.Effect<A, E | E2> =>
    millis < maxTimerMillis
      ? Effect.clockWith((clock) =>
        clock !== liveClock ? Effect.timeoutFail(self, { duration, onTimeout }) : armLive(self)
      )
      : self
  const outcome = <A, E>(exit: Exit.Exit<A, E>): Exit.Exit<A, E | E2> =>
    timedOut && Exit.isFailure(exit) && Cause.isInterrupted(exit.cause) ? Exit.fail(onTimeout()) : exit
  const await_ = <A, E>(fiber: Fiber.RuntimeFiber<A, E>) =>
    Effect.async<A, E | E2>((resume) => {
      fiber.addObserver((exit) => resume(outcome(exit)))
      return Fiber.interrupt(fiber)
    })
  return { arm, armLive, outcome, await: await_ }
}

/**
 * `self` under a timeout, in a child fiber of the caller's (on the live clock). Interrupting the caller interrupts
 * `self` and awaits it.
 *
 * @internal
 */
export const timeoutFail = <A, E, E2>(
  self: Effect.Effect<A, E>,
  duration: Duration.Duration,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> => {
  if (!(Duration.toMillis(duration) < maxTimerMillis)) return self
  return Effect.clockWith((clock) =>
    clock !== liveClock
      ? Effect.timeoutFail(self, { duration, onTimeout })
      : Effect.uninterruptibleMask((restore) => {
        const timer = make(duration, onTimeout)
        return Effect.flatMap(Effect.fork(restore(timer.armLive(self))), timer.await)
      })
  )
}
