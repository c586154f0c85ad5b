import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import { vi } from "vitest"
import { Chunk, ConfigProvider, Duration, Effect, Either, Exit, Layer, Option, Redacted, Schedule, Schema, Stream } from "effect"
import * as AdminApi from "../src/AdminApi.js"
import * as AdminApiConfig from "../src/AdminApiConfig.js"
import * as AdminApiError from "../src/AdminApiError.js"
import * as Pagination from "../src/Pagination.js"
import { encodePath, encodeQuery } from "../src/internal/encode.js"
import { formatIssue } from "../src/internal/issues.js"
import { afterPendingWork } from "../src/internal/scheduling.js"
import { parseRetryAfter, shouldRetry } from "../src/internal/request.js"
import { packageName, packageVersion } from "../src/internal/version.js"
import * as Users from "../src/resources/Users.js"
import { FetchHttpClient } from "@effect/platform"
import * as ParseResult from "effect/ParseResult"
import { readFileSync } from "node:fs"

const statusFields = {
  method: "GET",
  path: "/organization/users",
  requestId: "req_123",
  error: null,
  bodyText: null,
  retryAfter: null,
  shouldRetry: null
}

describe("encodeQuery", () => {
  it("brackets arrays once, flattens objects, drops null and undefined", () => {
    expect(encodeQuery("op", {
      emails: ["a@x.com", "b@y.com"],
      "project_ids[]": ["p1"],
      effective_at: { gte: 1, lt: 2 },
      limit: 10,
      tenant_only: false,
      after: undefined,
      before: null
    })).toEqual(Either.right([
      ["emails[]", "a@x.com"],
      ["emails[]", "b@y.com"],
      ["project_ids[]", "p1"],
      ["effective_at[gte]", "1"],
      ["effective_at[lt]", "2"],
      ["limit", "10"],
      ["tenant_only", "false"]
    ]))
  })
})

describe("encodePath", () => {
  it("encodes each id as exactly one segment", () => {
    expect(encodePath("op", "/a/{x}/b/{y}", ["p/1?#%", "ü ..x"])).toEqual(
      Either.right("/a/p%2F1%3F%23%25/b/%C3%BC%20..x")
    )
  })
  it.each(["", ".", ".."])("refuses the id %j", (id) => {
    const result = encodePath("users.retrieve", "/organization/users/{user_id}", [id])
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left._tag).toBe("InvalidRequestError")
      expect(result.left.field).toBe("user_id")
    }
  })
})

describe("parseRetryAfter", () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0)
  const parse = (h: Record<string, string>) => {
    const d = parseRetryAfter(Headers.fromInput(h), now)
    return d === null ? null : Duration.toMillis(d)
  }
  it("prefers retry-after-ms, then seconds, then an HTTP date", () => {
    expect(parse({ "retry-after-ms": "250", "retry-after": "9" })).toBe(250)
    expect(parse({ "retry-after": "7" })).toBe(7000)
    expect(parse({ "retry-after": "0" })).toBe(0)
    expect(parse({ "retry-after-ms": "0" })).toBe(0)
    expect(parse({ "retry-after": new Date(now + 12_000).toUTCString() })).toBe(12_000)
    expect(parse({ "retry-after": new Date(now - 12_000).toUTCString() })).toBe(0)
  })
  it("ignores garbage", () => {
    expect(parse({ "retry-after": "soon" })).toBe(null)
    expect(parse({ "retry-after-ms": "-5" })).toBe(null)
    expect(parse({ "retry-after": "-5" })).toBe(null)
    expect(parse({})).toBe(null)
  })
})

describe("isRetryable", () => {
  const status = (Class: typeof AdminApiError.RateLimitError | typeof AdminApiError.ApiError, s: number, extra = {}) =>
    new Class({ ...statusFields, status: s, ...extra })
  it("follows the decision order", () => {
    const quota = new AdminApiError.RateLimitError({
      ...statusFields,
      status: 429,
      error: { message: "quota", type: "insufficient_quota", code: "insufficient_quota", param: null },
      shouldRetry: true
    })
    expect(AdminApiError.isRetryable(quota)).toBe(false)
    expect(AdminApiError.isRetryable(status(AdminApiError.RateLimitError, 429))).toBe(true)
    expect(AdminApiError.isRetryable(status(AdminApiError.ApiError, 408))).toBe(true)
    expect(AdminApiError.isRetryable(status(AdminApiError.ApiError, 409))).toBe(true)
    expect(AdminApiError.isRetryable(status(AdminApiError.ApiError, 500))).toBe(true)
    expect(AdminApiError.isRetryable(status(AdminApiError.ApiError, 400))).toBe(false)
    expect(AdminApiError.isRetryable(status(AdminApiError.ApiError, 400, { shouldRetry: true }))).toBe(true)
    expect(AdminApiError.isRetryable(status(AdminApiError.ApiError, 503, { shouldRetry: false }))).toBe(false)
    expect(AdminApiError.isRetryable(new AdminApiError.ConnectionError({ method: "GET", path: "/", sent: true, reason: "x" })))
      .toBe(true)
    expect(
      AdminApiError.isRetryable(new AdminApiError.TimeoutError({ method: "GET", path: "/", timeout: Duration.seconds(1) }))
    ).toBe(true)
    expect(AdminApiError.isRetryable(new AdminApiError.ResponseDecodeError({
      method: "GET",
      path: "/",
      status: 200,
      requestId: null,
      issues: []
    }))).toBe(false)
  })
  it("retries a create only when that cannot duplicate it", () => {
    const create = shouldRetry(true)
    expect(create(status(AdminApiError.RateLimitError, 429))).toBe(true)
    expect(create(status(AdminApiError.ApiError, 500))).toBe(false)
    expect(create(status(AdminApiError.ApiError, 409))).toBe(false)
    expect(create(new AdminApiError.ConnectionError({ method: "POST", path: "/", sent: false, reason: "refused" })))
      .toBe(true)
    expect(create(new AdminApiError.ConnectionError({ method: "POST", path: "/", sent: true, reason: "reset" })))
      .toBe(false)
    expect(create(new AdminApiError.TimeoutError({ method: "POST", path: "/", timeout: Duration.seconds(1) })))
      .toBe(false)
  })
  it("does not wait out a requested wait over 60 s", () => {
    const long = status(AdminApiError.RateLimitError, 429, { retryAfter: Duration.seconds(61) })
    const ok = status(AdminApiError.RateLimitError, 429, { retryAfter: Duration.seconds(60) })
    expect(shouldRetry(false)(long)).toBe(false)
    expect(shouldRetry(false)(ok)).toBe(true)
  })
})

describe("AdminApiError", () => {
  it("reads like `404 No such project: p1 (request req_123)`", () => {
    const error = new AdminApiError.NotFoundError({
      ...statusFields,
      status: 404,
      error: { message: "No such project: p1", type: "invalid_request_error", code: null, param: null }
    })
    expect(error.message).toBe("404 No such project: p1 (request req_123)")
    expect(error._tag).toBe("NotFoundError")
    expect(AdminApiError.isAdminApiError(error)).toBe(true)
  })
})

describe("formatIssue", () => {
  it("names paths and expected types, never the received values", () => {
    const decode = ParseResult.decodeUnknownEither(Schema.Struct({ data: Schema.Array(Users.OrganizationUser) }))
    const result = decode({ data: [{ object: "organization.user", id: "u1", added_at: 1 }, { object: "organization.user", id: "SECRET-VALUE-42", added_at: "SECRET-VALUE-43" }] })
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      const lines = formatIssue(result.left)
      expect(lines).toEqual(["data[1].added_at: expected number"])
      expect(lines.join()).not.toContain("SECRET")
    }
  })
})

describe("AdminApiConfig", () => {
  const key = Redacted.make("sk-admin-unit-test-key")
  const failsOn = (options: AdminApiConfig.Options, option: string) =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(AdminApiConfig.resolve(options))
      expect(Exit.isFailure(exit)).toBe(true)
      const text = JSON.stringify(exit) + String(exit)
      expect(text).toContain(option)
      expect(text).not.toContain("sk-admin-unit-test-key")
    })
  it.effect("fills in the defaults", () =>
    Effect.gen(function*() {
      const resolved = yield* AdminApiConfig.resolve({ apiKey: key })
      expect(resolved.baseUrl).toBe("https://api.openai.com/v1")
      expect(Duration.toMillis(resolved.timeout)).toBe(60_000)
      expect(resolved.readAhead).toBe(1)
      expect(resolved.maxResponseBytes).toBe(32 * 1024 * 1024)
    }))
  it.effect("refuses invalid options, naming them", () =>
    Effect.gen(function*() {
      yield* failsOn({ apiKey: Redacted.make("  ") }, "apiKey")
      yield* failsOn({ apiKey: key, baseUrl: "not a url" }, "baseUrl")
      yield* failsOn({ apiKey: key, baseUrl: "http://api.example.com/v1" }, "baseUrl")
      yield* failsOn({ apiKey: key, baseUrl: "ftp://127.0.0.1/v1" }, "baseUrl")
      yield* failsOn({ apiKey: key, timeout: 0 }, "timeout")
      yield* failsOn({ apiKey: key, timeout: -5 }, "timeout")
      yield* failsOn({ apiKey: key, readAhead: -1 }, "readAhead")
      yield* failsOn({ apiKey: key, readAhead: 1.5 }, "readAhead")
      yield* failsOn({ apiKey: key, retry: -1 }, "retry")
      yield* failsOn({ apiKey: key, maxConcurrentRequests: 0 }, "maxConcurrentRequests")
      yield* failsOn({ apiKey: key, rateLimit: { limit: 0, interval: "1 second" } }, "rateLimit.limit")
      yield* failsOn({ apiKey: key, maxResponseBytes: 0 }, "maxResponseBytes")
    }))
  it.effect("allows plain http to loopback hosts only", () =>
    Effect.gen(function*() {
      for (const baseUrl of ["http://localhost:1/v1", "http://127.0.0.1:1/v1", "http://127.9.8.7/v1", "http://[::1]:8/v1"]) {
        const resolved = yield* AdminApiConfig.resolve({ apiKey: key, baseUrl })
        expect(resolved.baseUrl).toBe(baseUrl)
      }
      const custom = yield* AdminApiConfig.resolve({ apiKey: key, retry: Schedule.recurs(3) })
      expect(Schedule.isSchedule(custom.retry)).toBe(true)
    }))
  it.effect("layerConfig reads the environment through any ConfigProvider; blank counts as unset", () =>
    Effect.gen(function*() {
      const build = (env: Record<string, string>) =>
        AdminApi.layerConfig().pipe(
          Layer.provide(FetchHttpClient.layer),
          Layer.build,
          Effect.scoped,
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
          Effect.exit
        )
      const missing = yield* build({})
      expect(Exit.isFailure(missing)).toBe(true)
      expect(String(missing)).toContain("OPENAI_ADMIN_KEY")
      const blank = yield* build({ OPENAI_ADMIN_KEY: "   " })
      expect(Exit.isFailure(blank)).toBe(true)
      expect(String(blank)).toContain("OPENAI_ADMIN_KEY")
      const ok = yield* build({ OPENAI_ADMIN_KEY: "sk-admin-x", OPENAI_BASE_URL: " ", OPENAI_ORG_ID: "" })
      expect(Exit.isSuccess(ok)).toBe(true)
      const remote = yield* build({ OPENAI_ADMIN_KEY: "sk-admin-x", OPENAI_BASE_URL: "http://example.com/v1" })
      expect(Exit.isFailure(remote)).toBe(true)
      expect(String(remote)).toContain("baseUrl")
    }))
})

describe("package", () => {
  it("sends its own name and version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      name: string
      version: string
    }
    expect(packageName).toBe(pkg.name)
    expect(packageVersion).toBe(pkg.version)
  })
})

describe("internal/scheduling", () => {
  it("a listing's yield uses the setImmediate of load time: fake timers installed later do not stall it", async () => {
    // faked setImmediate callbacks run only when the test advances the fake clock, which this one never does
    vi.useFakeTimers({ toFake: ["setImmediate", "clearImmediate"] })
    try {
      expect(vi.getTimerCount()).toBe(0)
      await expect(Effect.runPromise(afterPendingWork)).resolves.toBeUndefined()
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  }, 5_000)
})

describe("Pagination with `fetch` only (no `start`)", () => {
  // Pages 0..3 of 2 items; the cursor of page k is `c${k}`. Page 1 guesses wrong (`c9`), page 2 guesses nothing.
  const pages = [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]]
  const guesses: Record<number, string | undefined> = { 0: "c0", 1: "c9", 2: undefined }
  const indexOf = (cursor: Option.Option<string>) => Option.isNone(cursor) ? 0 : Number(cursor.value.slice(1)) + 1

  it.effect("reads ahead on `Fetched.guess` once a page is fetched, drops a wrong guess's page, emits every item once", () =>
    Effect.gen(function*() {
      const asked: Array<string | null> = []
      const items = yield* Stream.runCollect(Pagination.items<string, never, never>({
        fetch: (cursor) =>
          Effect.sync(() => {
            asked.push(Option.getOrNull(cursor))
            const k = indexOf(cursor)
            const data = pages[k] ?? []
            const more = k < pages.length - 1
            const guess = guesses[k]
            return {
              guess: guess === undefined ? undefined : { hasMore: true, nextCursor: Option.some(guess) },
              page: Effect.succeed({ data, hasMore: more, nextCursor: more ? Option.some(`c${k}`) : Option.none() })
            }
          }),
        cursor: Option.none(),
        readAhead: 2,
        path: "/things"
      }))
      expect(Chunk.toReadonlyArray(items)).toEqual(pages.flat())
      // the right chain in order; besides it only the wrong guess (`c9`: a page past the end, dropped)
      expect(asked.filter((c) => c !== "c9")).toEqual([null, "c0", "c1", "c2"])
      expect(asked.filter((c) => c === "c9")).toEqual(["c9"])
    }))
})
