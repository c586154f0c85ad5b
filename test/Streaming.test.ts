import { describe, expect, it } from "@effect/vitest"
import { FetchHttpClient, HttpClient, UrlParams } from "@effect/platform"
import { Cause, Chunk, Deferred, Effect, Fiber, Layer, Logger, LogLevel, Option, Redacted, Schedule, Stream, Tracer } from "effect"
import * as AdminApi from "../src/AdminApi.js"
import * as FakeAdminServer from "../src/testing/FakeAdminServer.js"
import * as Seed from "../src/testing/Seed.js"
import { eventually, turns, withClient } from "./helpers.js"

const seed = Seed.generate({ users: 50, projects: 2, seed: 3 })
const usersPath = { path: "/v1/organization/users" }

/** Consumes a listing but holds page 1 until `gate` opens. */
const holdFirstPage = (stream: Stream.Stream<unknown, unknown>, gate: Deferred.Deferred<void>) => {
  let pages = 0
  return Stream.runForEachChunk(stream, () => (pages++ === 0 ? Deferred.await(gate) : Effect.void))
}

describe("read-ahead", () => {
  it.scoped("readAhead 1 (default): page k+1 is in flight while the consumer works on page k, and no more", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const gate = yield* Deferred.make<void>()
        const fiber = yield* Effect.fork(holdFirstPage(admin.users.list({ limit: 10 }), gate))
        yield* server.awaitRequest(2, usersPath)
        yield* turns(50)
        expect(yield* server.requests).toHaveLength(2)
        yield* Deferred.succeed(gate, undefined)
        yield* Fiber.join(fiber)
        expect(yield* server.requests).toHaveLength(5)
      }), { server: { seed } }))

  it.scoped("a page asked for ahead whose request fails is retried at once, not when the consumer gets to it", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Pass" }, { _tag: "Status", status: 500 }], usersPath)
        const gate = yield* Deferred.make<void>()
        const fiber = yield* Effect.fork(holdFirstPage(admin.users.list({ limit: 10 }), gate))
        // the consumer holds page 0; page 1's request fails, and its retry goes out meanwhile
        const retry = yield* server.awaitRequest(3, usersPath)
        const requests = yield* server.requests
        expect(requests[2]!.query.after).toEqual(requests[1]!.query.after)
        expect(yield* eventually(retry.finished)).toBe(true)
        yield* Deferred.succeed(gate, undefined)
        yield* Fiber.join(fiber)
        expect(yield* server.requests).toHaveLength(6)
      }), { server: { seed }, client: { retry: Schedule.recurs(1) } }))

  it.scoped("readAhead 2: two pages ahead", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const gate = yield* Deferred.make<void>()
        const fiber = yield* Effect.fork(holdFirstPage(admin.users.list({ limit: 10 }), gate))
        yield* server.awaitRequest(3, usersPath)
        yield* turns(50)
        expect(yield* server.requests).toHaveLength(3)
        yield* Deferred.succeed(gate, undefined)
        yield* Fiber.join(fiber)
      }), { server: { seed }, client: { readAhead: 2 } }))

  it.scoped("readAhead 0: strictly one page after another", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const gate = yield* Deferred.make<void>()
        const fiber = yield* Effect.fork(holdFirstPage(admin.users.list({ limit: 10 }), gate))
        yield* server.awaitRequest(1, usersPath)
        yield* turns(50)
        expect(yield* server.requests).toHaveLength(1)
        yield* Deferred.succeed(gate, undefined)
        yield* Fiber.join(fiber)
        expect(yield* server.requests).toHaveLength(5)
      }), { server: { seed }, client: { readAhead: 0 } }))

  it.scoped("an error on a read-ahead page arrives after the pages before it", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Pass" }, { _tag: "Pass" }, { _tag: "Status", status: 404 }])
        const seen: Array<string> = []
        const error = yield* Effect.flip(
          Stream.runForEach(admin.users.list({ limit: 10 }), (u) => Effect.sync(() => seen.push(u.id)))
        )
        expect(error._tag).toBe("NotFoundError")
        expect(seen).toEqual(seed.users.slice(0, 20).map((u) => u.id))
      }), { server: { seed }, client: { readAhead: 3 } }))
})

describe("early stop and interruption", () => {
  it.scoped("Stream.take: at most readAhead requests beyond the page holding item n, none left open", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const taken = yield* Stream.runCollect(Stream.take(admin.users.list({ limit: 10 }), 15))
        expect(Chunk.toArray(taken).map((u) => u.id)).toEqual(seed.users.slice(0, 15).map((u) => u.id))
        expect((yield* server.requests).length).toBeLessThanOrEqual(3)
        expect(yield* eventually(Effect.map(server.inFlight, (n) => n === 0))).toBe(true)
        yield* turns(50)
        expect((yield* server.requests).length).toBeLessThanOrEqual(3)
      }), { server: { seed, latency: 5 } }))

  it.scoped("interrupting a call aborts the request in flight", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Hang" }])
        const fiber = yield* Effect.fork(admin.users.retrieve("user_ada"))
        const request = yield* server.awaitRequest(1)
        yield* Fiber.interrupt(fiber)
        expect(yield* eventually(request.aborted)).toBe(true)
        expect(yield* server.inFlight).toBe(0)
        yield* turns(50)
        expect(yield* server.requests).toHaveLength(1)
      })))

  it.scoped("interrupting a stream aborts its read-ahead fetch", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Pass" }, { _tag: "Hang" }])
        const gate = yield* Deferred.make<void>()
        const fiber = yield* Effect.fork(holdFirstPage(admin.users.list({ limit: 10 }), gate))
        const second = yield* server.awaitRequest(2)
        yield* Fiber.interrupt(fiber)
        expect(yield* eventually(second.aborted)).toBe(true)
        expect(yield* server.inFlight).toBe(0)
        yield* turns(50)
        expect(yield* server.requests).toHaveLength(2)
      }), { server: { seed } }))

  it.live("interrupting during backoff starts no new request", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Status", status: 503 }])
        const fiber = yield* Effect.fork(admin.users.retrieve("user_ada"))
        yield* server.awaitRequest(1)
        yield* Fiber.interrupt(fiber)
        yield* turns(50)
        expect(yield* server.requests).toHaveLength(1)
      }), { client: { retry: Schedule.spaced("1 hour") } }).pipe(Effect.scoped))
})

interface RecordedSpan {
  readonly name: string
  readonly parent: string | undefined
  readonly attributes: Map<string, unknown>
  readonly events: Array<readonly [string, Record<string, unknown> | undefined]>
}

const recordingTracer = () => {
  const spans: Array<RecordedSpan> = []
  let id = 0
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const recorded: RecordedSpan = {
        name,
        parent: Option.isSome(parent) && parent.value._tag === "Span" ? (parent.value as Tracer.Span & { name: string }).name : undefined,
        attributes: new Map(),
        events: []
      }
      spans.push(recorded)
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: `span${++id}`,
        traceId: "trace",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes: recorded.attributes,
        links,
        sampled: true,
        kind,
        end: () => {},
        attribute: (key, value) => void recorded.attributes.set(key, value),
        event: (eventName, _time, attributes) => void recorded.events.push([eventName, attributes]),
        addLinks: () => {}
      }
      return span
    },
    context: (f) => f()
  })
  return { spans, tracer }
}

describe("reading ahead on a guessed cursor", () => {
  const users = seed.users
  const ids = (items: Iterable<{ readonly id: string }>) => Array.from(items, (u) => u.id)
  type Sent = { readonly path: string; readonly query: Record<string, ReadonlyArray<string>> }
  const afters = (requests: ReadonlyArray<Sent>) =>
    requests.filter((r) => r.path === usersPath.path).map((r) => r.query.after?.[0])
  /**
   * Page 0 by hand: the envelope's own fields first, and its last item ending with lookalike fields, so that the
   * guess read from the end of the text is `lookalike`, while the decoded page goes on after user 9.
   */
  const misleadingFirstPage = (lookalike: Record<string, unknown>) => ({
    object: "list",
    has_more: true,
    last_id: users[9]!.id,
    first_id: users[0]!.id,
    data: [...users.slice(0, 9), { ...users[9]!, note: lookalike }]
  })

  it.scoped("a wrong guess costs a request, never an item: its page is dropped and fetching starts again from the decoded cursor", () =>
    Effect.gen(function*() {
      const server = yield* FakeAdminServer.make({ seed })
      // The `after` of each request as the client starts it (the server may never see one that is dropped at once).
      const asked: Array<string | undefined> = []
      const recording = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, (client) =>
          HttpClient.tapRequest(client, (request) =>
            Effect.sync(() => {
              asked.push(Option.getOrUndefined(UrlParams.getFirst(request.urlParams, "after")))
            })))
      ).pipe(Layer.provide(FetchHttpClient.layer))
      const decoy = users[34]!.id
      yield* server.fault([{ _tag: "Body", body: misleadingFirstPage({ has_more: true, last_id: decoy }) }], usersPath)
      const listed = yield* Stream.runCollect(Stream.unwrap(Effect.map(AdminApi.AdminApi, (api) => api.users.list({ limit: 10 }))))
        .pipe(Effect.provide(AdminApi.layer({ apiKey: Redacted.make(server.apiKey), baseUrl: server.url }).pipe(Layer.provide(recording))))
      expect(ids(listed)).toEqual(ids(users))
      // Page 1 was asked for on the guess, before page 0 was decoded; then again from the decoded cursor, and on.
      const right = [undefined, ...[9, 19, 29, 39].map((i) => users[i]!.id)]
      expect(asked.slice(0, 2)).toEqual([undefined, decoy])
      expect(asked.filter((after) => right.includes(after))).toEqual(right)
      // Besides the right chain, only the wrong one: the decoy page, and at most one more from its own guess
      // (readAhead + 1 requests at most), whose pages were dropped; the server saw no more than that.
      const wrong = asked.filter((after) => !right.includes(after))
      expect(wrong[0]).toBe(decoy)
      expect(wrong.length).toBeLessThanOrEqual(2)
      const sent = afters(yield* server.requests)
      expect(sent.filter((after) => right.includes(after))).toEqual(right)
      expect(sent.filter((after) => !right.includes(after)).every((after) => wrong.includes(after))).toBe(true)
    }))

  it.scoped("a guessed cursor the server refuses: the error belongs to a dropped page and never surfaces", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Body", body: misleadingFirstPage({ has_more: true, last_id: "no-such-user" }) }], usersPath)
        const listed = yield* Stream.runCollect(admin.users.list({ limit: 10 }))
        expect(ids(listed)).toEqual(ids(users))
      }), { server: { seed } }))

  it.scoped("a guess of no more pages while the decoded page has more: fetching goes on from the decoded cursor", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Body", body: misleadingFirstPage({ has_more: false }) }], usersPath)
        const listed = yield* Stream.runCollect(admin.users.pages({ limit: 10 }))
        expect(Chunk.toReadonlyArray(listed).map((page) => page.data.length)).toEqual([10, 10, 10, 10, 10])
        expect(afters(yield* server.requests)).toEqual([undefined, ...[9, 19, 29, 39].map((i) => users[i]!.id)])
      }), { server: { seed }, client: { readAhead: 2 } }))

  it.scoped("a body with no readable cursor is not guessed at: the pages come one after another", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        // `last_id` with an escape: valid JSON, which the guess does not read
        const id = users[9]!.id
        const page = JSON.stringify(misleadingFirstPage({})).replace(`"last_id":"${id}"`, `"last_id":"\\u00${id.charCodeAt(0).toString(16)}${id.slice(1)}"`)
        expect(page).toContain("\\u00")
        yield* server.fault([{ _tag: "Body", body: page }], usersPath)
        const listed = yield* Stream.runCollect(admin.users.list({ limit: 10 }))
        expect(ids(listed)).toEqual(ids(users))
      }), { server: { seed } }))
})

describe("timeouts on the live clock (a timer, not a fiber)", () => {
  it.scopedLive("a hung attempt is aborted at the server and retried", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Hang" }])
        const user = yield* admin.users.retrieve("user_ada")
        expect(user.id).toBe("user_ada")
        const requests = yield* server.requests
        expect(requests).toHaveLength(2)
        expect(yield* requests[0]!.aborted).toBe(true)
      }), { client: { timeout: "100 millis", retry: Schedule.recurs(1) } }))

  it.scopedLive("a listing: a page asked for ahead that hangs is aborted at the server and asked for again; every item once", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        // Page 1's first request is started from page 0's response and hangs; its timer interrupts it.
        yield* server.fault([{ _tag: "Pass" }, { _tag: "Hang" }], usersPath)
        const listed = yield* Stream.runCollect(admin.users.list({ limit: 10 }))
        expect(Array.from(listed, (u) => u.id)).toEqual(seed.users.map((u) => u.id))
        const requests = (yield* server.requests).filter((r) => r.path === usersPath.path)
        expect(requests).toHaveLength(6)
        expect(yield* requests[1]!.aborted).toBe(true)
        expect(requests[2]!.query.after).toEqual(requests[1]!.query.after)
      }), { server: { seed }, client: { timeout: "200 millis", retry: Schedule.recurs(1) } }))

  it.scopedLive("a listing without retries: a page asked for ahead that hangs fails the stream with TimeoutError", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Pass" }, { _tag: "Hang" }], usersPath)
        const error = yield* Effect.flip(Stream.runCollect(admin.users.list({ limit: 10 })))
        expect(error._tag).toBe("TimeoutError")
        const requests = (yield* server.requests).filter((r) => r.path === usersPath.path)
        expect(requests).toHaveLength(2)
        yield* eventually(requests[1]!.aborted)
      }), { server: { seed }, client: { timeout: "200 millis", retry: 0 } }))

  it.scopedLive("without retries: TimeoutError naming the call and the timeout; interrupting the caller interrupts the attempt", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Hang" }])
        const error = yield* Effect.flip(admin.users.retrieve("user_ada"))
        expect(error._tag).toBe("TimeoutError")
        expect(error.message).toContain("GET /organization/users/user_ada")
        yield* server.fault([{ _tag: "Hang" }])
        const fiber = yield* Effect.fork(admin.users.retrieve("user_ada"))
        const hung = yield* server.awaitRequest(2)
        yield* Fiber.interrupt(fiber)
        yield* eventually(hung.aborted)
      }), { client: { timeout: "100 millis", retry: 0 } }))
})

describe("observability", () => {
  it.scoped("list runs in a stream span with a child span per page; calls have their own span; retries are events", () => {
    const { spans, tracer } = recordingTracer()
    return withClient((admin, server) =>
      Effect.gen(function*() {
        yield* Stream.runDrain(admin.users.list({ limit: 20 }))
        yield* server.fault([{ _tag: "Status", status: 503, headers: { "retry-after": "0", "x-request-id": "req_503" } }])
        yield* admin.users.retrieve(seed.users[0]!.id)
        const pages = spans.filter((s) => s.name === "AdminApi.users.list.page")
        expect(pages.map((s) => s.parent)).toEqual(Array(3).fill("AdminApi.users.list"))
        expect(pages.map((s) => s.attributes.get("page.index"))).toEqual([0, 1, 2])
        expect(pages.every((s) => typeof s.attributes.get("request.id") === "string")).toBe(true)
        const retrieve = spans.find((s) => s.name === "AdminApi.users.retrieve")!
        expect(retrieve.events.map(([name]) => name)).toEqual(["retry"])
        expect(retrieve.events[0]![1]).toMatchObject({ operation: "users.retrieve", attempt: 2, status: 503, delayMillis: 0 })
        const everything = JSON.stringify(spans.map((s) => [s.name, [...s.attributes], s.events]))
        expect(everything).not.toContain(server.apiKey)
      }).pipe(Effect.withTracer(tracer)), { server: { seed } })
  })

  it.scoped("each retry is a debug log line with operation, attempt, status, request id and delay; no key", () => {
    const lines: Array<{ message: unknown; annotations: Record<string, unknown> }> = []
    const logger = Logger.make(({ annotations, message }) => {
      lines.push({ message, annotations: Object.fromEntries(annotations) })
    })
    return withClient((admin, server) =>
      Effect.gen(function*() {
        yield* server.fault([{ _tag: "Status", status: 500, headers: { "retry-after-ms": "0" } }])
        yield* admin.users.retrieve("user_ada")
        expect(lines).toHaveLength(1)
        expect(lines[0]!.annotations).toMatchObject({ operation: "users.retrieve", attempt: 2, status: 500, delayMillis: 0 })
        expect(typeof lines[0]!.annotations.requestId).toBe("string")
        expect(JSON.stringify(lines)).not.toContain(server.apiKey)
      }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)), Logger.withMinimumLogLevel(LogLevel.Debug)))
  })
})

describe("the key never leaks", () => {
  it.scoped("not in any error's message, toString, JSON or Cause.pretty", () =>
    withClient((admin, server) =>
      Effect.gen(function*() {
        const key = server.apiKey
        yield* server.fault([
          { _tag: "Status", status: 401, body: `<html>Authorization: Bearer ${key}</html>` },
          { _tag: "Status", status: 500, body: { error: { message: `echo ${key}`, type: "x", code: null, param: null } } },
          { _tag: "ResetBeforeHeaders" },
          { _tag: "Malformed" }
        ])
        const errors = [
          yield* Effect.flip(admin.users.retrieve("user_ada")),
          yield* Effect.flip(admin.users.retrieve("user_ada")),
          yield* Effect.flip(admin.users.retrieve("user_ada")),
          yield* Effect.flip(admin.users.retrieve("user_ada")),
          yield* Effect.flip(admin.users.listPage({ limit: 1000 }))
        ]
        expect(errors.map((e) => e._tag)).toEqual([
          "AuthenticationError",
          "InternalServerError",
          "ConnectionError",
          "ResponseDecodeError",
          "InvalidRequestError"
        ])
        for (const error of errors) {
          for (const text of [error.message, String(error), JSON.stringify(error), Cause.pretty(Cause.fail(error))]) {
            expect(text).not.toContain(key)
          }
        }
      }), { client: { retry: 0 } }))
})
