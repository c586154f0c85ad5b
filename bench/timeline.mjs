#!/usr/bin/env node
// Where the time of a listing goes, page by page: a diagnostic beside the benchmark, not part of it.
//
//   node bench/timeline.mjs [--contender lib|floor] [--users N] [--latency MS] [--work MS] [--read-ahead N]
//
// Starts bench/server.mjs in its own child process (as bench/run.mjs does), then streams the users in THIS
// process with `fetch`, the body reads (`Response.text`, `Response.arrayBuffer`) and `JSON.parse` wrapped to record
// when each happens, and prints how long each step between two events took (median, 90th percentile, total over the
// pages). The events:
//
//   send     fetch() called (the request starts)      wire     its head written to the socket (undici's
//   hdr      its response's headers arrived                    `sendHeaders` diagnostics channel)
//   read     the body read asked for                  body     the whole body arrived (the read resolved)
//   parse    JSON.parse of a page started             parsed   JSON.parse done
//   chunk    the consumer got the page's items
//
// A reading-ahead client shows `send` right after `body`, and `wire` before `parse` (the next request is on the wire
// before the page is parsed); a step whose total is far above its median has stalls (GC, a busy thread when a
// response arrives). The wrapping costs a little: compare contenders with the numbers of bench/run.mjs, and steps
// with this. The steps are those of a second run in the process; the first (printed too) also pays for compiling the
// code it runs.
import { spawn } from "node:child_process"
import * as diagnostics from "node:diagnostics_channel"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { arg } from "./args.mjs"

const here = path.dirname(fileURLToPath(import.meta.url))
const contender = arg("contender", "lib")
const users = Number(arg("users", "20000"))
const latency = Number(arg("latency", "0"))
const work = Number(arg("work", "0"))
const readAhead = Number(arg("read-ahead", "1"))
const key = "sk-admin-bench"
const limit = 100

const server = await new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [path.join(here, "server.mjs"), "--users", String(users), "--latency",
    String(latency), "--key", key, "--max-seconds", "600"], { stdio: ["pipe", "pipe", "inherit"] })
  child.on("error", reject)
  child.stdout.once("data", (d) => resolve({ port: JSON.parse(String(d)).port, stop: () => child.kill() }))
})
const baseUrl = `http://127.0.0.1:${server.port}/v1`

const events = []
const now = () => performance.now()
const record = (name) => events.push([name, now()])
diagnostics.subscribe("undici:client:sendHeaders", () => record("wire"))
const fetch0 = globalThis.fetch
globalThis.fetch = (url, init) => {
  record("send")
  return fetch0(url, init).then((response) => {
    record("hdr")
    return response
  })
}
for (const name of ["text", "arrayBuffer"]) {
  const read0 = Response.prototype[name]
  Response.prototype[name] = function() {
    record("read")
    return read0.call(this).then((body) => {
      record("body")
      return body
    })
  }
}
const parse0 = JSON.parse
JSON.parse = function(text, reviver) {
  if (typeof text !== "string" || text.length < 10_000) return parse0(text, reviver)
  record("parse")
  const value = parse0(text, reviver)
  record("parsed")
  return value
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const floor = async () => {
  let url = `${baseUrl}/organization/users?limit=${limit}`
  for (;;) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } })
    const body = JSON.parse(await response.text())
    record("chunk")
    if (work > 0) await sleep(work)
    if (!body.has_more) return
    url = `${baseUrl}/organization/users?limit=${limit}&after=${encodeURIComponent(body.last_id)}`
  }
}

const lib = async () => {
  const { AdminApi } = await import("effect-openai-admin")
  const { FetchHttpClient } = await import("@effect/platform")
  const { Effect, Layer, ManagedRuntime, Redacted, Stream } = await import("effect")
  const runtime = ManagedRuntime.make(
    AdminApi.layer({ apiKey: Redacted.make(key), baseUrl, readAhead }).pipe(Layer.provide(FetchHttpClient.layer))
  )
  await runtime.runtime()
  const perPage = work > 0 ? Effect.sleep(`${work} millis`) : Effect.void
  return () =>
    runtime.runPromise(Effect.flatMap(AdminApi.AdminApi, (admin) =>
      admin.users.list({ limit }).pipe(
        Stream.runForEachChunk(() => Effect.zipRight(Effect.sync(() => record("chunk")), perPage))
      )))
}

const run = contender === "floor" ? floor : await lib()
try {
  const cold = now()
  await run() // warm-up: the first run in a process also pays for compiling the code it runs
  const warmUp = now() - cold
  events.length = 0
  const t0 = now()
  await run()
  const total = now() - t0
  const steps = new Map()
  for (let i = 1; i < events.length; i++) {
    const step = `${events[i - 1][0]} → ${events[i][0]}`
    if (!steps.has(step)) steps.set(step, [])
    steps.get(step).push(events[i][1] - events[i - 1][1])
  }
  const pages = events.filter(([name]) => name === "chunk").length
  console.log(`${contender}: ${pages} pages in ${total.toFixed(0)} ms (${(total / pages).toFixed(3)} ms per page); ` +
    `latency ${latency} ms, work ${work} ms${contender === "lib" ? `, readAhead ${readAhead}` : ""}; ` +
    `the first run, in a fresh process: ${warmUp.toFixed(0)} ms`)
  console.log("step".padEnd(18), "count".padStart(6), "median".padStart(8), "p90".padStart(8), "total (ms)".padStart(11))
  for (const [step, times] of [...steps].sort((a, b) => b[1].length - a[1].length)) {
    const sorted = [...times].sort((a, b) => a - b)
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]
    const sum = times.reduce((a, b) => a + b, 0)
    console.log(step.padEnd(18), String(times.length).padStart(6), at(0.5).toFixed(3).padStart(8),
      at(0.9).toFixed(3).padStart(8), sum.toFixed(0).padStart(11))
  }
} finally {
  server.stop()
}
