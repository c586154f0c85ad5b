/**
 * The README's examples, run as written against the public entries (the built package), so they cannot rot.
 */
import { FetchHttpClient } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Chunk, Effect, Option, Redacted, Schedule, Stream } from "effect"
import { AdminApi, Retry } from "effect-openai-admin"
import { FakeAdminServer, Seed } from "effect-openai-admin/testing"

it.scoped("survives a 503", () =>
  Effect.gen(function*() {
    const server = yield* FakeAdminServer.make({ seed: Seed.generate({ users: 250, projects: 5 }) })
    yield* server.fault([{ _tag: "Status", status: 503, headers: { "retry-after": "0" } }])
    const users = yield* Effect.flatMap(AdminApi.AdminApi, (admin) => Stream.runCollect(admin.users.list())).pipe(
      Effect.provide(AdminApi.layer({ apiKey: Redacted.make(server.apiKey), baseUrl: server.url })),
      Effect.provide(FetchHttpClient.layer)
    )
    expect(users.length).toBe(250)
    expect((yield* server.requests).length).toBe(1 + 13) // the 503, then 13 pages of 20
  }))

it.scoped("quick start, resuming, retries and catchTag as the README shows them", () =>
  Effect.gen(function*() {
    const server = yield* FakeAdminServer.make({ seed: Seed.generate({ users: 120, projects: 3, seed: 5 }) })
    const apiKey = Redacted.make(server.apiKey)
    const program = Effect.gen(function*() {
      const admin = yield* AdminApi.AdminApi
      const owners = yield* admin.users.list({ limit: 100 }).pipe(
        Stream.filter((user) => user.role === "owner"),
        Stream.runCollect
      )
      const page = yield* admin.users.listPage({ limit: 100 })
      const rest = yield* Stream.runCollect(admin.users.list({ limit: 100, after: Option.getOrThrow(page.nextCursor) }))
      const missing = yield* admin.users.retrieve("user_nope").pipe(
        Effect.catchTag("NotFoundError", () => Effect.succeed(null))
      )
      return { owners: Chunk.toArray(owners).map((u) => u.email), total: page.data.length + rest.length, missing }
    })
    for (
      const retry of [
        5,
        0,
        Schedule.exponential("1 second").pipe(Schedule.intersect(Schedule.recurs(4))),
        Retry.policy(3).pipe(Schedule.upTo("30 seconds"))
      ]
    ) {
      const result = yield* program.pipe(
        Effect.provide(AdminApi.layer({ apiKey, baseUrl: server.url, retry })),
        Effect.provide(FetchHttpClient.layer)
      )
      expect(result.total).toBe(120)
      expect(result.missing).toBeNull()
      expect(result.owners.length).toBeGreaterThan(0)
    }
  }))
