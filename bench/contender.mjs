#!/usr/bin/env node
// Runs ONE contender for ONE scenario in this (fresh) process against an already running
// bench/server.mjs, and prints one JSON result line on stdout.
//
//   node [--expose-gc] bench/contender.mjs --contender floor|sdk|lib --scenario A|B|C
//        --port P --users N [--limit 100] [--work MS] [--sample-every N] [--key KEY]
//
// Every contender reads every user (summing `added_at`, checked against the expected
// checksum), spends `--work` ms per page (scenario B), and, with `--sample-every`, records
// the heap after `gc()` every N items (scenario C).
import { setTimeout as sleep } from "node:timers/promises"
import { arg } from "./args.mjs"
import { expectedChecksum } from "./users.mjs"

const contender = arg("contender")
const scenario = arg("scenario", "?")
const port = Number(arg("port"))
const users = Number(arg("users"))
const limit = Number(arg("limit", "100"))
const work = Number(arg("work", "0"))
const sampleEvery = Number(arg("sample-every", "0"))
const key = arg("key", "sk-admin-bench")
const baseUrl = `http://127.0.0.1:${port}/v1`

// ---------------------------------------------------------------------------------------
// Heap sampling (scenario C): heapUsed after a full gc, every `sampleEvery` items.
// ---------------------------------------------------------------------------------------
const samples = []
let nextSample = 0
const sampleHeap = (items) => {
  if (sampleEvery <= 0) return
  while (items >= nextSample) {
    globalThis.gc()
    samples.push([items, process.memoryUsage().heapUsed])
    nextSample += sampleEvery
  }
}
if (sampleEvery > 0 && typeof globalThis.gc !== "function") {
  throw new Error("--sample-every needs node --expose-gc")
}

// ---------------------------------------------------------------------------------------
// The contenders. Each one sets up (imports, client: not timed) and resolves to the timed
// run, which resolves to { items, pages, checksum }.
// ---------------------------------------------------------------------------------------

/** 1. The floor: fetch + JSON.parse following `last_id`, validating nothing. */
const floor = async () => async () => {
  const headers = { authorization: `Bearer ${key}` }
  let items = 0
  let pages = 0
  let checksum = 0
  let url = `${baseUrl}/organization/users?limit=${limit}`
  sampleHeap(0)
  for (;;) {
    const res = await fetch(url, { headers })
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`)
    const body = JSON.parse(await res.text())
    const data = body.data
    for (let i = 0; i < data.length; i++) checksum += data[i].added_at
    items += data.length
    pages++
    sampleHeap(items)
    if (work > 0) await sleep(work)
    if (!body.has_more) break
    url = `${baseUrl}/organization/users?limit=${limit}&after=${encodeURIComponent(body.last_id)}`
  }
  return { items, pages, checksum }
}

/** 2. The official `openai` SDK: `for await` over `client.admin.organization.users.list`. */
const sdk = async () => {
  const { default: OpenAI } = await import("openai")
  const client = new OpenAI({ adminAPIKey: key, baseURL: baseUrl })
  return () => sdkRun(client)
}
const sdkRun = async (client) => {
  let items = 0
  let checksum = 0
  sampleHeap(0)
  for await (const user of client.admin.organization.users.list({ limit })) {
    checksum += user.added_at
    items++
    if (items % limit === 0) {
      // end of a page: the same per-page work as the others
      sampleHeap(items)
      if (work > 0) await sleep(work)
    }
  }
  if (items % limit !== 0) sampleHeap(items)
  return { items, pages: Math.ceil(items / limit), checksum }
}

/** 3. This library: `admin.users.list(...)` with its defaults and `FetchHttpClient`. */
const lib = async () => {
  const { AdminApi } = await import("effect-openai-admin")
  const { FetchHttpClient } = await import("@effect/platform")
  const { Chunk, Effect, Layer, ManagedRuntime, Redacted, Stream } = await import("effect")
  const layer = AdminApi.layer({ apiKey: Redacted.make(key), baseUrl }).pipe(Layer.provide(FetchHttpClient.layer))
  // building the layer is set-up, like constructing the SDK's client: not timed
  const runtime = ManagedRuntime.make(layer)
  await runtime.runtime()
  const perPageWork = Effect.sleep(`${work} millis`)
  return async () => {
    let items = 0
    let pages = 0
    let checksum = 0
    const program = Effect.gen(function* () {
      const admin = yield* AdminApi.AdminApi
      sampleHeap(0)
      yield* admin.users.list({ limit }).pipe(
        Stream.runForEachChunk((chunk) => {
          const data = Chunk.toReadonlyArray(chunk)
          for (let i = 0; i < data.length; i++) checksum += data[i].added_at
          items += data.length
          pages++
          sampleHeap(items)
          return work > 0 ? perPageWork : Effect.void
        })
      )
    })
    await runtime.runPromise(program)
    await runtime.dispose()
    return { items, pages, checksum }
  }
}

/**
 * A reference, not a contender: the floor's loop written with Effect and `@effect/platform`'s `FetchHttpClient`
 * (the transport the library is measured with), validating nothing. What any library on this stack pays before
 * doing anything of its own.
 */
const platform = async () => {
  const { FetchHttpClient, HttpClient, HttpClientRequest } = await import("@effect/platform")
  const { Effect, ManagedRuntime } = await import("effect")
  const runtime = ManagedRuntime.make(FetchHttpClient.layer)
  await runtime.runtime()
  const perPageWork = Effect.sleep(`${work} millis`)
  return async () => {
    let items = 0
    let pages = 0
    let checksum = 0
    const program = Effect.gen(function* () {
      const client = (yield* HttpClient.HttpClient).pipe(HttpClient.withTracerDisabledWhen(() => true))
      const headers = { authorization: `Bearer ${key}` }
      let url = `${baseUrl}/organization/users?limit=${limit}`
      sampleHeap(0)
      for (;;) {
        const response = yield* client.execute(HttpClientRequest.get(url, { headers }))
        const body = JSON.parse(yield* response.text)
        const data = body.data
        for (let i = 0; i < data.length; i++) checksum += data[i].added_at
        items += data.length
        pages++
        sampleHeap(items)
        if (work > 0) yield* perPageWork
        if (!body.has_more) break
        url = `${baseUrl}/organization/users?limit=${limit}&after=${encodeURIComponent(body.last_id)}`
      }
    })
    await runtime.runPromise(program)
    await runtime.dispose()
    return { items, pages, checksum }
  }
}

const contenders = { floor, sdk, platform, lib }

const main = async () => {
  const run = contenders[contender]
  if (!run) throw new Error(`unknown contender: ${contender}`)
  if (!Number.isInteger(port) || port <= 0) throw new Error("--port is required")
  const timed = await run()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const { items, pages, checksum } = await timed()
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const expected = expectedChecksum(users)
  if (items !== users || checksum !== expected) {
    throw new Error(`wrong result: ${items} items (expected ${users}), checksum ${checksum} (expected ${expected})`)
  }
  const result = {
    scenario,
    contender,
    users,
    limit,
    work,
    items,
    pages,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    usPerItem: (wallMs * 1000) / items,
    heapSamples: sampleEvery > 0 ? samples : undefined,
    node: process.version
  }
  process.stdout.write(JSON.stringify(result) + "\n")
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stdout.write(JSON.stringify({ scenario, contender, error: String(error?.stack ?? error) }) + "\n")
    process.exit(1)
  }
)
