import { describe, expect, it } from "@effect/vitest"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Scope from "effect/Scope"
import { FakeAdminServer, Seed } from "../src/testing/index.js"

type Server = FakeAdminServer.FakeAdminServer

interface ErrorJson {
  readonly error: {
    readonly message: string
    readonly type: string
    readonly code: string | null
    readonly param: string | null
  }
}

interface Item {
  readonly id: string
  readonly [key: string]: unknown
}

interface CursorPage {
  readonly object: string
  readonly data: ReadonlyArray<Item>
  readonly first_id: string | null
  readonly last_id: string | null
  readonly has_more: boolean
}

interface NextPage {
  readonly object: string
  readonly data: ReadonlyArray<Item>
  readonly has_more: boolean
  readonly next: string | null
}

interface Bucket {
  readonly object: string
  readonly start_time: number
  readonly end_time: number
  readonly results: ReadonlyArray<Readonly<Record<string, unknown>>>
}

interface UsagePage {
  readonly object: string
  readonly data: ReadonlyArray<Bucket>
  readonly has_more: boolean
  readonly next_page: string | null
}

interface JsonResponse<B> {
  readonly status: number
  readonly headers: Headers
  /** The parsed JSON body (or the text when not JSON), as the type the test expects. */
  readonly body: B
}

const call = <B = Item>(
  server: Server,
  path: string,
  init: {
    readonly method?: string
    readonly body?: unknown
    readonly key?: string | null
    readonly signal?: AbortSignal
  } = {}
): Effect.Effect<JsonResponse<B>> =>
  Effect.promise(async () => {
    const headers: Record<string, string> = {}
    if (init.key !== null) headers["authorization"] = `Bearer ${init.key ?? server.apiKey}`
    if (init.body !== undefined) headers["content-type"] = "application/json"
    const response = await fetch(server.url + path, {
      method: init.method ?? "GET",
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.signal !== undefined ? { signal: init.signal } : {})
    })
    const text = await response.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // keep the text
    }
    return { status: response.status, headers: response.headers, body: body as B }
  })

const get = <B = Item>(server: Server, path: string) => call<B>(server, path)

const ids = (items: ReadonlyArray<Item>): ReadonlyArray<string> => items.map((item) => item.id)

/** Real-time polling (the server lives in real time, whatever clock the test uses). */
const eventually = <A>(effect: Effect.Effect<A>, predicate: (a: A) => boolean, timeoutMillis = 2_000) =>
  Effect.gen(function*() {
    const deadline = Date.now() + timeoutMillis
    while (true) {
      const value = yield* effect
      if (predicate(value) || Date.now() > deadline) return value
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
    }
  })

/** Follows a cursor-id list to the end, returning every page. */
const allCursorPages = (server: Server, path: string, limit: number) =>
  Effect.gen(function*() {
    const pages: Array<CursorPage> = []
    let after: string | undefined
    while (true) {
      const sep = path.includes("?") ? "&" : "?"
      const r = yield* get<CursorPage>(server, `${path}${sep}limit=${limit}${after === undefined ? "" : `&after=${encodeURIComponent(after)}`}`)
      expect(r.status).toBe(200)
      pages.push(r.body)
      if (!r.body.has_more) return pages
      after = r.body.last_id ?? undefined
    }
  })

describe("FakeAdminServer", () => {
  describe("organization users", () => {
    it.scoped("pages through every user once, in seed order, respecting limit", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)
        const pages = yield* allCursorPages(server, "/organization/users", 2)
        expect(pages.map((p) => p.data.length)).toEqual([2, 2, 1])
        for (const page of pages) {
          expect(page.object).toBe("list")
          expect(page.first_id).toBe(page.data[0]!.id)
          expect(page.last_id).toBe(page.data[page.data.length - 1]!.id)
        }
        expect(pages.flatMap((p) => ids(p.data))).toEqual(Seed.small.users.map((u) => u.id))
        expect(pages[0].data[0]).toEqual(Seed.small.users[0])
        const whole = yield* get<CursorPage>(server, "/organization/users")
        expect(whole.body.data).toHaveLength(5)
        expect(whole.body.has_more).toBe(false)
        expect(whole.headers.get("content-type")).toBe("application/json")
        expect(whole.headers.get("x-request-id")).toMatch(/^req_\d+$/)
      }))

    it.scoped("validates limit and after", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        for (const limit of ["0", "101", "abc"]) {
          const r = yield* get<ErrorJson>(server, `/organization/users?limit=${limit}`)
          expect(r.status).toBe(400)
          expect(r.body.error.param).toBe("limit")
          expect(Object.keys(r.body.error).sort()).toEqual(["code", "message", "param", "type"])
        }
        expect((yield* get(server, "/organization/users?limit=100")).status).toBe(200)
        const unknown = yield* get<ErrorJson>(server, "/organization/users?after=user_nobody")
        expect(unknown.status).toBe(400)
        expect(unknown.body.error.param).toBe("after")
      }))

    it.scoped("filters by emails[] and emails", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        const bracket = yield* get<CursorPage>(
          server,
          "/organization/users?emails[]=alan@example.com&emails[]=ada@example.com"
        )
        expect(ids(bracket.body.data)).toEqual(["user_ada", "user_alan"])
        const plain = yield* get<CursorPage>(server, "/organization/users?emails=grace%40example.com")
        expect(ids(plain.body.data)).toEqual(["user_grace"])
        const none = yield* get<CursorPage>(server, "/organization/users?emails[]=nobody@example.com")
        expect(none.body).toEqual({ object: "list", data: [], first_id: null, last_id: null, has_more: false })
        const [recorded] = (yield* server.requests).slice(0, 1)
        expect(recorded!.query).toEqual({ "emails[]": ["alan@example.com", "ada@example.com"] })
      }))

    it.scoped("retrieves, updates and deletes users; reset restores the seed", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        const grace = yield* get(server, "/organization/users/user_grace")
        expect(grace.body).toEqual(Seed.small.users[1])
        const updated = yield* call(server, "/organization/users/user_grace", { method: "POST", body: { role: "owner" } })
        expect(updated.status).toBe(200)
        expect(updated.body.role).toBe("owner")
        const bad = yield* call<ErrorJson>(server, "/organization/users/user_grace", {
          method: "POST",
          body: { role: "admin" }
        })
        expect(bad.status).toBe(400)
        expect(bad.body.error.param).toBe("role")
        const deleted = yield* call(server, "/organization/users/user_alan", { method: "DELETE" })
        expect(deleted.body).toEqual({ object: "organization.user.deleted", id: "user_alan", deleted: true })
        expect((yield* get(server, "/organization/users/user_alan")).status).toBe(404)
        // the deleted user also left its projects
        const alpha = yield* get<CursorPage>(server, "/organization/projects/proj_alpha/users")
        expect(ids(alpha.body.data)).toEqual(["user_ada", "user_grace"])

        yield* server.reset
        expect(yield* server.requests).toEqual([])
        expect((yield* get(server, "/organization/users/user_grace")).body.role).toBe("reader")
        expect((yield* get(server, "/organization/users/user_alan")).status).toBe(200)
        expect((yield* server.requests).map((r) => r.index)).toEqual([1, 2])
      }))
  })

  describe("auth and errors", () => {
    it.scoped("401 without or with a wrong key, never echoing it", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        const missing = yield* call(server, "/organization/users", { key: null })
        expect(missing.status).toBe(401)
        expect(missing.body).toEqual({
          error: { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key", param: null }
        })
        const wrong = yield* call(server, "/organization/users", { key: "sk-admin-secret-wrong" })
        expect(wrong.status).toBe(401)
        expect(JSON.stringify(wrong.body)).not.toContain("sk-admin-secret-wrong")
        const custom = yield* FakeAdminServer.make({ apiKey: "sk-admin-custom" })
        expect(custom.apiKey).toBe("sk-admin-custom")
        expect((yield* get(custom, "/organization/users")).status).toBe(200)
        expect(server.apiKey).toBe("sk-admin-fake-0123456789")
      }))

    it.scoped("404 for unknown ids (decoded) and unknown routes", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        const user = yield* get<ErrorJson>(server, "/organization/users/user_nobody")
        expect(user.status).toBe(404)
        expect(user.body.error.message).toBe("No such user: user_nobody")
        const project = yield* get<ErrorJson>(server, "/organization/projects/p%2F1/users")
        expect(project.status).toBe(404)
        expect(project.body.error.message).toBe("No such project: p/1")
        const route = yield* get<ErrorJson>(server, "/organization/nothing")
        expect(route.status).toBe(404)
        expect(route.body.error).toMatchObject({ type: "invalid_request_error", code: null, param: null })
        const requests = yield* server.requests
        expect(requests[1]!.path).toBe("/v1/organization/projects/p%2F1/users")
        expect(requests[1]!.segments).toEqual(["v1", "organization", "projects", "p/1", "users"])
        expect(requests[1]!.headers["authorization"]).toBe(`Bearer ${server.apiKey}`)
      }))

    it("errorBody builds the OpenAI error shape", () => {
      expect(FakeAdminServer.errorBody(404, "No such user: x")).toEqual({
        error: { message: "No such user: x", type: "invalid_request_error", code: null, param: null }
      })
      expect(FakeAdminServer.errorBody(500, "boom", { code: "x", param: "limit" }).error).toEqual({
        message: "boom",
        type: "server_error",
        code: "x",
        param: "limit"
      })
    })
  })

  describe("projects", () => {
    it.scoped("lists, creates, updates and archives projects", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        const list = yield* get<CursorPage>(server, "/organization/projects")
        expect(ids(list.body.data)).toEqual(["proj_alpha", "proj_beta"])
        const created = yield* call(server, "/organization/projects", { method: "POST", body: { name: "Gamma" } })
        expect(created.body).toMatchObject({ object: "organization.project", name: "Gamma", archived_at: null, status: "active" })
        expect(created.body.id).toMatch(/^proj_/)
        const renamed = yield* call(server, `/organization/projects/${created.body.id}`, { method: "POST", body: { name: "Delta" } })
        expect(renamed.body.name).toBe("Delta")
        const archived = yield* call(server, "/organization/projects/proj_beta/archive", { method: "POST" })
        expect(archived.body.status).toBe("archived")
        expect(typeof archived.body.archived_at).toBe("number")
        const active = yield* get<CursorPage>(server, "/organization/projects")
        expect(ids(active.body.data)).toEqual(["proj_alpha", created.body.id])
        const all = yield* get<CursorPage>(server, "/organization/projects?include_archived=true")
        expect(ids(all.body.data)).toEqual(["proj_alpha", "proj_beta", created.body.id])
        // a cursor naming an archived (hidden) project still works
        const after = yield* get<CursorPage>(server, "/organization/projects?after=proj_beta")
        expect(ids(after.body.data)).toEqual([created.body.id])
        expect((yield* call(server, "/organization/projects", { method: "POST", body: {} })).status).toBe(400)
      }))

    it.scoped("manages project users", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        const pages = yield* allCursorPages(server, "/organization/projects/proj_alpha/users", 1)
        expect(pages.flatMap((p) => p.data)).toEqual(Seed.small.projectUsers["proj_alpha"])
        const added = yield* call(server, "/organization/projects/proj_alpha/users", {
          method: "POST",
          body: { role: "member", email: "edsger@example.com" }
        })
        expect(added.status).toBe(200)
        expect(added.body).toMatchObject({ object: "organization.project.user", id: "user_edsger", role: "member" })
        const again = yield* call(server, "/organization/projects/proj_alpha/users", {
          method: "POST",
          body: { role: "member", user_id: "user_edsger" }
        })
        expect(again.status).toBe(409)
        const unknown = yield* call(server, "/organization/projects/proj_alpha/users", {
          method: "POST",
          body: { role: "member", user_id: "user_nobody" }
        })
        expect(unknown.status).toBe(404)
        const neither = yield* call(server, "/organization/projects/proj_alpha/users", { method: "POST", body: { role: "owner" } })
        expect(neither.status).toBe(400)
        const badRole = yield* call(server, "/organization/projects/proj_alpha/users", {
          method: "POST",
          body: { role: "reader", user_id: "user_edsger" }
        })
        expect(badRole.status).toBe(400)
        const promoted = yield* call(server, "/organization/projects/proj_alpha/users/user_edsger", {
          method: "POST",
          body: { role: "owner" }
        })
        expect(promoted.body.role).toBe("owner")
        expect((yield* get(server, "/organization/projects/proj_alpha/users/user_edsger")).body.role).toBe("owner")
        const removed = yield* call(server, "/organization/projects/proj_alpha/users/user_edsger", { method: "DELETE" })
        expect(removed.body).toEqual({ object: "organization.project.user.deleted", id: "user_edsger", deleted: true })
        expect((yield* get(server, "/organization/projects/proj_alpha/users/user_edsger")).status).toBe(404)
      }))

    it.scoped("creates service accounts and records the minted secrets", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        const created = yield* call<Item & { readonly api_key: { readonly value: string } }>(
          server,
          "/organization/projects/proj_alpha/service_accounts",
          { method: "POST", body: { name: "ci-bot" } }
        )
        expect(created.status).toBe(200)
        expect(created.body).toMatchObject({
          object: "organization.project.service_account",
          name: "ci-bot",
          role: "member",
          api_key: { object: "organization.project.service_account.api_key", name: "Secret Key" }
        })
        expect(created.body.api_key.value).toMatch(/^sk-svcacct-/)
        expect(yield* server.mintedSecrets).toEqual([created.body.api_key.value])
        const list = yield* get<CursorPage>(server, "/organization/projects/proj_alpha/service_accounts")
        expect(list.body.data).toEqual([{
          object: "organization.project.service_account",
          id: created.body.id,
          name: "ci-bot",
          role: "member",
          created_at: created.body.created_at
        }])
        yield* server.reset
        expect(yield* server.mintedSecrets).toHaveLength(1)
      }))
  })

  describe("groups and usage", () => {
    it.scoped("pages groups with next", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        const first = yield* get<NextPage>(server, "/organization/groups?limit=2")
        expect(first.body.object).toBe("list")
        expect(ids(first.body.data)).toEqual(["group_engineering", "group_sales"])
        expect(first.body.has_more).toBe(true)
        expect(typeof first.body.next).toBe("string")
        expect(first.body.next).not.toBe("group_sales")
        expect(first.body).not.toHaveProperty("last_id")
        const second = yield* get<NextPage>(server, `/organization/groups?limit=2&after=${encodeURIComponent(first.body.next!)}`)
        expect(second.body).toEqual({ object: "list", data: [Seed.small.groups[2]], has_more: false, next: null })
        const desc = yield* get<NextPage>(server, "/organization/groups?order=desc&limit=2")
        expect(ids(desc.body.data)).toEqual(["group_support", "group_sales"])
        const descNext = yield* get<NextPage>(
          server,
          `/organization/groups?order=desc&limit=2&after=${encodeURIComponent(desc.body.next!)}`
        )
        expect(ids(descNext.body.data)).toEqual(["group_engineering"])
        expect((yield* get<NextPage>(server, "/organization/groups")).body.data).toHaveLength(3)
        expect((yield* get(server, "/organization/groups?limit=1001")).status).toBe(400)
        expect((yield* get(server, "/organization/groups?after=group_sales")).status).toBe(400)
      }))

    it.scoped("pages usage and costs with next_page", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        const start = 1_730_419_200
        const first = yield* get<UsagePage>(server, `/organization/usage/completions?start_time=${start}&limit=2`)
        expect(first.body.object).toBe("page")
        expect(first.body.data).toHaveLength(2)
        expect(first.body.has_more).toBe(true)
        expect(typeof first.body.next_page).toBe("string")
        const bucket = first.body.data[0]!
        expect(bucket).toMatchObject({ object: "bucket", start_time: start, end_time: start + 86_400 })
        expect(bucket.results[0]).toMatchObject({
          object: "organization.usage.completions.result",
          project_id: null,
          user_id: null,
          api_key_id: null,
          model: null,
          batch: null
        })
        const numeric = [
          "input_tokens",
          "output_tokens",
          "input_cached_tokens",
          "input_audio_tokens",
          "output_audio_tokens",
          "num_model_requests"
        ]
        for (const key of numeric) expect(typeof bucket.results[0]![key]).toBe("number")
        const second = yield* get<UsagePage>(
          server,
          `/organization/usage/completions?start_time=${start}&limit=2&page=${encodeURIComponent(first.body.next_page!)}`
        )
        expect(second.body.data.map((b) => b.start_time)).toEqual([start + 2 * 86_400])
        expect(second.body.has_more).toBe(false)
        expect(second.body.next_page).toBeNull()
        const all = yield* get<UsagePage>(server, `/organization/usage/completions?start_time=${start}`)
        expect(all.body.data).toHaveLength(3)
        // deterministic
        expect((yield* get(server, `/organization/usage/completions?start_time=${start}`)).body).toEqual(all.body)

        const costs = yield* get<UsagePage>(server, `/organization/costs?start_time=${start}&limit=1`)
        expect(costs.body.data).toHaveLength(1)
        const cost = costs.body.data[0]!.results[0]! as { readonly amount: { readonly value: unknown } }
        expect(cost).toMatchObject({
          object: "organization.costs.result",
          amount: { currency: "usd" },
          line_item: null,
          project_id: null
        })
        expect(typeof cost.amount.value).toBe("number")
        expect(costs.body.has_more).toBe(true)

        const missing = yield* get<ErrorJson>(server, "/organization/usage/completions")
        expect(missing.status).toBe(400)
        expect(missing.body.error.param).toBe("start_time")
        expect((yield* get(server, `/organization/usage/completions?start_time=${start}&limit=32`)).status).toBe(400)
        expect((yield* get(server, `/organization/costs?start_time=${start}&limit=180`)).status).toBe(200)
        expect((yield* get(server, `/organization/costs?start_time=${start}&limit=181`)).status).toBe(400)
        expect((yield* get(server, `/organization/costs?start_time=${start}&page=bogus`)).status).toBe(400)
      }))
  })

  describe("faults", () => {
    it.scoped("Status faults with headers and default or custom bodies, then normal service", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        yield* server.fault([
          { _tag: "Status", status: 429, headers: { "Retry-After": "3" } },
          { _tag: "Status", status: 502, body: "<html>Bad gateway</html>" },
          { _tag: "Status", status: 500, body: { error: { message: "custom" } } }
        ])
        const r1 = yield* get<ErrorJson>(server, "/organization/users")
        expect(r1.status).toBe(429)
        expect(r1.headers.get("retry-after")).toBe("3")
        expect(r1.headers.get("x-request-id")).toBe("req_1")
        expect(r1.body.error).toMatchObject({ code: "rate_limit_exceeded", param: null })
        const r2 = yield* get(server, "/organization/users")
        expect(r2.status).toBe(502)
        expect(r2.headers.get("content-type")).toContain("text/html")
        expect(r2.body).toBe("<html>Bad gateway</html>")
        const r3 = yield* get(server, "/organization/users")
        expect(r3.status).toBe(500)
        expect(r3.body).toEqual({ error: { message: "custom" } })
        expect((yield* get(server, "/organization/users")).status).toBe(200)
        // faults apply after recording: every request is in the log
        expect((yield* server.requests).length).toBe(4)
        // a fault's headers win over the defaults
        yield* server.fault([{ _tag: "Status", status: 400, headers: { "X-Request-Id": "req_custom" } }])
        const custom = yield* get<ErrorJson>(server, "/organization/users")
        expect(custom.headers.get("x-request-id")).toBe("req_custom")
        expect(custom.body.error.type).toBe("invalid_request_error")
      }))

    it.scoped("faults only hit matching requests", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        yield* server.fault([{ _tag: "Status", status: 503 }], { path: /\/groups$/ })
        yield* server.fault([{ _tag: "Status", status: 418 }], { method: "post" })
        expect((yield* get(server, "/organization/users")).status).toBe(200)
        expect((yield* call(server, "/organization/projects", { method: "POST", body: { name: "x" } })).status).toBe(418)
        expect((yield* get(server, "/organization/groups")).status).toBe(503)
        expect((yield* get(server, "/organization/groups")).status).toBe(200)
      }))

    it.scoped("Body and Pass faults", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        const loop = { object: "list", data: [], first_id: null, last_id: "user_ada", has_more: true }
        yield* server.fault([{ _tag: "Pass" }, { _tag: "Body", body: loop, headers: { "x-extra": "1" } }])
        expect((yield* get<CursorPage>(server, "/organization/users")).body.data).toHaveLength(5)
        const r = yield* get(server, "/organization/users")
        expect(r.status).toBe(200)
        expect(r.body).toEqual(loop)
        expect(r.headers.get("x-extra")).toBe("1")
        yield* server.fault([{ _tag: "Body", status: 201, body: "plain", contentType: "text/plain" }])
        const text = yield* get(server, "/organization/users")
        expect(text.status).toBe(201)
        expect(text.body).toBe("plain")
        expect(text.headers.get("content-type")).toBe("text/plain")
      }))

    it.scoped("ResetBeforeHeaders makes fetch reject", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        yield* server.fault([{ _tag: "ResetBeforeHeaders" }])
        const exit = yield* Effect.exit(Effect.tryPromise(() => fetch(`${server.url}/organization/users`)))
        expect(Exit.isFailure(exit)).toBe(true)
        expect((yield* get(server, "/organization/users")).status).toBe(200)
        expect((yield* server.requests).length).toBe(2)
        expect(yield* eventually(server.inFlight, (n) => n === 0)).toBe(0)
        const [first] = yield* server.requests
        expect(yield* first!.aborted).toBe(false)
        expect(yield* first!.finished).toBe(false)
      }))

    it.scoped("ResetDuringBody: headers arrive, reading the body fails", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        yield* server.fault([{ _tag: "ResetDuringBody" }])
        const response = yield* Effect.promise(() =>
          fetch(`${server.url}/organization/users`, { headers: { authorization: `Bearer ${server.apiKey}` } })
        )
        expect(response.status).toBe(200)
        expect(response.headers.get("x-request-id")).toBe("req_1")
        const body = yield* Effect.exit(Effect.tryPromise(() => response.text()))
        expect(Exit.isFailure(body)).toBe(true)
        expect(yield* eventually(server.inFlight, (n) => n === 0)).toBe(0)
      }))

    it.scoped("Malformed: a complete 200 whose JSON does not parse", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        yield* server.fault([{ _tag: "Malformed" }])
        const response = yield* Effect.promise(() =>
          fetch(`${server.url}/organization/users`, { headers: { authorization: `Bearer ${server.apiKey}` } })
        )
        expect(response.status).toBe(200)
        expect(response.headers.get("content-type")).toBe("application/json")
        const text = yield* Effect.promise(() => response.text())
        expect(() => JSON.parse(text)).toThrow()
      }))

    it.scoped("Hang: the client aborts, the request is marked aborted and inFlight returns to 0", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        yield* server.fault([{ _tag: "Hang" }])
        const controller = new AbortController()
        const fiber = yield* Effect.fork(
          Effect.tryPromise(() => fetch(`${server.url}/organization/users`, { signal: controller.signal }))
        )
        const request = yield* server.awaitRequest(1)
        expect(yield* server.inFlight).toBe(1)
        expect(yield* request.aborted).toBe(false)
        controller.abort()
        const exit = yield* Fiber.await(fiber)
        expect(Exit.isFailure(exit)).toBe(true)
        expect(yield* eventually(server.inFlight, (n) => n === 0)).toBe(0)
        expect(yield* request.aborted).toBe(true)
        expect(yield* request.finished).toBe(false)
        // and the server is still fine
        const ok = yield* get(server, "/organization/users")
        expect(ok.status).toBe(200)
        const [, second] = yield* server.requests
        expect(yield* second!.finished).toBe(true)
        expect(yield* second!.aborted).toBe(false)
      }))

    it.scoped("Delay and latency are real time", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make({ latency: 30 })
        yield* server.fault([{ _tag: "Delay", millis: 100 }])
        let t = Date.now()
        expect((yield* get(server, "/organization/users")).status).toBe(200)
        expect(Date.now() - t).toBeGreaterThanOrEqual(120)
        t = Date.now()
        expect((yield* get(server, "/organization/users")).status).toBe(200)
        expect(Date.now() - t).toBeGreaterThanOrEqual(25)
      }))
  })

  describe("recording", () => {
    it.scoped("awaitRequest resolves when the 2nd matching request arrives", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        const waiting = yield* Effect.fork(server.awaitRequest(2, { method: "GET", path: "/v1/organization/users" }))
        yield* get(server, "/organization/users")
        yield* get(server, "/organization/groups")
        yield* server.fault([{ _tag: "Hang" }])
        const controller = new AbortController()
        yield* Effect.fork(
          Effect.tryPromise(() => fetch(`${server.url}/organization/users?limit=1`, { signal: controller.signal }))
        )
        const second = yield* Fiber.join(waiting)
        expect(second.index).toBe(3)
        expect(second.query).toEqual({ limit: ["1"] })
        expect(second.rawQuery).toBe("limit=1")
        // already-arrived requests resolve immediately
        expect((yield* server.awaitRequest(1)).path).toBe("/v1/organization/users")
        controller.abort()
        expect(yield* eventually(server.inFlight, (n) => n === 0)).toBe(0)
      }))

    it.scoped("records bodies", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        yield* call(server, "/organization/users/user_ada", { method: "POST", body: { role: "owner" } })
        yield* Effect.promise(() =>
          fetch(`${server.url}/organization/projects`, { method: "POST", body: "not json" })
        )
        const [json, text] = yield* server.requests
        expect(json!.body).toEqual({ role: "owner" })
        expect(json!.method).toBe("POST")
        expect(text!.body).toBe("not json")
        expect((yield* server.awaitRequest(2)).index).toBe(2)
      }))

    it.scoped("interrupting an HttpClient request marks it aborted and leaves nothing in flight", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        const client = yield* HttpClient.HttpClient
        yield* server.fault([{ _tag: "Hang" }, { _tag: "Delay", millis: 10_000 }])
        const hanging = yield* Effect.fork(
          client.execute(HttpClientRequest.get(`${server.url}/organization/users`).pipe(
            HttpClientRequest.bearerToken(server.apiKey)
          ))
        )
        const delayed = yield* Effect.fork(
          client.execute(HttpClientRequest.get(`${server.url}/organization/groups`).pipe(
            HttpClientRequest.bearerToken(server.apiKey)
          ))
        )
        const first = yield* server.awaitRequest(1, { path: "/v1/organization/users" })
        const second = yield* server.awaitRequest(1, { path: "/v1/organization/groups" })
        expect(yield* server.inFlight).toBe(2)
        yield* Fiber.interrupt(hanging)
        yield* Fiber.interrupt(delayed)
        expect(yield* eventually(server.inFlight, (n) => n === 0)).toBe(0)
        expect(yield* first.aborted).toBe(true)
        expect(yield* second.aborted).toBe(true)
        expect(yield* second.finished).toBe(false)
      }).pipe(Effect.provide(FetchHttpClient.layer)))

    it.scoped("200 concurrent streams under a mixed fault plan", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make()
        const plan: Array<FakeAdminServer.Fault> = []
        for (let i = 0; i < 150; i++) {
          const kinds: ReadonlyArray<FakeAdminServer.Fault> = [
            { _tag: "Status", status: 503 },
            { _tag: "ResetBeforeHeaders" },
            { _tag: "ResetDuringBody" },
            { _tag: "Malformed" },
            { _tag: "Delay", millis: 5 },
            { _tag: "Pass" }
          ]
          plan.push(kinds[i % kinds.length]!)
        }
        yield* server.fault(plan)
        const outcomes = yield* Effect.forEach(
          Array.from({ length: 200 }, (_, i) => i),
          () =>
            Effect.promise(async () => {
              try {
                const response = await fetch(`${server.url}/organization/users`, {
                  headers: { authorization: `Bearer ${server.apiKey}` }
                })
                const text = await response.text()
                if (response.status !== 200) return `status ${response.status}`
                try {
                  JSON.parse(text)
                  return "ok"
                } catch {
                  return "malformed"
                }
              } catch {
                return "rejected"
              }
            }),
          { concurrency: "unbounded" }
        )
        const count = (outcome: string) => outcomes.filter((o) => o === outcome).length
        expect(count("status 503")).toBe(25)
        expect(count("malformed")).toBe(25)
        expect(count("rejected")).toBe(50)
        expect(count("ok")).toBe(100)
        expect((yield* server.requests).length).toBe(200)
        expect(yield* eventually(server.inFlight, (n) => n === 0)).toBe(0)
      }))

    it.scoped("serves 200 concurrent requests", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make({ latency: 5 })
        const results = yield* Effect.forEach(
          Array.from({ length: 200 }, (_, i) => i),
          (i) => get<CursorPage>(server, `/organization/users?limit=${(i % 5) + 1}`),
          { concurrency: "unbounded" }
        )
        expect(results.every((r) => r.status === 200)).toBe(true)
        expect(results.map((r) => r.body.data.length)).toEqual(Array.from({ length: 200 }, (_, i) => (i % 5) + 1))
        const requests = yield* server.requests
        expect(requests.map((r) => r.index)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
        const ids = new Set(results.map((r) => r.headers.get("x-request-id")))
        expect(ids.size).toBe(200)
        expect(yield* eventually(server.inFlight, (n) => n === 0)).toBe(0)
      }))
  })

  describe("lazy users", () => {
    it.scoped("1,000,000 users page quickly, early and late", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make({ userCount: 1_000_000 })
        const t = Date.now()
        const firstPage = yield* get<CursorPage>(server, "/organization/users?limit=100")
        expect(firstPage.body.data).toHaveLength(100)
        expect(firstPage.body.data[0]).toEqual(Seed.generatedUser(0))
        expect(firstPage.body.last_id).toBe(Seed.generatedUser(99).id)
        expect(firstPage.body.has_more).toBe(true)
        const late = yield* get<CursorPage>(server, `/organization/users?limit=100&after=${Seed.generatedUser(999_949).id}`)
        expect(late.body.data).toHaveLength(50)
        expect(late.body.data[49]).toEqual(Seed.generatedUser(999_999))
        expect(late.body.has_more).toBe(false)
        expect(Date.now() - t).toBeLessThan(1_000)
        const one = yield* get(server, `/organization/users/${Seed.generatedUser(123_456).id}`)
        expect(one.body).toEqual(Seed.generatedUser(123_456))
        expect((yield* get(server, "/organization/users/user-1000000")).status).toBe(404)
        const byEmail = yield* get<CursorPage>(
          server,
          `/organization/users?emails[]=${encodeURIComponent(Seed.generatedUser(777).email)}`
        )
        expect(byEmail.body.data).toEqual([Seed.generatedUser(777)])
        yield* call(server, `/organization/users/${Seed.generatedUser(1).id}`, { method: "DELETE" })
        const afterDelete = yield* get<CursorPage>(server, "/organization/users?limit=2")
        expect(ids(afterDelete.body.data)).toEqual([Seed.generatedUser(0).id, Seed.generatedUser(2).id])
      }))
  })

  describe("lifecycle", () => {
    it.scoped("closing the scope closes the server promptly, even with a hanging request", () =>
      Effect.gen(function*() {
        const scope = yield* Scope.make()
        const server = yield* FakeAdminServer.make().pipe(Scope.extend(scope))
        yield* server.fault([{ _tag: "Hang" }])
        const pending = yield* Effect.fork(Effect.tryPromise(() => fetch(`${server.url}/organization/users`)))
        yield* server.awaitRequest(1)
        const t = Date.now()
        yield* Scope.close(scope, Exit.void)
        expect(Date.now() - t).toBeLessThan(500)
        expect(Exit.isFailure(yield* Fiber.await(pending))).toBe(true)
        const after = yield* Effect.exit(Effect.tryPromise(() => fetch(`${server.url}/organization/users`)))
        expect(Exit.isFailure(after)).toBe(true)
      }))

    it.scoped("layer provides the service", () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.FakeAdminServer
        expect((yield* get<CursorPage>(server, "/organization/projects")).body.data).toHaveLength(2)
      }).pipe(Effect.provide(FakeAdminServer.layer())))

    it.scoped("serves a generated seed", () =>
      Effect.gen(function*() {
        const seed = Seed.generate({ users: 250, projects: 12, groups: 5, seed: 42 })
        expect(Seed.generate({ users: 250, projects: 12, groups: 5, seed: 42 })).toEqual(seed)
        expect(new Set(seed.users.map((u) => u.email)).size).toBe(250)
        expect(seed.users.some((u) => u.role === "owner")).toBe(true)
        expect(seed.users.filter((u) => u.role === "owner").length).toBeLessThan(60)
        const server = yield* FakeAdminServer.make({ seed })
        const pages = yield* allCursorPages(server, "/organization/users", 100)
        expect(pages.flatMap((p) => p.data)).toEqual(seed.users)
        const project = seed.projects[3]!
        const members = yield* allCursorPages(server, `/organization/projects/${project.id}/users`, 7)
        expect(members.flatMap((p) => p.data)).toEqual(seed.projectUsers[project.id])
        const groups = yield* get<NextPage>(server, "/organization/groups")
        expect(groups.body.data).toEqual(seed.groups)
      }))
  })
})
