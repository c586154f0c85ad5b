/**
 * Hardening checks: secrets never leak, ids and filters reach the server exactly, bad responses and bad
 * configuration give tagged errors naming what was wrong, and the layer's limits hold under load (measured at
 * the fake server).
 */
import { afterEach, describe, expect, it } from "@effect/vitest"
import {
  Cause,
  Chunk,
  ConfigError,
  ConfigProvider,
  Duration,
  Effect,
  Either,
  Exit,
  FastCheck as fc,
  Fiber,
  Layer,
  Option,
  Redacted,
  Schedule,
  Stream
} from "effect"
import { FetchHttpClient } from "@effect/platform"
import * as AdminApi from "../src/AdminApi.js"
import type { AdminApiError } from "../src/AdminApiError.js"
import * as FakeAdminServer from "../src/testing/FakeAdminServer.js"
import * as Seed from "../src/testing/Seed.js"
import { clientLayer, eventually, propertyTimeout, seed, soak, soakRuns, turns } from "./helpers.js"
import { failureOf, makeRecorder } from "./recording.js"

const fastCheck = (numRuns: number, share: number) => ({
  numRuns: soak ? Math.max(numRuns, Math.round(soakRuns * share)) : numRuns,
  seed
})
const usersPath = { path: "/v1/organization/users" } as const

const recorder = makeRecorder()
afterEach(() => {
  expect(recorder.scan()).toEqual([])
})

type ClientOptions = Omit<AdminApi.Options, "apiKey" | "baseUrl"> & { readonly apiKey?: string }

/** A fresh fake server and a client of it, everything recorded for the secret scan. */
const withClient = <A, E>(
  f: (admin: AdminApi.Service, server: FakeAdminServer.FakeAdminServer) => Effect.Effect<A, E>,
  options: { readonly server?: FakeAdminServer.Options; readonly client?: ClientOptions } = {}
) =>
  recorder.observe(Effect.gen(function*() {
    const server = yield* FakeAdminServer.make(options.server)
    recorder.server(server)
    return yield* Effect.flatMap(AdminApi.AdminApi, (admin) => f(admin, server)).pipe(
      Effect.provide(clientLayer(server, options.client))
    )
  }))

const flipRecorded = <A, E>(self: Effect.Effect<A, E>) =>
  Effect.tap(Effect.flip(self), (e) => Effect.sync(() => recorder.record(e)))

// ---------------------------------------------------------------------------------------------
// secrets
// ---------------------------------------------------------------------------------------------

describe("secrets", () => {
  it.scoped("regression: the admin key was in the JSON of the http.client span's failure cause after a connection reset", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "ResetBeforeHeaders" }, { _tag: "ResetDuringBody" }, { _tag: "ResetBeforeHeaders" }])
        expect((yield* flipRecorded(admin.users.retrieve("user_ada")))._tag).toBe("ConnectionError")
        expect((yield* flipRecorded(Stream.runDrain(admin.users.list())))._tag).toBe("ConnectionError")
        expect((yield* flipRecorded(admin.projects.users.create("proj_alpha", { role: "member", user_id: "user_edsger" })))._tag)
          .toBe("ConnectionError")
        expect(recorder.size()).toBeGreaterThan(0)
        expect(recorder.scan()).toEqual([])
      }), { client: { retry: 0 } }).pipe(Effect.withSpan("caller")))

  it.scoped("regression: the key echoed in an error's type, code or param reached the error's JSON", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const key = server.apiKey
        yield* server.fault([{
          _tag: "Status",
          status: 400,
          body: { error: { message: `bad key ${key}`, type: `Bearer ${key}`, code: key, param: `authorization: ${key}` } }
        }])
        const error = yield* flipRecorded(admin.users.retrieve("user_ada"))
        expect(error._tag).toBe("BadRequestError")
        if (error._tag === "BadRequestError") {
          expect(error.error).toEqual({
            message: "bad key <redacted>",
            type: "Bearer <redacted>",
            code: "<redacted>",
            param: "authorization: <redacted>"
          })
        }
        expect(recorder.scan()).toEqual([])
      }), { client: { retry: 0 } }))

  it.scopedLive("regression: a response header echoing the key became an http.client span attribute (and no secret anywhere else)", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const key = server.apiKey
        // three minted secrets, created, logged and listed
        for (const name of ["ci", "deploy", "backup"]) {
          const created = yield* admin.projects.serviceAccounts.create("proj_alpha", { name })
          expect(Redacted.value(created.api_key!.value)).toMatch(/^sk-svcacct-/)
          yield* Effect.log("created", created)
          yield* Effect.logDebug(created.api_key)
          recorder.record(created)
        }
        expect(yield* server.mintedSecrets).toHaveLength(3)
        yield* Stream.runDrain(admin.projects.serviceAccounts.list("proj_alpha"))

        yield* server.fault([
          {
            _tag: "Status",
            status: 502,
            body: `<html><pre>Authorization: Bearer ${key}</pre></html>`,
            headers: { "x-echo-authorization": `Bearer ${key}`, "retry-after-ms": "0" }
          },
          {
            _tag: "Status",
            status: 500,
            body: { error: { message: `echo: Bearer ${key}`, type: null, code: null, param: null } },
            headers: { "retry-after-ms": "0" }
          },
          { _tag: "Status", status: 429, headers: { "retry-after-ms": "0", "x-debug": key } },
          { _tag: "Status", status: 401, body: `Bearer ${key}` }
        ])
        // retried twice (502, 500), the 429 once, then the 401
        const error = yield* flipRecorded(admin.users.retrieve("user_ada"))
        expect(error._tag).toBe("AuthenticationError")

        // a create response that does not decode, holding a secret value: the issues name the field only
        const secret = "sk-svcacct-THIS-IS-A-SECRET-VALUE-0123456789"
        recorder.secret(secret)
        yield* server.fault([{
          _tag: "Body",
          body: { object: "organization.project.service_account", id: 7, name: "x", role: "member", created_at: 1, api_key: { value: secret } }
        }])
        const decode = yield* flipRecorded(admin.projects.serviceAccounts.create("proj_alpha", { name: "bad" }))
        expect(decode._tag).toBe("ResponseDecodeError")
        expect(recorder.size()).toBeGreaterThan(20)
      }), { client: { retry: 3 } }).pipe(Effect.withSpan("caller")))
})

// ---------------------------------------------------------------------------------------------
// injection
// ---------------------------------------------------------------------------------------------

/** Strings made of the characters that break naive URL building, and anything else. */
const nasty: fc.Arbitrary<string> = fc.array(
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        ..."/ ? # % %2F %25 %zz + & = .. ../ /.. . \\ ; : @ [] ü 日本 😀".split(" "),
        " ",
        "\u0000",
        "\n",
        "\r\n",
        "\u202e"
      )
    },
    { weight: 1, arbitrary: fc.constantFrom("\uD800", "\uDC00", "a\uDBFFb") },
    { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 4 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 3 }) }
  ),
  { minLength: 1, maxLength: 8 }
).map((parts) => parts.join(""))

/** A lone surrogate cannot be percent-encoded (or sent) as is: such a value must be refused, never altered. */
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)
const acceptableId = (s: string) => s !== "" && s !== "." && s !== ".." && wellFormed(s)

describe("injection", () => {
  it.scopedLive.prop(
    "ids reach the server as exactly one path segment, filters and bodies as exactly the values given; what cannot is refused",
    { project: nasty, user: nasty, emails: fc.array(nasty, { maxLength: 3 }), after: nasty, name: nasty },
    ({ after, emails, name, project, user }) =>
      withClient((admin, server) =>
        Effect.gen(function*() {
          // path ids
          const retrieved = yield* Effect.exit(admin.projects.users.retrieve(project, user))
          let requests = yield* server.requests
          if (acceptableId(project) && acceptableId(user)) {
            expect(requests).toHaveLength(1)
            const [r] = requests
            expect(r!.path.split("/")).toHaveLength(7) // "", v1, organization, projects, {id}, users, {id}
            expect(r!.segments.slice(-4)).toEqual(["projects", project, "users", user])
            expect(Option.getOrUndefined(failureOf(retrieved))?._tag).toBe("NotFoundError")
          } else {
            expect(requests).toHaveLength(0)
            const error = Option.getOrThrow(failureOf(retrieved))
            expect(error).toMatchObject({
              _tag: "InvalidRequestError",
              field: acceptableId(project) ? "user_id" : "project_id"
            })
          }

          // query values
          yield* server.reset
          const listed = yield* Effect.exit(admin.users.listPage({ emails, after, limit: 3 }))
          requests = yield* server.requests
          if ([...emails, after].every(wellFormed)) {
            expect(requests).toHaveLength(1)
            const q = requests[0]!.query
            // an empty cursor means "from the start": not sent
            const expected = {
              ...(after === "" ? {} : { after: [after] }),
              ...(emails.length === 0 ? {} : { "emails[]": emails }),
              limit: ["3"]
            }
            expect(q).toEqual(expected)
          } else {
            expect(requests).toHaveLength(0)
            expect(Option.getOrThrow(failureOf(listed))).toMatchObject({ _tag: "InvalidRequestError" })
          }

          // JSON bodies carry any string exactly (JSON escapes lone surrogates)
          yield* server.reset
          const created = yield* Effect.either(admin.projects.create({ name }))
          expect((yield* server.requests)[0]!.body).toEqual({ name })
          // (the fake server refuses a blank name with a 400, like the API)
          if (Either.isRight(created)) expect(created.right.name).toBe(name)
          else expect(created.left._tag).toBe("BadRequestError")
        })),
    { timeout: propertyTimeout, fastCheck: fastCheck(80, 0.2) }
  )

  it.scoped("regression: an id or a filter with a lone surrogate died (URIError) or was silently altered", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const path = yield* Effect.exit(admin.users.retrieve("user_\uD800"))
        expect(Exit.isFailure(path) && Cause.isFailType(path.cause)).toBe(true)
        expect(Option.getOrThrow(failureOf(path))).toMatchObject({ _tag: "InvalidRequestError", field: "user_id" })
        const query = yield* Effect.exit(Stream.runDrain(admin.users.list({ emails: ["a@b.c", "x\uDC00@b.c"] })))
        expect(Option.getOrThrow(failureOf(query))).toMatchObject({ _tag: "InvalidRequestError", field: "emails[]" })
        const cursor = yield* Effect.exit(admin.users.listPage({ after: "\uDBFF" }))
        expect(Option.getOrThrow(failureOf(cursor))).toMatchObject({ _tag: "InvalidRequestError", field: "after" })
        expect(yield* server.requests).toHaveLength(0)
      })))
})

// ---------------------------------------------------------------------------------------------
// bad responses
// ---------------------------------------------------------------------------------------------

const MiB = 1024 * 1024

describe("bad responses", () => {
  for (const contentLength of [true, false]) {
    it.scopedLive(`a 200 larger than maxResponseBytes is cancelled (${contentLength ? "with" : "without"} content-length)`, () =>
      withClient((admin, server) =>
        Effect.gen(function*() {
          yield* server.fault([{ _tag: "Huge", bytes: 512 * MiB, contentLength }])
          const error = yield* flipRecorded(admin.users.listPage())
          expect(error).toMatchObject({
            _tag: "ResponseDecodeError",
            status: 200,
            issues: ["body: larger than maxResponseBytes (1048576 bytes)"]
          })
          const [request] = yield* server.requests
          expect(yield* eventually(request!.aborted)).toBe(true)
          expect(yield* request!.bytesWritten).toBeLessThan(64 * MiB)
          expect(yield* server.requests).toHaveLength(1) // not retried
        }), { client: { maxResponseBytes: MiB } }))
  }

  it.scopedLive("the default maxResponseBytes is 32 MiB: 2 MiB is read, 40 MiB is cancelled", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Huge", bytes: 2 * MiB }, { _tag: "Huge", bytes: 40 * MiB, contentLength: false }])
        const page = yield* admin.users.listPage()
        expect(page.data[0]!.id.length).toBeGreaterThan(2 * MiB - 200)
        const error = yield* flipRecorded(admin.users.listPage())
        expect(error).toMatchObject({ _tag: "ResponseDecodeError", issues: ["body: larger than maxResponseBytes (33554432 bytes)"] })
        const requests = yield* server.requests
        expect(yield* eventually(requests[1]!.aborted)).toBe(true)
        expect(yield* requests[1]!.bytesWritten).toBeLessThan(40 * MiB)
      })))

  it.scopedLive("regression: a 503 with a body larger than maxResponseBytes became a ResponseDecodeError and was not retried", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([
          { _tag: "Huge", bytes: 256 * MiB, status: 503 },
          { _tag: "Huge", bytes: 256 * MiB, status: 502, contentLength: false }
        ])
        const user = yield* admin.users.retrieve("user_ada")
        expect(user.id).toBe("user_ada")
        const requests = yield* server.requests
        expect(requests).toHaveLength(3)
        for (const r of requests.slice(0, 2)) {
          expect(yield* eventually(r.aborted)).toBe(true)
          expect(yield* r.bytesWritten).toBeLessThan(64 * MiB)
        }
      }), { client: { maxResponseBytes: MiB, retry: Schedule.recurs(2) } }))

  it.scopedLive("an error status with a huge body: the status error, its body text cut to 512 characters", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Huge", bytes: 256 * MiB, status: 500 }])
        const error = yield* flipRecorded(admin.users.retrieve("user_ada"))
        expect(error._tag).toBe("InternalServerError")
        if (error._tag === "InternalServerError") {
          expect(error.status).toBe(500)
          expect(error.bodyText!.length).toBe(512)
        }
        const [request] = yield* server.requests
        expect(yield* eventually(request!.aborted)).toBe(true)
      }), { client: { maxResponseBytes: MiB, retry: 0 } }))

  it.scoped("a bad page in the middle of a listing: the pages before it, then ResponseDecodeError naming the field", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const cases: ReadonlyArray<readonly [FakeAdminServer.Fault, string]> = [
          [{ _tag: "Body", body: "<html>login</html>", contentType: "text/html" }, "content-type: expected application/json"],
          [{ _tag: "Body", body: { object: "list", has_more: false } }, "data: is missing"],
          [{ _tag: "Body", body: { object: "list", data: [], has_more: "true" } }, "has_more: expected boolean"],
          [{ _tag: "Body", body: { object: "list", data: [{ object: "organization.user", added_at: 1 }], has_more: false } }, "data[0].id: is missing"],
          [{ _tag: "Body", body: "", contentType: "application/json" }, "body: expected JSON"]
        ]
        for (const [fault, issue] of cases) {
          yield* server.reset
          yield* server.fault([{ _tag: "Pass" }, fault], usersPath)
          const emitted: Array<string> = []
          const error = yield* flipRecorded(Stream.runForEach(admin.users.list({ limit: 2 }), (u) => Effect.sync(() => emitted.push(u.id))))
          expect(error._tag).toBe("ResponseDecodeError")
          if (error._tag === "ResponseDecodeError") expect(error.issues[0]!.startsWith(issue)).toBe(true)
          expect(emitted).toEqual(["user_ada", "user_grace"])
          expect(yield* server.requests).toHaveLength(2)
        }
      }), { client: { readAhead: 2 } }))

  /** A corruption of a valid page, and the field its error must name. */
  type Page = Record<string, unknown>
  interface Corruption {
    readonly apply: (page: Page) => unknown
    /** What the first issue must say. */
    readonly issue: RegExp
    readonly contentType?: string
  }
  const setField = (field: string, values: ReadonlyArray<unknown>, issue: RegExp): fc.Arbitrary<Corruption> =>
    fc.constantFrom(...values).map((v) => ({ apply: (p: Page) => ({ ...p, [field]: v }), issue }))
  const onItem = (values: ReadonlyArray<unknown>, f: (item: Page, v: unknown) => unknown, issue: (i: number) => RegExp) =>
    fc.tuple(fc.nat({ max: 2 }), fc.constantFrom(...values)).map(([i, v]): Corruption => ({
      apply: (p: Page) => ({ ...p, data: (p.data as Array<Page>).map((item, j) => j === i ? f(item, v) : item) }),
      issue: issue(i)
    }))
  const corruption: fc.Arbitrary<Corruption> = fc.oneof(
    fc.constant({ apply: ({ data: _, ...rest }: Page) => rest, issue: /^data: is missing/ }),
    fc.constant({ apply: ({ has_more: _, ...rest }: Page) => rest, issue: /^has_more: is missing/ }),
    setField("data", ["[]", 0, null, {}, "x", true], /^data: expected/),
    setField("has_more", ["true", 1, 0, null, {}, []], /^has_more: expected/),
    setField("last_id", [1, true, {}, []], /^last_id: expected/),
    onItem([1, null, "x", [], true], (_, v) => v, (i) => new RegExp(`^data\\[${i}\\]: expected`)),
    onItem([1, null, {}, [], false], (item, v) => ({ ...item, id: v }), (i) => new RegExp(`^data\\[${i}\\]\\.id: expected`)),
    fc.nat({ max: 400 }).map((cut) => ({ apply: (p: Page) => JSON.stringify(p).slice(0, cut), issue: /^body: expected JSON$/ })),
    fc.constantFrom("text/html", "text/plain; charset=utf-8", "application/xml", "application/octet-stream").map((
      contentType
    ) => ({ apply: (p: Page) => p, issue: /^content-type: expected application\/json$/, contentType }))
  )

  it.scoped.prop(
    "any corruption of a page gives ResponseDecodeError naming the field: never a defect, never a hang",
    { corruption, readAhead: fc.integer({ min: 0, max: 2 }) },
    ({ corruption, readAhead }) =>
      withClient((admin, server) =>
        Effect.gen(function*() {
          const valid = {
            object: "list",
            data: Seed.small.users.slice(0, 3),
            first_id: "user_ada",
            last_id: "user_alan",
            has_more: true
          }
          const body = corruption.apply(valid)
          const contentType = corruption.contentType === undefined ? {} : { contentType: corruption.contentType }
          yield* server.fault([{ _tag: "Body", body, ...contentType }], usersPath)
          const exit = yield* Stream.runDrain(admin.users.list({ limit: 3 })).pipe(
            Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => "hang" as const }),
            Effect.exit
          )
          expect(Exit.isFailure(exit) && Cause.isFailType(exit.cause)).toBe(true)
          const error = Option.getOrThrow(failureOf(exit)) as AdminApiError
          expect(error._tag).toBe("ResponseDecodeError")
          if (error._tag === "ResponseDecodeError") expect(error.issues[0]).toMatch(corruption.issue)
        }), { client: { readAhead } }),
    { timeout: propertyTimeout, fastCheck: fastCheck(60, 0.1) }
  )
})

// ---------------------------------------------------------------------------------------------
// bad configuration
// ---------------------------------------------------------------------------------------------

/** Builds the layer (no request is made) and returns its ConfigError, or none. */
const configErrorOf = (options: AdminApi.Options) =>
  Layer.build(AdminApi.layer(options).pipe(Layer.provide(FetchHttpClient.layer))).pipe(
    Effect.scoped,
    Effect.flip,
    Effect.option
  )

const key = Redacted.make("sk-admin-config-test-0123456789")

const invalidOptions: ReadonlyArray<readonly [string, string, Partial<Record<keyof AdminApi.Options, unknown>>]> = [
  ["missing key", "apiKey", { apiKey: undefined }],
  ["blank key", "apiKey", { apiKey: Redacted.make("   ") }],
  ["a plain-string key", "apiKey", { apiKey: "sk-plain" }],
  ["a malformed base URL", "baseUrl", { baseUrl: "not a url" }],
  ["a relative base URL", "baseUrl", { baseUrl: "/v1" }],
  ["an ftp base URL", "baseUrl", { baseUrl: "ftp://api.openai.com/v1" }],
  ["a remote http base URL", "baseUrl", { baseUrl: "http://api.openai.com/v1" }],
  ["a remote http base URL that starts like loopback", "baseUrl", { baseUrl: "http://127.0.0.1.nip.io/v1" }],
  ["a remote http base URL that ends like loopback", "baseUrl", { baseUrl: "http://localhost.example.com/v1" }],
  ["a base URL with credentials", "baseUrl", { baseUrl: "https://user:pw@api.openai.com/v1" }],
  ["a base URL with a query", "baseUrl", { baseUrl: "https://api.openai.com/v1?x=1" }],
  ["a base URL with a fragment", "baseUrl", { baseUrl: "https://api.openai.com/v1#x" }],
  ["a base URL with an empty query", "baseUrl", { baseUrl: "https://api.openai.com/v1?" }],
  ["a base URL with an empty fragment", "baseUrl", { baseUrl: "https://api.openai.com/v1#" }],
  ["a zero timeout", "timeout", { timeout: 0 }],
  ["a negative timeout", "timeout", { timeout: -5 }],
  ["a negative timeout string", "timeout", { timeout: "-5 seconds" }],
  ["an infinite timeout", "timeout", { timeout: Duration.infinity }],
  ["a NaN timeout", "timeout", { timeout: Number.NaN }],
  ["a garbage timeout", "timeout", { timeout: "soon" }],
  ["a negative read-ahead", "readAhead", { readAhead: -1 }],
  ["a fractional read-ahead", "readAhead", { readAhead: 1.5 }],
  ["a NaN read-ahead", "readAhead", { readAhead: Number.NaN }],
  ["a negative retry count", "retry", { retry: -1 }],
  ["a fractional retry count", "retry", { retry: 0.5 }],
  ["a retry that is neither", "retry", { retry: "twice" }],
  ["zero maxConcurrentRequests", "maxConcurrentRequests", { maxConcurrentRequests: 0 }],
  ["negative maxConcurrentRequests", "maxConcurrentRequests", { maxConcurrentRequests: -4 }],
  ["a zero rate limit", "rateLimit.limit", { rateLimit: { limit: 0, interval: "1 second" } }],
  ["a zero rate interval", "rateLimit.interval", { rateLimit: { limit: 5, interval: 0 } }],
  ["zero maxResponseBytes", "maxResponseBytes", { maxResponseBytes: 0 }],
  ["negative maxResponseBytes", "maxResponseBytes", { maxResponseBytes: -1 }]
]

describe("bad configuration", () => {
  it.effect("each invalid option fails the layer with a ConfigError naming it", () =>
    Effect.gen(function*() {
      for (const [label, setting, options] of invalidOptions) {
        const error = yield* configErrorOf({ apiKey: key, baseUrl: "http://127.0.0.1:1/v1", ...options } as AdminApi.Options)
        expect(Option.isSome(error), label).toBe(true)
        const e = Option.getOrThrow(error)
        expect(ConfigError.isConfigError(e), label).toBe(true)
        expect(e, label).toMatchObject({ _op: "InvalidData", path: [setting] })
        expect(String(e), label).toContain(setting)
        expect(String(e), label).not.toContain(Redacted.value(key))
      }
      expect(Option.isNone(yield* configErrorOf({ apiKey: key, baseUrl: "http://127.0.0.1:1/v1" }))).toBe(true)
    }))

  it.effect("regression: a base URL ending in an empty query or fragment ('?' or '#') was accepted, putting every path into it", () =>
    Effect.gen(function*() {
      for (const baseUrl of ["http://127.0.0.1:8080/v1?", "http://127.0.0.1:8080/v1#", "https://api.openai.com/v1/?", "https://api.openai.com/v1?#"]) {
        const error = yield* configErrorOf({ apiKey: key, baseUrl })
        expect(Option.getOrUndefined(error), baseUrl).toMatchObject({ _op: "InvalidData", path: ["baseUrl"] })
      }
    }))

  const remoteHost = fc.domain().filter((host) => host !== "localhost" && !/^127\./.test(host))
  const loopbackHost = fc.oneof(
    fc.constant("localhost"),
    fc.constant("[::1]"),
    fc.tuple(fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.nat({ max: 255 })).map(([a, b, c]) => `127.${a}.${b}.${c}`)
  )
  const tail = fc.constantFrom("", "/", "/v1", "/v1/", "/proxy/openai/v1", "?", "#", "?a=b", "/v1#top", ":8443/v1")

  it.effect.prop(
    "base URLs: https anywhere and http on loopback are accepted; remote http, queries and fragments are refused",
    { scheme: fc.constantFrom("http", "https", "HTTP", "ftp", "ws"), remote: fc.boolean(), remoteHost, loopbackHost, tail },
    ({ loopbackHost, remote, remoteHost, scheme, tail }) =>
      Effect.gen(function*() {
        const baseUrl = `${scheme}://${remote ? remoteHost : loopbackHost}${tail}`
        const error = yield* configErrorOf({ apiKey: key, baseUrl })
        const lower = scheme.toLowerCase()
        const ok = (lower === "https" || (lower === "http" && !remote)) && !tail.includes("?") && !tail.includes("#")
        if (ok) expect(Option.getOrUndefined(error), baseUrl).toBeUndefined()
        else expect(Option.getOrUndefined(error), baseUrl).toMatchObject({ _op: "InvalidData", path: ["baseUrl"] })
      }),
    { timeout: propertyTimeout, fastCheck: fastCheck(100, 0.3) }
  )

  it.effect("regression: a blank OPENAI_ADMIN_KEY was reported at OPENAI_ADMIN_KEY.OPENAI_ADMIN_KEY", () =>
    Effect.gen(function*() {
      const error = yield* Layer.build(AdminApi.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))).pipe(
        Effect.scoped,
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["OPENAI_ADMIN_KEY", " \t "]]))),
        Effect.flip
      )
      expect(error).toMatchObject({ _op: "InvalidData", path: ["OPENAI_ADMIN_KEY"], message: "must not be blank" })
    }))

  it.effect("layerConfig: a missing or blank OPENAI_ADMIN_KEY, or a remote http OPENAI_BASE_URL, fail the layer naming it", () =>
    Effect.gen(function*() {
      const build = (env: Record<string, string>) =>
        Layer.build(AdminApi.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))).pipe(
          Effect.scoped,
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
          Effect.flip
        )
      const missing = yield* build({ OPENAI_BASE_URL: "https://api.openai.com/v1" })
      expect(missing).toMatchObject({ _op: "MissingData", path: ["OPENAI_ADMIN_KEY"] })
      const blank = yield* build({ OPENAI_ADMIN_KEY: "  " })
      expect(blank).toMatchObject({ _op: "InvalidData", path: ["OPENAI_ADMIN_KEY"] })
      expect(String(blank)).toContain("at OPENAI_ADMIN_KEY:")
      const remote = yield* build({ OPENAI_ADMIN_KEY: "sk-admin-config-secret", OPENAI_BASE_URL: "http://example.com/v1" })
      expect(remote).toMatchObject({ _op: "InvalidData", path: ["baseUrl"] })
      for (const error of [missing, blank, remote]) expect(String(error)).not.toContain("sk-admin-config-secret")
      const fine = yield* Effect.either(build({ OPENAI_ADMIN_KEY: "sk-admin-config-secret", OPENAI_BASE_URL: " " }))
      expect(Either.isLeft(fine)).toBe(true) // the layer built: blank OPENAI_BASE_URL counts as unset
    }))
})

// ---------------------------------------------------------------------------------------------
// load and limits, measured at the fake server
// ---------------------------------------------------------------------------------------------

const loadSeed = Seed.generate({ users: 150, projects: 1, seed: 11 })
const loadIds = loadSeed.users.map((u) => u.id)

/** Faults for the first requests, whatever they are: transient only, retried within the budget. */
const transientFaults = (n: number): Array<FakeAdminServer.Fault> =>
  Array.from({ length: n }, (_, i): FakeAdminServer.Fault => {
    switch (i % 6) {
      case 0:
        return { _tag: "Status", status: 429, headers: { "retry-after-ms": "1" } }
      case 1:
        return { _tag: "Status", status: 503, body: "<html>upstream</html>" }
      case 2:
        return { _tag: "ResetBeforeHeaders" }
      case 3:
        return { _tag: "ResetDuringBody" }
      case 4:
        return { _tag: "Delay", millis: 3 }
      default:
        return { _tag: "Pass" }
    }
  })

describe("load", () => {
  it.scopedLive("200 concurrent streams over one layer: correct data; maxConcurrentRequests bounds the concurrency at the server", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault(transientFaults(120))
        const results = yield* Effect.forEach(
          Array.from({ length: 200 }, (_, i) => 30 + (i % 5) * 15),
          (limit) => Stream.runCollect(admin.users.list({ limit })),
          { concurrency: "unbounded" }
        )
        for (const users of results) expect(Chunk.toArray(users).map((u) => u.id)).toEqual(loadIds)
        const max = yield* server.maxInFlight
        expect(max).toBeLessThanOrEqual(6)
        expect(max).toBeGreaterThanOrEqual(2)
        expect(yield* server.inFlight).toBe(0)
      }), {
      server: { seed: loadSeed },
      // A retry budget larger than the plan's 80 failing faults: with 6 requests in flight, one request's attempts
      // can arrive 6 apart and meet the same kind of fault each time (the plan cycles through 6 kinds), so a
      // smaller budget could run out by the luck of the timing; this test is about concurrency, not the budget.
      client: { maxConcurrentRequests: 6, retry: Schedule.recurs(120), readAhead: 2 }
    }), { timeout: 60_000 })

  it.scopedLive("the permit is held for each attempt, and released while an attempt waits to retry", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        // A hangs: B cannot start while A's attempt holds the only permit.
        yield* server.fault([{ _tag: "Hang" }])
        const a = yield* Effect.fork(admin.users.retrieve("user_ada"))
        yield* server.awaitRequest(1)
        const b = yield* Effect.fork(admin.users.retrieve("user_grace"))
        yield* turns(50)
        expect(yield* server.requests).toHaveLength(1)
        yield* Fiber.interrupt(a)
        expect((yield* Fiber.join(b)).id).toBe("user_grace")
        // (the server may have seen B arrive before A's abort: measure the rest afresh)
        expect(yield* eventually(Effect.map(server.inFlight, (n) => n === 0))).toBe(true)
        yield* server.reset

        // C waits 20 s to retry a 429: meanwhile D runs.
        yield* server.fault([{ _tag: "Status", status: 429, headers: { "retry-after-ms": "20000" } }])
        const c = yield* Effect.fork(admin.users.retrieve("user_ada"))
        const first = yield* server.awaitRequest(1)
        expect(yield* eventually(first.finished)).toBe(true)
        expect((yield* admin.users.retrieve("user_alan")).id).toBe("user_alan")
        expect(c.unsafePoll()).toBeNull()
        yield* Fiber.interrupt(c)
        expect(yield* server.maxInFlight).toBe(1)
      }), { client: { maxConcurrentRequests: 1, timeout: "1 minute" } }))

  it.scopedLive("rateLimit keeps the request rate at the server within the token bucket, retries included", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const limit = 5
        const millisPerToken = 20 // 5 per 100 ms
        yield* server.fault(transientFaults(12))
        const results = yield* Effect.forEach(
          Array.from({ length: 40 }, (_, i) => loadSeed.users[i]!.id),
          (id) => admin.users.retrieve(id),
          { concurrency: "unbounded" }
        )
        expect(results.map((u) => u.id)).toEqual(loadIds.slice(0, 40))
        const times = (yield* server.requests).map((r) => r.receivedAt).sort((x, y) => x - y)
        expect(times.length).toBeGreaterThanOrEqual(40)
        // any k consecutive arrivals span at least (k - limit - 1) token intervals (one of slack for jitter)
        for (let i = 0; i < times.length; i++) {
          for (let j = i + limit + 1; j < times.length; j++) {
            const k = j - i + 1
            expect(times[j]! - times[i]!, `arrivals ${i}..${j}`).toBeGreaterThanOrEqual((k - limit - 1) * millisPerToken - 5)
          }
        }
      }), {
      server: { seed: loadSeed },
      client: { rateLimit: { limit: 5, interval: "100 millis" }, retry: Schedule.recurs(8) }
    }), { timeout: 60_000 })
})
