#!/usr/bin/env node
// Each client's own CPU per page, with an in-memory `fetch`: a diagnostic beside the benchmark, not part of it.
//
//   node bench/inprocess.mjs [--contender floor|sdk|platform|lib] [--pages N] [--runs N]
//
// Scenario A of bench/run.mjs shares two cores between the client, its GC threads and the server process, and moves
// by ±5–20 % from run to run on a busy machine. Here there is no server and no socket: the pages of bench/users.mjs
// are made once, as bytes, and served by a `fetch` function that each client is given (the SDK's `fetch` option,
// `FetchHttpClient.Fetch` for the Effect ones). What is left is each client's own work per page (building the
// request, reading the body, parsing, decoding, its runtime, its garbage), which moves by a few percent. The
// listing runs once to warm up, then `--runs` times; the fastest and the median run are printed, wall and CPU, in
// µs per page. Compare contenders run alternately, each in a fresh process, e.g.:
//
//   for i in 1 2 3; do for c in floor sdk platform lib; do node bench/inprocess.mjs --contender $c; done; done
//
// Reading ahead gains nothing here (a response is there at once): this measures cost, not overlap.
import { arg } from "./args.mjs"
import { expectedChecksum, makePage, userIndex } from "./users.mjs"

const contender = arg("contender", "lib")
const pageCount = Number(arg("pages", "1000"))
const runs = Number(arg("runs", "10"))
const limit = 100
const key = "sk-admin-bench"
const baseUrl = "http://127.0.0.1:9/v1" // never connected to
const firstUrl = `${baseUrl}/organization/users?limit=${limit}`
const nextUrl = (lastId) => `${firstUrl}&after=${encodeURIComponent(lastId)}`

const encoder = new TextEncoder()
const pages = Array.from({ length: pageCount }, (_, p) =>
  encoder.encode(JSON.stringify(makePage(p * limit, limit, pageCount * limit))))

/** The page a URL asks for, as a fresh `Response` (what `fetch` resolves to). */
const fetchPage = async (input) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url
  const after = new URL(url).searchParams.get("after")
  const bytes = pages[after === null ? 0 : (userIndex(after) + 1) / limit]
  return new Response(bytes, {
    headers: { "content-type": "application/json", "content-length": String(bytes.length), "x-request-id": "req_bench" }
  })
}

/** Each contender resolves to a listing run, which resolves to the sum of `added_at` (the checksum). */
const contenders = {
  /** fetch + JSON.parse, following `last_id`, validating nothing. */
  floor: async () => async () => {
    let checksum = 0
    for (let url = firstUrl; url !== undefined;) {
      const body = JSON.parse(await (await fetchPage(url, { headers: { authorization: `Bearer ${key}` } })).text())
      for (const user of body.data) checksum += user.added_at
      url = body.has_more ? nextUrl(body.last_id) : undefined
    }
    return checksum
  },
  /** The official SDK, `for await` over the users. */
  sdk: async () => {
    const { default: OpenAI } = await import("openai")
    const client = new OpenAI({ adminAPIKey: key, baseURL: baseUrl, fetch: fetchPage })
    return async () => {
      let checksum = 0
      for await (const user of client.admin.organization.users.list({ limit })) checksum += user.added_at
      return checksum
    }
  },
  /** The floor's loop on Effect and `FetchHttpClient` (bench/contender.mjs's reference). */
  platform: async () => {
    const { FetchHttpClient, HttpClient, HttpClientRequest } = await import("@effect/platform")
    const { Effect, Layer, ManagedRuntime } = await import("effect")
    const runtime = ManagedRuntime.make(
      FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, fetchPage)))
    )
    const client = (await runtime.runPromise(HttpClient.HttpClient)).pipe(HttpClient.withTracerDisabledWhen(() => true))
    const headers = { authorization: `Bearer ${key}` }
    return () =>
      runtime.runPromise(Effect.gen(function*() {
        let checksum = 0
        for (let url = firstUrl; url !== undefined;) {
          const response = yield* client.execute(HttpClientRequest.get(url, { headers }))
          const body = JSON.parse(yield* response.text)
          for (const user of body.data) checksum += user.added_at
          url = body.has_more ? nextUrl(body.last_id) : undefined
        }
        return checksum
      }))
  },
  /** This library, `admin.users.list` with its defaults. */
  lib: async () => {
    const { AdminApi } = await import("effect-openai-admin")
    const { FetchHttpClient } = await import("@effect/platform")
    const { Chunk, Effect, Layer, ManagedRuntime, Redacted, Stream } = await import("effect")
    const runtime = ManagedRuntime.make(
      AdminApi.layer({ apiKey: Redacted.make(key), baseUrl }).pipe(
        Layer.provide(FetchHttpClient.layer),
        Layer.provide(Layer.succeed(FetchHttpClient.Fetch, fetchPage))
      )
    )
    const admin = await runtime.runPromise(AdminApi.AdminApi)
    return () => {
      let checksum = 0
      return runtime.runPromise(Stream.runForEachChunk(admin.users.list({ limit }), (chunk) => {
        for (const user of Chunk.toReadonlyArray(chunk)) checksum += user.added_at
        return Effect.void
      })).then(() => checksum)
    }
  }
}

const make = contenders[contender]
if (make === undefined) throw new Error(`unknown contender: ${contender}`)
if (!(Number.isInteger(pageCount) && pageCount > 0 && Number.isInteger(runs) && runs > 0)) {
  throw new Error("--pages and --runs must be positive integers")
}
const run = await make()
const expected = expectedChecksum(pageCount * limit)
const times = []
for (let i = 0; i <= runs; i++) {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const checksum = await run()
  const wall = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  if (checksum !== expected) throw new Error(`wrong checksum: ${checksum} (expected ${expected})`)
  if (i > 0) times.push({ wall: (wall * 1000) / pageCount, cpu: (cpu.user + cpu.system) / pageCount })
}
const stat = (key) => {
  const sorted = times.map((t) => t[key]).sort((a, b) => a - b)
  return `min ${sorted[0].toFixed(0)} median ${sorted[(sorted.length - 1) >> 1].toFixed(0)}`
}
console.log(`${contender.padEnd(8)} µs per page (${pageCount} pages of ${limit}, ${runs} runs): ` +
  `wall ${stat("wall")}; cpu ${stat("cpu")}`)
