import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Layer, Redacted, Schedule, Stream } from "effect"
import * as AdminApi from "../src/AdminApi.js"
import * as Body from "../src/internal/body.js"
import * as FakeAdminServer from "../src/testing/FakeAdminServer.js"
import * as Seed from "../src/testing/Seed.js"
import { eventually, turns } from "./helpers.js"

const orgSeed = Seed.generate({ users: 25, projects: 2, seed: 11 })

/** A response of another kind of client: the same response, with nothing that reaches its web `Response`. */
const opaque = (response: HttpClientResponse.HttpClientResponse): HttpClientResponse.HttpClientResponse =>
  new Proxy(response, {
    get: (target, key) =>
      key === "source" || key === "original" || key === "applyInterrupt" ? undefined : Reflect.get(target, key, target)
  })

/** `FetchHttpClient`, its responses made opaque. */
const opaqueClientLayer = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(HttpClient.HttpClient, (client) => HttpClient.transformResponse(client, Effect.map(opaque)))
).pipe(Layer.provide(FetchHttpClient.layer))

const get = (server: FakeAdminServer.FakeAdminServer, path: string) =>
  Effect.flatMap(HttpClient.HttpClient, (client) =>
    client.execute(
      HttpClientRequest.get(server.url + path, { headers: { authorization: `Bearer ${server.apiKey}` } })
    ))

const text = (bytes: ArrayBuffer) => new TextDecoder().decode(bytes)

describe("internal/body", () => {
  // FetchHttpClient's responses are read from their web Response ("direct"); any other through the platform's
  // arrayBuffer ("platform").
  for (const [name, layer] of [["direct", FetchHttpClient.layer], ["platform", opaqueClientLayer]] as const) {
    it.scoped(`${name}: the bytes are the body`, () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make({ seed: orgSeed })
        const response = yield* get(server, "/organization/users?limit=3")
        expect(Body.readPath(response)).toBe(name)
        const body = JSON.parse(text(yield* Body.bytes(response)))
        expect(body.data.map((u: { id: string }) => u.id)).toEqual(orgSeed.users.slice(0, 3).map((u) => u.id))
      }).pipe(Effect.provide(layer)))

    it.scoped(`${name}: a connection reset during the body fails the read with the transport's cause`, () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make({ seed: orgSeed })
        yield* server.fault([{ _tag: "ResetDuringBody" }])
        const response = yield* get(server, "/organization/users")
        expect(Body.readPath(response)).toBe(name)
        const error = yield* Effect.flip(Body.bytes(response))
        expect(error.cause).toBeDefined()
      }).pipe(Effect.provide(layer)))

    it.scopedLive(`${name}: interrupting a read that waits for the rest of the body aborts the request`, () =>
      Effect.gen(function*() {
        const server = yield* FakeAdminServer.make({ seed: orgSeed })
        yield* server.fault([{ _tag: "HangDuringBody" }])
        const response = yield* get(server, "/organization/users")
        const reading = yield* Effect.fork(Body.bytes(response))
        yield* turns(2) // the read has started, and waits
        const [request] = yield* server.requests
        expect(yield* request!.aborted).toBe(false)
        expect(reading.unsafePoll()).toBeNull()
        yield* Fiber.interrupt(reading)
        expect(yield* eventually(request!.aborted)).toBe(true)
      }).pipe(Effect.provide(layer)))
  }

  it.scoped("a listing through a client whose responses are opaque: every user once, and a reset page retried", () =>
    Effect.gen(function*() {
      const server = yield* FakeAdminServer.make({ seed: orgSeed })
      yield* server.fault([{ _tag: "Pass" }, { _tag: "ResetDuringBody" }])
      const admin = yield* Effect.provide(
        AdminApi.AdminApi,
        AdminApi.layer({ apiKey: Redacted.make(server.apiKey), baseUrl: server.url, retry: Schedule.recurs(2) }).pipe(
          Layer.provide(opaqueClientLayer)
        )
      )
      const users = yield* Stream.runCollect(admin.users.list({ limit: 10 }))
      expect(Chunk.toArray(users).map((u) => u.id)).toEqual(orgSeed.users.map((u) => u.id))
      expect((yield* server.requests).length).toBe(4) // 3 pages, one of them twice
    }))
})
