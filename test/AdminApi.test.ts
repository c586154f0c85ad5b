import { describe, expect, it } from "@effect/vitest"
import { Cause, Chunk, Effect, Exit, Option, Stream } from "effect"
import type * as AdminApiError from "../src/AdminApiError.js"
import * as Seed from "../src/testing/Seed.js"
import { withClient } from "./helpers.js"

const orgSeed = Seed.generate({ users: 45, projects: 3, seed: 7 })

describe("users", () => {
  it.scoped("list streams every user once, in order, one Chunk per page, limit on every page", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const chunks = yield* admin.users.list({ limit: 10 }).pipe(Stream.chunks, Stream.runCollect)
        const ids = Chunk.toArray(chunks).flatMap((chunk) => Chunk.toArray(chunk).map((u) => u.id))
        expect(ids).toEqual(orgSeed.users.map((u) => u.id))
        expect(Chunk.toArray(chunks).map(Chunk.size)).toEqual([10, 10, 10, 10, 5])
        const requests = (yield* server.requests).filter((r) => r.path === "/v1/organization/users")
        expect(requests).toHaveLength(5)
        expect(requests.map((r) => r.query.limit)).toEqual(Array(5).fill(["10"]))
        expect(requests.map((r) => r.query.after?.[0])).toEqual([
          undefined,
          ...[9, 19, 29, 39].map((i) => orgSeed.users[i]!.id)
        ])
      }), { server: { seed: orgSeed } }))

  it.scoped("sends emails as repeated emails[] keys, on every page", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const emails = [orgSeed.users[3]!.email, orgSeed.users[30]!.email]
        const found = yield* Stream.runCollect(admin.users.list({ emails, limit: 1 }))
        expect(Chunk.toArray(found).map((u) => u.email)).toEqual(emails)
        const requests = yield* server.requests
        expect(requests.length).toBeGreaterThanOrEqual(2)
        for (const request of requests) expect(request.query["emails[]"]).toEqual(emails)
        expect(requests[0]!.rawQuery).toContain("emails%5B%5D=")
      }), { server: { seed: orgSeed } }))

  it.scoped("listPage makes one request and its nextCursor resumes a listing", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const first = yield* admin.users.listPage({ limit: 20 })
        expect(first.data).toHaveLength(20)
        expect(first.hasMore).toBe(true)
        expect(first.nextCursor).toEqual(Option.some(orgSeed.users[19]!.id))
        const rest = yield* Stream.runCollect(admin.users.list({ limit: 20, after: Option.getOrThrow(first.nextCursor) }))
        expect([...first.data, ...rest].map((u) => u.id)).toEqual(orgSeed.users.map((u) => u.id))
        const pages = yield* Stream.runCollect(admin.users.pages({ limit: 20 }))
        expect(Chunk.toArray(pages).map((p) => [p.data.length, p.hasMore])).toEqual([[20, true], [20, true], [5, false]])
        expect(Chunk.unsafeLast(pages).nextCursor).toEqual(Option.none())
        expect((yield* server.requests).length).toBe(1 + 2 + 3)
      }), { server: { seed: orgSeed } }))

  it.scoped("retrieve, update, delete", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const grace = yield* admin.users.retrieve("user_grace")
        expect(grace).toMatchObject({ object: "organization.user", id: "user_grace", role: "reader" })
        const updated = yield* admin.users.update("user_grace", { role: "owner" })
        expect(updated.role).toBe("owner")
        const deleted = yield* admin.users.delete("user_grace")
        expect(deleted).toEqual({ object: "organization.user.deleted", id: "user_grace", deleted: true })
        const gone = yield* Effect.flip(admin.users.retrieve("user_grace"))
        expect(gone._tag).toBe("NotFoundError")
        const requests = yield* server.requests
        expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
          "GET /v1/organization/users/user_grace",
          "POST /v1/organization/users/user_grace",
          "DELETE /v1/organization/users/user_grace",
          "GET /v1/organization/users/user_grace"
        ])
        expect(requests[1]!.body).toEqual({ role: "owner" })
        expect(requests[1]!.headers["content-type"]).toContain("application/json")
      })))
})

describe("project users", () => {
  it.scoped("every operation", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const members = yield* Stream.runCollect(admin.projects.users.list("proj_alpha", { limit: 2 }))
        expect(Chunk.toArray(members).map((m) => [m.id, m.role])).toEqual([
          ["user_ada", "owner"],
          ["user_grace", "member"],
          ["user_alan", "member"]
        ])
        const page = yield* admin.projects.users.listPage("proj_beta")
        expect(page.data.map((m) => m.id)).toEqual(["user_katherine", "user_edsger"])
        const added = yield* admin.projects.users.create("proj_beta", { role: "member", user_id: "user_ada" })
        expect(added).toMatchObject({ object: "organization.project.user", id: "user_ada", role: "member" })
        const byEmail = yield* admin.projects.users.create("proj_beta", { role: "owner", email: "alan@example.com" })
        expect(byEmail.id).toBe("user_alan")
        const again = yield* Effect.flip(admin.projects.users.create("proj_beta", { role: "member", user_id: "user_ada" }))
        expect(again._tag).toBe("ConflictError")
        const one = yield* admin.projects.users.retrieve("proj_beta", "user_ada")
        expect(one.role).toBe("member")
        const promoted = yield* admin.projects.users.update("proj_beta", "user_ada", { role: "owner" })
        expect(promoted.role).toBe("owner")
        const removed = yield* admin.projects.users.delete("proj_beta", "user_ada")
        expect(removed).toEqual({ object: "organization.project.user.deleted", id: "user_ada", deleted: true })
        const unknown = yield* Effect.flip(Stream.runDrain(admin.projects.users.list("proj_nope")))
        expect(unknown._tag).toBe("NotFoundError")
        const posts = (yield* server.requests).filter((r) => r.method === "POST" && r.path.endsWith("/users"))
        expect(posts.map((r) => r.body)).toEqual([
          { role: "member", user_id: "user_ada" },
          { role: "owner", email: "alan@example.com" },
          { role: "member", user_id: "user_ada" }
        ])
      })))

  it.scoped("ids are percent-encoded as exactly one path segment", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const id = "p/1?x=#%20 ü/../.."
        const error = yield* Effect.flip(admin.projects.users.retrieve(id, "a b"))
        expect(error._tag).toBe("NotFoundError")
        const [request] = yield* server.requests
        expect(request!.segments.slice(-4)).toEqual(["projects", id, "users", "a b"])
      })))
})

describe("requests", () => {
  it.scoped("headers: bearer key, accept, user agent, organization and project; no trace propagation", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* admin.users.retrieve("user_ada").pipe(Effect.withSpan("caller"))
        const [request] = yield* server.requests
        expect(request!.headers.authorization).toBe(`Bearer ${server.apiKey}`)
        expect(request!.headers.accept).toBe("application/json")
        expect(request!.headers["user-agent"]).toBe("effect-openai-admin/0.1.0")
        expect(request!.headers["openai-organization"]).toBe("org-123")
        expect(request!.headers["openai-project"]).toBe("proj_abc")
        expect(request!.headers.traceparent).toBeUndefined()
        expect(request!.headers.b3).toBeUndefined()
      }), { client: { organization: "org-123", project: "proj_abc" } }))

  it.scoped("bad input is refused before any request, naming what was wrong", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const errors = [
          yield* Effect.flip(admin.users.retrieve("")),
          yield* Effect.flip(admin.users.retrieve("..")),
          yield* Effect.flip(admin.users.listPage({ limit: 101 })),
          yield* Effect.flip(Stream.runDrain(admin.users.list({ limit: 0 }))),
          yield* Effect.flip(admin.users.listPage({ limit: 2.5 })),
          yield* Effect.flip(admin.projects.users.update("proj_alpha", "user_ada", { role: "admin" as "owner" })),
          yield* Effect.flip(admin.projects.users.create("proj_alpha", { role: "member" } as never))
        ]
        expect(errors.map((e) => e._tag)).toEqual(Array(7).fill("InvalidRequestError"))
        expect(errors.map((e) => (e as AdminApiError.InvalidRequestError).field)).toEqual([
          "user_id",
          "user_id",
          "limit",
          "limit",
          "limit",
          "body.role",
          "body.user_id"
        ])
        expect(yield* server.requests).toHaveLength(0)
      })))
})

describe("errors", () => {
  const cases: ReadonlyArray<readonly [number, string]> = [
    [400, "BadRequestError"],
    [401, "AuthenticationError"],
    [403, "PermissionDeniedError"],
    [404, "NotFoundError"],
    [409, "ConflictError"],
    [422, "UnprocessableEntityError"],
    [429, "RateLimitError"],
    [500, "InternalServerError"],
    [503, "InternalServerError"],
    [418, "ApiError"]
  ]
  it.scoped("each status has its tag, with status, request id, method, path and the API's error", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        for (const [status, tag] of cases) {
          yield* server.fault([{
            _tag: "Status",
            status,
            body: { error: { message: `boom ${status}`, type: "some_type", code: "some_code", param: "p" } },
            headers: { "x-request-id": `req_${status}` }
          }])
          const error = yield* Effect.flip(admin.users.retrieve("user_ada"))
          expect(error._tag).toBe(tag)
          if (!("status" in error)) return yield* Effect.dieMessage("not a status error")
          const { error: body, method, path, requestId } = error as AdminApiError.StatusError
          expect([error.status, requestId, method, path]).toEqual([
            status,
            `req_${status}`,
            "GET",
            "/organization/users/user_ada"
          ])
          expect(body).toEqual({ message: `boom ${status}`, type: "some_type", code: "some_code", param: "p" })
          expect(error.message).toBe(`${status} boom ${status} (request req_${status})`)
        }
      }), { client: { retry: 0 } }))

  it.scoped("a non-JSON error body gives at most 512 characters of its text", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const html = `<html><body>${"Bad gateway ".repeat(100)}</body></html>`
        yield* server.fault([{ _tag: "Status", status: 502, body: html }])
        const error = yield* Effect.flip(admin.users.retrieve("user_ada"))
        expect(error._tag).toBe("InternalServerError")
        if (error._tag === "InternalServerError") {
          expect(error.error).toBeNull()
          expect(error.bodyText).toBe(html.slice(0, 512))
        }
      }), { client: { retry: 0 } }))

  it.scoped("401 with a wrong key", () =>
    withClient((admin) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(admin.users.retrieve("user_ada"))
        expect(error._tag).toBe("AuthenticationError")
        expect(error.message).not.toContain("sk-admin-wrong-key-value")
      }), { client: { apiKey: "sk-admin-wrong-key-value" } }))

  it.scoped("transport failures: ConnectionError; malformed 2xx: ResponseDecodeError", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "ResetBeforeHeaders" }])
        const reset = yield* Effect.flip(admin.users.retrieve("user_ada"))
        expect(reset._tag).toBe("ConnectionError")
        yield* server.fault([{ _tag: "ResetDuringBody" }])
        const midBody = yield* Effect.flip(Stream.runDrain(admin.users.list()))
        expect(midBody._tag).toBe("ConnectionError")
        yield* server.fault([{ _tag: "Malformed" }])
        const malformed = yield* Effect.flip(admin.users.retrieve("user_ada"))
        expect(malformed._tag).toBe("ResponseDecodeError")
        yield* server.fault([{ _tag: "Body", body: { object: "organization.user", id: 5, added_at: "SECRET-XYZ" } }])
        const wrong = yield* Effect.flip(admin.users.retrieve("user_ada"))
        expect(wrong._tag).toBe("ResponseDecodeError")
        if (wrong._tag === "ResponseDecodeError") expect(wrong.issues).toEqual(["id: expected string"])
        yield* server.fault([{ _tag: "Body", body: { object: "list", data: [], has_more: "yes" } }])
        const hasMore = yield* Effect.flip(admin.users.listPage())
        expect(hasMore._tag === "ResponseDecodeError" && hasMore.issues).toEqual(["has_more: expected boolean"])
        yield* server.fault([{ _tag: "Body", body: { object: "list", has_more: false } }])
        const noData = yield* Effect.flip(admin.users.listPage())
        expect(noData._tag === "ResponseDecodeError" && noData.issues[0]).toMatch(/^data: is missing/)
        yield* server.fault([{ _tag: "Body", body: "<html>hi</html>", contentType: "text/html" }])
        const html = yield* Effect.flip(admin.users.retrieve("user_ada"))
        expect(html._tag === "ResponseDecodeError" && html.issues).toEqual(["content-type: expected application/json"])
        for (const e of [wrong, hasMore, noData, html]) {
          expect(Cause.pretty(Cause.fail(e))).not.toContain("SECRET-XYZ")
        }
      }), { client: { retry: 0 } }))

  it.scoped("unknown fields and new enum values decode; nullable fields accept null", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{
          _tag: "Body",
          body: {
            object: "organization.user.v2",
            id: "u1",
            added_at: 1,
            role: "auditor",
            name: null,
            email: null,
            api_key_last_used_at: null,
            projects: null,
            brand_new_field: { nested: true }
          }
        }])
        const user = yield* admin.users.retrieve("u1")
        expect(user).toEqual({
          object: "organization.user.v2",
          id: "u1",
          added_at: 1,
          role: "auditor",
          name: null,
          email: null,
          api_key_last_used_at: null,
          projects: null
        })
      })))
})

describe("pagination guards", () => {
  it.scoped("has_more without a cursor fails with PaginationError", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Body", body: { object: "list", data: [], has_more: true, last_id: null } }])
        const error = yield* Effect.flip(Stream.runDrain(admin.users.list()))
        expect(error).toMatchObject({ _tag: "PaginationError", reason: "MissingCursor" })
      })))

  it.scoped("a repeated cursor fails with PaginationError, without emitting the repeated page", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const page = { object: "list", data: [{ object: "organization.user", id: "u1", added_at: 1 }], has_more: true, last_id: "u1" }
        yield* server.fault([{ _tag: "Body", body: page }, { _tag: "Body", body: page }, { _tag: "Body", body: page }])
        const emitted: Array<string> = []
        const exit = yield* Effect.exit(Stream.runForEach(admin.users.list(), (u) => Effect.sync(() => emitted.push(u.id))))
        expect(emitted).toEqual(["u1"])
        expect(Exit.isFailure(exit) && Cause.failureOption(exit.cause)).toEqual(
          Option.some(expect.objectContaining({ _tag: "PaginationError", reason: "RepeatedCursor", cursor: "u1" }))
        )
        expect(yield* server.requests).toHaveLength(2)
      }), { client: { readAhead: 0 } }))

  it.scoped("an empty page that still has a cursor is followed", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Body", body: { object: "list", data: [], has_more: true, last_id: "user_grace" } }])
        const users = yield* Stream.runCollect(admin.users.list())
        expect(Chunk.toArray(users).map((u) => u.id)).toEqual(["user_alan", "user_katherine", "user_edsger"])
      })))

  it.scoped("a cursor-id page without last_id continues after its last item's id", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{
          _tag: "Body",
          body: { object: "list", data: [{ object: "organization.user", id: "user_alan", added_at: 1 }], has_more: true }
        }])
        const users = yield* Stream.runCollect(admin.users.list())
        expect(Chunk.toArray(users).map((u) => u.id)).toEqual(["user_alan", "user_katherine", "user_edsger"])
      })))
})
