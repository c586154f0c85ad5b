import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Option, Stream } from "effect"
import * as Seed from "../src/testing/Seed.js"
import { withClient } from "./helpers.js"

const seed = Seed.generate({ users: 20, projects: 2, groups: 23, usageDays: 30, seed: 11 })
const start_time = 1_730_000_000

describe("cursor-next (groups: after = next)", () => {
  it.scoped("all items, in order, exactly once; limit and order carried to every page", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const groups = yield* Stream.runCollect(admin.groups.list({ limit: 5, order: "asc" }))
        expect(Chunk.toArray(groups).map((g) => g.id)).toEqual(seed.groups.map((g) => g.id))
        const requests = yield* server.requests
        expect(requests).toHaveLength(5)
        for (const request of requests) {
          expect(request.query.limit).toEqual(["5"])
          expect(request.query.order).toEqual(["asc"])
        }
        // the cursor sent is the previous page's `next`, not an item id
        const first = yield* admin.groups.listPage({ limit: 5 })
        const second = yield* admin.groups.listPage({ limit: 5, after: Option.getOrThrow(first.nextCursor) })
        expect([...first.data, ...second.data].map((g) => g.id)).toEqual(seed.groups.slice(0, 10).map((g) => g.id))
        expect(seed.groups.map((g) => g.id)).not.toContain(Option.getOrThrow(first.nextCursor))
      }), { server: { seed } }))

  it.scoped("an empty page with a next cursor is followed; next repeated or missing fails", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const real = yield* admin.groups.listPage({ limit: 20 })
        const cursor = Option.getOrThrow(real.nextCursor)
        yield* server.fault([{ _tag: "Body", body: { object: "list", data: [], has_more: true, next: cursor } }])
        const rest = yield* Stream.runCollect(admin.groups.list({ limit: 20 }))
        expect(Chunk.toArray(rest).map((g) => g.id)).toEqual(seed.groups.slice(20).map((g) => g.id))

        yield* server.fault([{ _tag: "Body", body: { object: "list", data: [], has_more: true, next: null } }])
        const missing = yield* Effect.flip(Stream.runDrain(admin.groups.list()))
        expect(missing).toMatchObject({ _tag: "PaginationError", reason: "MissingCursor" })

        const page = { object: "list", data: [], has_more: true, next: "same" }
        yield* server.fault([{ _tag: "Body", body: page }, { _tag: "Body", body: page }])
        const repeated = yield* Effect.flip(Stream.runDrain(admin.groups.list()))
        expect(repeated).toMatchObject({ _tag: "PaginationError", reason: "RepeatedCursor", cursor: "same" })
      }), { server: { seed } }))

  it.scoped("list and pages refuse limit 0 (it would loop on empty pages); listPage allows the range 0..1000", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const zero = yield* Effect.flip(Stream.runDrain(admin.groups.list({ limit: 0 })))
        expect(zero).toMatchObject({ _tag: "InvalidRequestError", field: "limit" })
        const over = yield* Effect.flip(admin.groups.listPage({ limit: 1001 }))
        expect(over).toMatchObject({ _tag: "InvalidRequestError", field: "limit" })
        expect(yield* server.requests).toHaveLength(0)
        const empty = yield* admin.groups.listPage({ limit: 0 })
        expect(empty.data).toEqual([])
      }), { server: { seed } }))
})

describe("page (usage and costs: page = next_page)", () => {
  it.scoped("usage: every bucket, in order, exactly once; filters carried to every page", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const buckets = yield* Stream.runCollect(
          admin.usage.completions.list({ start_time, limit: 7, project_ids: ["p1", "p 2"], group_by: ["model"] })
        )
        const starts = Chunk.toArray(buckets).map((b) => b.start_time)
        expect(starts).toEqual(Array.from({ length: 30 }, (_, i) => start_time + i * 86_400))
        const requests = yield* server.requests
        expect(requests).toHaveLength(5)
        for (const request of requests) {
          expect(request.query.start_time).toEqual([String(start_time)])
          expect(request.query["project_ids[]"]).toEqual(["p1", "p 2"])
          expect(request.query["group_by[]"]).toEqual(["model"])
        }
        expect(requests.slice(1).every((r) => typeof r.query.page?.[0] === "string")).toBe(true)
        const result = Chunk.unsafeHead(buckets).results[0]!
        expect(result.object).toBe("organization.usage.completions.result")
      }), { server: { seed } }))

  it.scoped("costs: every bucket; nextCursor resumes", () =>
    withClient((admin) =>
      Effect.gen(function*() {
        const first = yield* admin.costs.listPage({ start_time, limit: 10 })
        expect(first.data).toHaveLength(10)
        const rest = yield* Stream.runCollect(admin.costs.list({ start_time, limit: 10, page: Option.getOrThrow(first.nextCursor) }))
        expect([...first.data, ...rest].map((b) => b.start_time)).toEqual(
          Array.from({ length: 30 }, (_, i) => start_time + i * 86_400)
        )
      }), { server: { seed } }))

  it.scoped("an empty page with next_page is followed; repeated or missing next_page fails", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Body", body: { object: "page", data: [], has_more: true, next_page: "pg_x" } }, {
          _tag: "Body",
          body: { object: "page", data: [], has_more: false, next_page: null }
        }])
        const none = yield* Stream.runCollect(admin.usage.completions.list({ start_time }))
        expect(Chunk.size(none)).toBe(0)
        const requests = yield* server.requests
        expect(requests.map((r) => r.query.page?.[0])).toEqual([undefined, "pg_x"])

        yield* server.fault([{ _tag: "Body", body: { object: "page", data: [], has_more: true, next_page: null } }])
        expect(yield* Effect.flip(Stream.runDrain(admin.costs.list({ start_time })))).toMatchObject({
          _tag: "PaginationError",
          reason: "MissingCursor"
        })
        const page = { object: "page", data: [], has_more: true, next_page: "again" }
        yield* server.fault([{ _tag: "Body", body: page }, { _tag: "Body", body: page }])
        expect(yield* Effect.flip(Stream.runDrain(admin.costs.list({ start_time })))).toMatchObject({
          _tag: "PaginationError",
          reason: "RepeatedCursor"
        })
      }), { server: { seed } }))

  it.scoped("start_time is required before anything is sent; a new kind of result still decodes", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const missing = yield* Effect.flip(admin.usage.completions.listPage({} as never))
        expect(missing).toMatchObject({ _tag: "InvalidRequestError", field: "start_time" })
        expect(yield* server.requests).toHaveLength(0)
        yield* server.fault([{
          _tag: "Body",
          body: {
            object: "page",
            has_more: false,
            next_page: null,
            data: [{
              object: "bucket",
              start_time: 1,
              end_time: 2,
              results: [{ object: "organization.usage.teleportation.result", jumps: 3 }]
            }]
          }
        }])
        const page = yield* admin.usage.completions.listPage({ start_time })
        expect(page.data[0]!.results[0]).toEqual({ object: "organization.usage.teleportation.result", jumps: 3 })
      }), { server: { seed } }))
})
