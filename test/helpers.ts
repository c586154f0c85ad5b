import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer, Redacted, TestClock } from "effect"
import * as AdminApi from "../src/AdminApi.js"
import * as FakeAdminServer from "../src/testing/FakeAdminServer.js"

/** A client of the fake server (FetchHttpClient, the user's usual choice). */
export const clientLayer = (
  server: FakeAdminServer.FakeAdminServer,
  options: Omit<AdminApi.Options, "apiKey" | "baseUrl"> & { readonly apiKey?: string } = {}
) =>
  AdminApi.layer({
    ...options,
    apiKey: Redacted.make(options.apiKey ?? server.apiKey),
    baseUrl: server.url
  }).pipe(Layer.provide(FetchHttpClient.layer))

/** Runs `f` with a fresh fake server (scoped) and a client of it. */
export const withClient = <A, E>(
  f: (admin: AdminApi.Service, server: FakeAdminServer.FakeAdminServer) => Effect.Effect<A, E>,
  options: {
    readonly server?: FakeAdminServer.Options
    readonly client?: Omit<AdminApi.Options, "apiKey" | "baseUrl"> & { readonly apiKey?: string }
  } = {}
) =>
  Effect.gen(function*() {
    const server = yield* FakeAdminServer.make(options.server)
    return yield* Effect.flatMap(AdminApi.AdminApi, (admin) => f(admin, server)).pipe(
      Effect.provide(clientLayer(server, options.client))
    )
  })

/**
 * Lets pending I/O callbacks run (one turn of Node's event loop), without advancing any clock. Used to wait
 * for something that is already on its way, never as a timed sleep.
 */
export const ioTurn = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

/** `n` I/O turns (none for n ≤ 0). */
export const turns = (n: number) => n <= 0 ? Effect.void : Effect.repeatN(ioTurn, n - 1)

/**
 * The soak (scripts/soak.mjs) scales the property runs from SOAK_RUNS and gives a fresh SOAK_SEED; `npm test`
 * runs them with the fixed seed.
 */
export const soakRuns = Number(process.env.SOAK_RUNS ?? "0")
export const soak = Number.isSafeInteger(soakRuns) && soakRuns > 0
export const seed = process.env.SOAK_SEED !== undefined && process.env.SOAK_SEED !== ""
  ? Number(process.env.SOAK_SEED)
  : soak
  ? Math.floor(Math.random() * 0x7fffffff)
  : 20_251_125
/** The time a property test may take: long in the soak. */
export const propertyTimeout = soak ? 6 * 60 * 60_000 : 60_000

/**
 * Repeats `check` with I/O turns in between until it holds: at least `turns` turns, and on a slow machine for up
 * to 10 seconds of real time (measured, not slept: no clock is advanced and no timer is waited on).
 */
export const eventually = <E, R>(check: Effect.Effect<boolean, E, R>, turns = 2000) =>
  Effect.gen(function*() {
    const deadline = performance.now() + 10_000
    for (let i = 0; i < turns || performance.now() < deadline; i++) {
      if (yield* check) return true
      yield* ioTurn
    }
    return false
  })

/** Waits (in I/O turns, no clock) until the TestClock has `n` pending sleeps, and returns their times. */
export const awaitSleeps = (n = 1) =>
  Effect.gen(function*() {
    const ok = yield* eventually(Effect.map(TestClock.sleeps(), (sleeps) => sleeps.length >= n))
    if (!ok) return yield* Effect.dieMessage(`expected ${n} pending sleep(s)`)
    return yield* TestClock.sleeps()
  })
