import { describe, expect, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Fiber, Random, Schedule, TestClock } from "effect"
import * as Retry from "../src/Retry.js"
import { awaitSleeps, eventually, withClient as withClientDefault } from "./helpers.js"

/** Timing tests use an hour-long attempt timeout, so that its sleep is told apart from the retry sleeps. */
const withClient = <A, E>(
  f: Parameters<typeof withClientDefault<A, E>>[0],
  options: Parameters<typeof withClientDefault<A, E>>[1] = {}
) => withClientDefault(f, { ...options, client: { timeout: "1 hour", ...options.client } })

const rateLimited = (headers: Record<string, string>, body?: unknown) => ({
  _tag: "Status" as const,
  status: 429,
  headers,
  ...(body === undefined ? {} : { body })
})

/** The pending retry sleeps (not the per-attempt timeouts, which are an hour in these tests). */
const pendingSleepMillis = Effect.gen(function*() {
  const now = yield* TestClock.currentTimeMillis
  const retrySleeps = Effect.map(
    TestClock.sleeps(),
    (sleeps) => Chunk.toArray(sleeps).map((at) => at - now).filter((ms) => ms < 600_000)
  )
  const ok = yield* eventually(Effect.map(retrySleeps, (sleeps) => sleeps.length > 0))
  if (!ok) return yield* Effect.dieMessage("no retry sleep pending")
  return yield* retrySleeps
})

describe("Retry-After under TestClock", () => {
  it.scoped("waits exactly retry-after seconds, then sends attempt 2", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([rateLimited({ "retry-after": "7" })])
        const fiber = yield* Effect.fork(admin.users.retrieve("user_ada"))
        yield* server.awaitRequest(1)
        expect(yield* pendingSleepMillis).toEqual([7000])
        yield* TestClock.adjust("6999 millis")
        expect(yield* server.requests).toHaveLength(1)
        yield* TestClock.adjust("1 millis")
        const user = yield* Fiber.join(fiber)
        expect(user.id).toBe("user_ada")
        expect(yield* server.requests).toHaveLength(2)
      })))

  it.scoped("retry-after-ms wins over retry-after; 0 is honoured", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([rateLimited({ "retry-after-ms": "1500", "retry-after": "30" })])
        const fiber = yield* Effect.fork(admin.users.retrieve("user_ada"))
        yield* server.awaitRequest(1)
        expect(yield* pendingSleepMillis).toEqual([1500])
        yield* TestClock.adjust("1500 millis")
        yield* Fiber.join(fiber)
        yield* server.fault([rateLimited({ "retry-after": "0" })])
        const user = yield* admin.users.retrieve("user_ada")
        expect(user.id).toBe("user_ada")
        expect(yield* server.requests).toHaveLength(4)
      })))

  it.scoped("retry-after as an HTTP date, against the Clock", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.UTC(2026, 10, 25, 12, 0, 0))
        yield* server.fault([rateLimited({ "retry-after": new Date(Date.UTC(2026, 10, 25, 12, 0, 12)).toUTCString() })])
        const fiber = yield* Effect.fork(admin.users.retrieve("user_ada"))
        yield* server.awaitRequest(1)
        expect(yield* pendingSleepMillis).toEqual([12_000])
        yield* TestClock.adjust("12 seconds")
        yield* Fiber.join(fiber)
      })))

  it.scoped("a requested wait over 60 s is not waited out: RateLimitError with retryAfter", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([rateLimited({ "retry-after": "61" })])
        const error = yield* Effect.flip(admin.users.retrieve("user_ada"))
        expect(error._tag).toBe("RateLimitError")
        if (error._tag === "RateLimitError") expect(error.retryAfter).toEqual(Duration.seconds(61))
        expect(yield* server.requests).toHaveLength(1)
      })))

  it.scoped("garbage retry-after falls back to the backoff", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([rateLimited({ "retry-after": "whenever" })])
        const fiber = yield* Effect.fork(admin.users.retrieve("user_ada"))
        yield* server.awaitRequest(1)
        const [delay] = yield* pendingSleepMillis
        expect(delay).toBeGreaterThanOrEqual(375)
        expect(delay).toBeLessThanOrEqual(500)
        yield* TestClock.adjust("500 millis")
        yield* Fiber.join(fiber)
      })))
})

describe("backoff and decisions", () => {
  it.scoped("2 retries by default, min(0.5 s · 2^n, 8 s) with jitter in [0.75, 1], then the error", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Status", status: 500 }, { _tag: "Status", status: 502 }, { _tag: "Status", status: 503 }])
        const fiber = yield* Effect.fork(admin.users.retrieve("user_ada"))
        yield* server.awaitRequest(1)
        const [first] = yield* pendingSleepMillis
        expect(first).toBeGreaterThanOrEqual(375)
        expect(first).toBeLessThanOrEqual(500)
        yield* TestClock.adjust(Duration.millis(first!))
        yield* server.awaitRequest(2)
        const [second] = yield* pendingSleepMillis
        expect(second).toBeGreaterThanOrEqual(750)
        expect(second).toBeLessThanOrEqual(1000)
        yield* TestClock.adjust(Duration.millis(second!))
        const error = yield* Effect.flip(Fiber.join(fiber))
        expect(error._tag).toBe("InternalServerError")
        if (error._tag === "InternalServerError") expect(error.status).toBe(503)
        expect(yield* server.requests).toHaveLength(3)
      }).pipe(Effect.withRandom(Random.make("seed-1")))))

  it.effect("the backoff is capped at 8 s", () =>
    Effect.gen(function*() {
      const delays = yield* Schedule.run(
        Schedule.delays(Retry.backoff).pipe(Schedule.intersect(Schedule.recurs(8))),
        0,
        Array(9).fill(undefined)
      )
      const millis = Chunk.toArray(delays).map(([d]) => Duration.toMillis(d))
      const caps = [500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]
      millis.slice(0, 8).forEach((ms, i) => {
        expect(ms).toBeGreaterThanOrEqual(caps[i]! * 0.75)
        expect(ms).toBeLessThanOrEqual(caps[i]!)
      })
    }).pipe(Effect.withRandom(Random.make(42))))

  it.scoped("insufficient_quota is never retried, even if x-should-retry says so", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{
          _tag: "Status",
          status: 429,
          headers: { "x-should-retry": "true", "retry-after": "1" },
          body: { error: { message: "You exceeded your current quota", type: "insufficient_quota", code: "insufficient_quota", param: null } }
        }])
        const error = yield* Effect.flip(admin.users.retrieve("user_ada"))
        expect(error._tag).toBe("RateLimitError")
        expect(yield* server.requests).toHaveLength(1)
      })))

  it.scoped("x-should-retry decides: false stops a 500, true retries a 400", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Status", status: 500, headers: { "x-should-retry": "false" } }])
        expect((yield* Effect.flip(admin.users.retrieve("user_ada")))._tag).toBe("InternalServerError")
        expect(yield* server.requests).toHaveLength(1)
        yield* server.fault([{ _tag: "Status", status: 400, headers: { "x-should-retry": "true", "retry-after": "0" } }])
        expect((yield* admin.users.retrieve("user_ada")).id).toBe("user_ada")
        expect(yield* server.requests).toHaveLength(3)
      })))

  it.scoped("retry: 0 means one attempt", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([rateLimited({ "retry-after": "0" })])
        expect((yield* Effect.flip(admin.users.retrieve("user_ada")))._tag).toBe("RateLimitError")
        expect(yield* server.requests).toHaveLength(1)
      }), { client: { retry: 0 } }))

  it.scoped("a custom schedule replaces timing and count but never waits less than Retry-After", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([rateLimited({ "retry-after": "5" }), { _tag: "Status", status: 500 }, { _tag: "Status", status: 500 }])
        const fiber = yield* Effect.fork(admin.users.retrieve("user_ada"))
        yield* server.awaitRequest(1)
        expect(yield* pendingSleepMillis).toEqual([5000])
        yield* TestClock.adjust("5 seconds")
        yield* server.awaitRequest(2)
        expect(yield* pendingSleepMillis).toEqual([100])
        yield* TestClock.adjust("100 millis")
        const error = yield* Effect.flip(Fiber.join(fiber))
        expect(error._tag).toBe("InternalServerError")
        expect(yield* server.requests).toHaveLength(3)
      }), { client: { retry: Schedule.spaced("100 millis").pipe(Schedule.intersect(Schedule.recurs(2))) } }))

  it.scoped("the schedule receives the error as input and only sees retryable ones", () => {
    const seen: Array<string> = []
    const schedule = Schedule.identity<{ readonly _tag: string }>().pipe(
      Schedule.tapInput((error: { readonly _tag: string }) => Effect.sync(() => seen.push(error._tag))),
      Schedule.intersect(Schedule.recurs(3))
    )
    return withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Status", status: 503 }, { _tag: "Status", status: 404 }])
        expect((yield* Effect.flip(admin.users.retrieve("user_ada")))._tag).toBe("NotFoundError")
        expect(seen).toEqual(["InternalServerError"])
      }), { client: { retry: schedule } })
  })

  it.scoped("a create is retried on 429 but never after a 5xx or 409", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Status", status: 500 }])
        const error = yield* Effect.flip(admin.projects.users.create("proj_beta", { role: "member", user_id: "user_ada" }))
        expect(error._tag).toBe("InternalServerError")
        expect(yield* server.requests).toHaveLength(1)
        yield* server.fault([rateLimited({ "retry-after": "0" })])
        const created = yield* admin.projects.users.create("proj_beta", { role: "member", user_id: "user_ada" })
        expect(created.id).toBe("user_ada")
        expect(yield* server.requests).toHaveLength(3)
      })))

  it.scoped("a create is not retried after a connection reset (the server may have acted)", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "ResetBeforeHeaders" }])
        const error = yield* Effect.flip(admin.projects.users.create("proj_beta", { role: "member", user_id: "user_ada" }))
        expect(error._tag).toBe("ConnectionError")
        expect(yield* server.requests).toHaveLength(1)
      })))
})

describe("timeouts under TestClock", () => {
  it.scoped("timeout bounds each attempt; a timed-out attempt is retried", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Hang" }])
        const fiber = yield* Effect.fork(admin.users.retrieve("user_ada"))
        const first = yield* server.awaitRequest(1)
        expect(yield* pendingSleepMillis).toEqual([2000])
        yield* TestClock.adjust("2 seconds")
        yield* awaitSleeps(1)
        yield* TestClock.adjust("1 second")
        const user = yield* Fiber.join(fiber)
        expect(user.id).toBe("user_ada")
        expect(yield* first.aborted).toBe(true)
        expect(yield* server.requests).toHaveLength(2)
      }), { client: { timeout: "2 seconds", retry: Schedule.spaced("1 second").pipe(Schedule.intersect(Schedule.recurs(1))) } }))

  it.scoped("a timeout while the body is being read counts too: TimeoutError after the retries", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Hang" }])
        const fiber = yield* Effect.fork(admin.users.retrieve("user_ada"))
        yield* server.awaitRequest(1)
        yield* awaitSleeps(1)
        yield* TestClock.adjust("2 seconds")
        const error = yield* Effect.flip(Fiber.join(fiber))
        expect(error._tag).toBe("TimeoutError")
        expect(error.message).toContain("timed out after 2s")
      }), { client: { timeout: "2 seconds", retry: 0 } }))
})
