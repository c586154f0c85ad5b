#!/usr/bin/env node
// Fake OpenAI Admin API for the benchmarks, meant to run in its own child process.
//
//   node bench/server.mjs [--users N] [--latency MS] [--key KEY] [--max-seconds S]
//
// Listens on 127.0.0.1 on a free port and prints `{"port":P}` on stdout once ready.
// Serves `GET /v1/organization/users?limit=&after=` with the cursor envelope
// `{object:"list", data, first_id, last_id, has_more}`; the users are generated on the
// fly from their index (bench/users.mjs), never stored. Every response waits `--latency`
// ms first. Requires `Authorization: Bearer <key>`.
//
// Stops by itself: when its stdin closes (the parent exited or closed the pipe), on
// SIGTERM/SIGINT, and in any case after `--max-seconds` (default 1200).
import http from "node:http"
import { setTimeout as sleep } from "node:timers/promises"
import { arg } from "./args.mjs"
import { makePage, userIndex } from "./users.mjs"

const total = Number(arg("users", "100000"))
const latency = Number(arg("latency", "0"))
const key = arg("key", "sk-admin-bench")
const maxSeconds = Number(arg("max-seconds", "1200"))

const json = (res, status, body) => {
  const text = typeof body === "string" ? body : JSON.stringify(body)
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-request-id": "req_bench"
  })
  res.end(text)
}
const error = (res, status, message, type, code = null) =>
  json(res, status, { error: { message, type, param: null, code } })

let requests = 0
const server = http.createServer(async (req, res) => {
  requests++
  const url = new URL(req.url ?? "/", "http://127.0.0.1")
  if (req.headers.authorization !== "Bearer " + key) {
    return error(res, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
  }
  if (req.method !== "GET" || url.pathname !== "/v1/organization/users") {
    return error(res, 404, "Not found: " + req.method + " " + url.pathname, "invalid_request_error")
  }
  const limitParam = url.searchParams.get("limit")
  const limit = limitParam === null ? 20 : Number(limitParam)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return error(res, 400, "Invalid limit: " + limitParam, "invalid_request_error")
  }
  const after = url.searchParams.get("after")
  let start = 0
  if (after !== null) {
    const index = userIndex(after)
    if (index < 0) return error(res, 400, "Invalid cursor: " + after, "invalid_request_error")
    start = index + 1
  }
  const body = JSON.stringify(makePage(start, limit, total))
  if (latency > 0) await sleep(latency)
  json(res, 200, body)
})
server.keepAliveTimeout = 30_000

// Warm the generator up so that the first contender does not pay for the server's JIT.
for (let p = 0; p < 300; p++) JSON.stringify(makePage(p * 100, 100, Number.MAX_SAFE_INTEGER))

const stop = () => {
  server.close()
  server.closeAllConnections?.()
  process.exit(0)
}
process.on("SIGTERM", stop)
process.on("SIGINT", stop)
process.stdin.on("end", stop)
process.stdin.on("error", stop)
process.stdin.resume()
setTimeout(stop, maxSeconds * 1000).unref()

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address()
  process.stdout.write(JSON.stringify({ port, users: total, latency, pid: process.pid }) + "\n")
})
