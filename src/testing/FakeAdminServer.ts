/**
 * A fake OpenAI Admin API: a real HTTP server on `127.0.0.1` (random port) that serves the
 * organization endpoints from seed data, records every request, and injects faults (error
 * statuses, odd bodies, connection resets, hangs, delays, malformed JSON) on demand.
 *
 * Served (below `/v1`, JSON, every response with `x-request-id: req_<index>`):
 * - `GET /organization/users` (`limit` 1..100, `after`, `emails[]` / `emails`),
 *   `GET|POST|DELETE /organization/users/{user_id}`;
 * - `GET|POST /organization/projects` (`include_archived`), `GET|POST /organization/projects/{id}`,
 *   `POST /organization/projects/{id}/archive`;
 * - `GET|POST /organization/projects/{id}/users`, `GET|POST|DELETE /organization/projects/{id}/users/{user_id}`;
 * - `GET|POST /organization/projects/{id}/service_accounts`,
 *   `GET|DELETE /organization/projects/{id}/service_accounts/{service_account_id}`;
 * - `GET /organization/groups` (`next` cursors, `limit` 0..1000, `order`), `GET /organization/groups/{id}`;
 * - `GET /organization/usage/completions` and `GET /organization/costs` (`start_time`, `end_time`,
 *   `bucket_width`, `limit`, `page`).
 *
 * A request without `Authorization: Bearer <apiKey>` gets 401, an unknown route or id 404, a bad
 * parameter 400 (with `param`), a duplicate project member 409. A request is recorded (and
 * `awaitRequest` latches fire) once its headers and body have been received; then the first
 * queued fault matching it, if any, replaces normal handling.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as FiberSet from "effect/FiberSet"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import type * as Net from "node:net"
import * as Router from "./internal/router.js"
import * as Store from "./internal/store.js"
import * as Seed from "./Seed.js"

// ---------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------

/**
 * A running fake server.
 *
 * @since 0.1.0
 * @category models
 */
export interface FakeAdminServer {
  /** Base URL including the version prefix: `http://127.0.0.1:<port>/v1`. */
  readonly url: string
  /** The bearer key the server accepts. */
  readonly apiKey: string
  /** Every request received so far (since start or the last `reset`), in arrival order. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /**
   * Completes as soon as the `n`-th (1-based) request matching `match` has arrived (headers and
   * body received, before any response is written). Counts requests since the last `reset`,
   * including those that arrived before the call.
   */
  readonly awaitRequest: (n: number, match?: RouteMatch) => Effect.Effect<RecordedRequest>
  /**
   * Queues faults: each of the next requests matching `match` takes the next fault, in order;
   * afterwards normal service resumes. Queues from several calls are consumed in call order.
   */
  readonly fault: (faults: ReadonlyArray<Fault>, match?: RouteMatch) => Effect.Effect<void>
  /** Requests received whose response has not finished and whose connection is still open. */
  readonly inFlight: Effect.Effect<number>
  /** The largest `inFlight` observed since start or the last `reset` (to check a client's concurrency bound). */
  readonly maxInFlight: Effect.Effect<number>
  /** Every secret the server has generated (service account API key values), in order; kept across `reset`. */
  readonly mintedSecrets: Effect.Effect<ReadonlyArray<string>>
  /** Clears the request log (indexes restart at 1) and pending faults, and restores the seed data. */
  readonly reset: Effect.Effect<void>
}

/**
 * Alias of `FakeAdminServer`, the service interface.
 *
 * @since 0.1.0
 * @category models
 */
export type Service = FakeAdminServer

/**
 * Selects requests. `path` is matched against the raw pathname (e.g.
 * `"/v1/organization/users"`): a string must be equal, a RegExp must match. `method` is compared
 * case-insensitively. An empty match selects every request.
 *
 * @since 0.1.0
 * @category models
 */
export interface RouteMatch {
  readonly method?: string
  readonly path?: string | RegExp
}

/**
 * A request as the server received it.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  /** 1-based arrival order over all requests. */
  readonly index: number
  readonly method: string
  /** Raw pathname as received (still percent-encoded). */
  readonly path: string
  /** Decoded path segments, after splitting the raw path on `/` (so an encoded `/` stays in its segment). */
  readonly segments: ReadonlyArray<string>
  /** Decoded query multi-map, keys as sent (e.g. `"emails[]"`). */
  readonly query: Readonly<Record<string, ReadonlyArray<string>>>
  /** The raw query string, without the `?`. */
  readonly rawQuery: string
  /** Headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  /** The parsed JSON body, or the raw text if not JSON, or undefined when empty. */
  readonly body: unknown
  /** True once the client closed the connection before the response finished. */
  readonly aborted: Effect.Effect<boolean>
  /** True once the response was fully written. */
  readonly finished: Effect.Effect<boolean>
  /** When it arrived, in milliseconds of `performance.now()` (real time, to check a client's rate bound). */
  readonly receivedAt: number
  /** Body bytes written so far by a `Huge` fault (0 for every other response). */
  readonly bytesWritten: Effect.Effect<number>
}

/**
 * A fault to inject instead of (or before) the normal response.
 *
 * - `Status`: an error status; `body` object → JSON, string → sent raw as `text/html`
 *   (override with a `content-type` header); default body is an OpenAI error object.
 * - `Body`: an arbitrary (default 200) body; object → JSON, string → raw with `contentType`
 *   (default `application/json`).
 * - `ResetBeforeHeaders`: destroys the socket without writing anything.
 * - `ResetDuringBody`: writes status 200, headers (with the full `content-length`) and part of
 *   the real body, then destroys the socket.
 * - `Hang`: never responds; the connection stays open until the client gives up.
 * - `HangDuringBody`: writes status 200, headers (with the full `content-length`) and part of the
 *   real body, then stalls until the client gives up.
 * - `Huge`: status `status` (default 200), `application/json`, and a body of `bytes` bytes (a JSON
 *   list whose item carries a long string) written as fast as the client reads it, until done or
 *   the client gives up; with `contentLength: false` it is sent chunked, without a length.
 * - `Delay`: waits `millis` (real time), then serves normally.
 * - `Malformed`: 200, `application/json`, a complete but invalid JSON body.
 * - `Pass`: serves normally.
 *
 * @since 0.1.0
 * @category models
 */
export type Fault =
  | {
    readonly _tag: "Status"
    readonly status: number
    readonly body?: unknown
    readonly headers?: Readonly<Record<string, string>>
  }
  | {
    readonly _tag: "Body"
    readonly body: unknown
    readonly status?: number
    readonly headers?: Readonly<Record<string, string>>
    readonly contentType?: string
  }
  | { readonly _tag: "ResetBeforeHeaders" }
  | { readonly _tag: "ResetDuringBody" }
  | { readonly _tag: "Hang" }
  | { readonly _tag: "HangDuringBody" }
  | { readonly _tag: "Huge"; readonly bytes: number; readonly status?: number; readonly contentLength?: boolean }
  | { readonly _tag: "Delay"; readonly millis: number }
  | { readonly _tag: "Malformed" }
  | { readonly _tag: "Pass" }

/**
 * Options of `make` and `layer`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The accepted bearer key (default `"sk-admin-fake-0123456789"`). */
  readonly apiKey?: string
  /** Initial data (default `Seed.small`). */
  readonly seed?: Seed.Seed
  /**
   * When set, organization users are `Seed.generatedUser(0)` … `Seed.generatedUser(userCount - 1)`,
   * generated on demand and never materialised (the seed's `users` are ignored); paging is O(page).
   */
  readonly userCount?: number
  /** Real milliseconds to wait before every normal response (default 0). */
  readonly latency?: number
}

/**
 * The default accepted admin key.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiKey = "sk-admin-fake-0123456789"

/**
 * The service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export const FakeAdminServer: Context.Tag<FakeAdminServer, FakeAdminServer> = Context.GenericTag<FakeAdminServer>(
  "effect-openai-admin/testing/FakeAdminServer"
)

/**
 * An OpenAI-style error body. `type` defaults by status (`invalid_request_error` for 4xx,
 * `requests` for 429, `server_error` for 5xx); `code` and `param` default to null.
 *
 * @since 0.1.0
 * @category constructors
 */
export const errorBody: (
  status: number,
  message: string,
  extra?: { type?: string; code?: string | null; param?: string | null }
) => { error: { message: string; type: string; code: string | null; param: string | null } } = Router.errorBody

// ---------------------------------------------------------------------------------------------
// implementation
// ---------------------------------------------------------------------------------------------

interface Cell {
  /** The connection the request came on. */
  readonly socket: Net.Socket
  /** The response was fully written. */
  finished: boolean
  /** The client closed the connection before the response finished. */
  aborted: boolean
  /** The connection is closed. */
  closed: boolean
  /** The server itself destroyed the connection (reset faults, shutdown). */
  closedByServer: boolean
  /** Currently counted in `inFlight`. */
  counted: boolean
  /** Body bytes written by a `Huge` fault. */
  bytesWritten: number
}

interface Waiter {
  readonly n: number
  readonly match: RouteMatch | undefined
  seen: number
  readonly deferred: Deferred.Deferred<RecordedRequest>
}

interface QueuedFault {
  readonly fault: Fault
  readonly match: RouteMatch | undefined
}

interface State {
  store: Store.Store
  log: Array<RecordedRequest>
  counter: number
  faults: Array<QueuedFault>
  readonly waiters: Set<Waiter>
  inFlight: number
  maxInFlight: number
  readonly minted: Array<string>
  closing: boolean
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

const randomToken = (length: number): string => {
  const bytes = Crypto.randomBytes(length)
  let out = ""
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! % ALPHABET.length]
  return out
}

const matches = (match: RouteMatch | undefined, request: { readonly method: string; readonly path: string }): boolean => {
  if (match === undefined) return true
  if (match.method !== undefined && match.method.toUpperCase() !== request.method.toUpperCase()) return false
  if (match.path === undefined) return true
  if (typeof match.path === "string") return match.path === request.path
  match.path.lastIndex = 0
  return match.path.test(request.path)
}

const safeDecode = (segment: string): string => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

const splitUrl = (rawUrl: string): { readonly path: string; readonly rawQuery: string } => {
  let pathAndQuery = rawUrl
  if (!rawUrl.startsWith("/")) {
    try {
      const url = new URL(rawUrl)
      pathAndQuery = url.pathname + url.search
    } catch {
      pathAndQuery = "/"
    }
  }
  const hash = pathAndQuery.indexOf("#")
  if (hash >= 0) pathAndQuery = pathAndQuery.slice(0, hash)
  const q = pathAndQuery.indexOf("?")
  return q < 0
    ? { path: pathAndQuery, rawQuery: "" }
    : { path: pathAndQuery.slice(0, q), rawQuery: pathAndQuery.slice(q + 1) }
}

const parseQuery = (rawQuery: string): Readonly<Record<string, ReadonlyArray<string>>> => {
  const map = new Map<string, Array<string>>()
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    const values = map.get(key)
    if (values === undefined) map.set(key, [value])
    else values.push(value)
  }
  return Object.fromEntries(map)
}

const parseHeaders = (headers: Http.IncomingHttpHeaders): Readonly<Record<string, string>> => {
  const out: Array<[string, string]> = []
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out.push([key.toLowerCase(), Array.isArray(value) ? value.join(", ") : value])
  }
  return Object.fromEntries(out)
}

const parseBody = (text: string): unknown => {
  if (text.length === 0) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const lowerKeys = (headers: Readonly<Record<string, string>> | undefined): Record<string, string> => {
  const out: Record<string, string> = {}
  if (headers !== undefined) for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value
  return out
}

const serialize = (body: unknown): string => typeof body === "string" ? body : JSON.stringify(body) ?? "null"

/** Real-time sleep (never the TestClock: the server lives in real time). */
const sleepMillis = (millis: number): Effect.Effect<void> =>
  millis <= 0 ? Effect.void : Effect.async<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), millis)
    return Effect.sync(() => clearTimeout(timer))
  })

const MALFORMED_JSON = "{\"object\":\"list\",\"data\":[{\"object\":\"organization.user\",\"id\":\"user_malformed\",},"

/**
 * Starts the server on `127.0.0.1` with a random port. It stops (destroying every open
 * connection, hanging ones included) when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<FakeAdminServer, never, Scope.Scope> =>
  Effect.gen(function*() {
    const apiKey = options.apiKey ?? defaultApiKey
    const seed = options.seed ?? Seed.small
    const latency = options.latency ?? 0

    const state: State = {
      store: Store.makeStore(seed, options.userCount),
      log: [],
      counter: 0,
      faults: [],
      waiters: new Set(),
      inFlight: 0,
      maxInFlight: 0,
      minted: [],
      closing: false
    }

    const env: Router.Env = {
      mint: (secret) => {
        state.minted.push(secret)
      },
      token: randomToken,
      now: () => Math.floor(Date.now() / 1000)
    }

    const fibers = yield* FiberSet.make<void, never>()
    const runFork = yield* FiberSet.runtime(fibers)<never>()

    // --- responding ------------------------------------------------------------------------

    const writeRaw = (
      res: Http.ServerResponse,
      index: number,
      status: number,
      headers: Readonly<Record<string, string>>,
      body: string
    ): Effect.Effect<void> =>
      Effect.sync(() => {
        if (res.destroyed || res.headersSent) return
        // a fault's own headers (even x-request-id) win over the defaults, except content-length
        if (status === 204 || status === 304) {
          // no body allowed
          res.writeHead(status, { "x-request-id": `req_${index}`, ...headers })
          res.end()
          return
        }
        res.writeHead(status, {
          "x-request-id": `req_${index}`,
          ...headers,
          "content-length": String(Buffer.byteLength(body))
        })
        res.end(body)
      })

    const writeJson = (res: Http.ServerResponse, index: number, status: number, body: unknown) =>
      writeRaw(res, index, status, { "content-type": "application/json" }, serialize(body))

    const normalReply = (request: RecordedRequest): Router.Reply => {
      const bearer = /^bearer\s+(.*)$/i.exec(request.headers["authorization"] ?? "")
      if (bearer === null || bearer[1]!.trim() !== apiKey) return Router.unauthorized
      return Router.route(state.store, env, {
        method: request.method,
        path: request.path,
        segments: request.segments,
        query: request.query,
        body: request.body
      })
    }

    const serveNormally = (request: RecordedRequest, res: Http.ServerResponse): Effect.Effect<void> =>
      Effect.gen(function*() {
        yield* sleepMillis(latency)
        const reply = normalReply(request)
        yield* writeJson(res, request.index, reply.status, reply.body)
      })

    const destroyConnection = (res: Http.ServerResponse, cell: Cell): Effect.Effect<void> =>
      Effect.sync(() => {
        cell.closedByServer = true
        cell.socket.destroy()
        res.destroy()
      })

    /** Writes 200, the headers and half of the real body, then resets the connection or (hang) stalls. */
    const partialBody = (
      request: RecordedRequest,
      res: Http.ServerResponse,
      cell: Cell,
      then: "reset" | "hang"
    ): Effect.Effect<void> =>
      Effect.async<void>((resume) => {
        const reply = normalReply(request)
        const body = Buffer.from(serialize(reply.body), "utf8")
        if (res.destroyed || res.headersSent) return resume(Effect.void)
        res.writeHead(200, {
          "content-type": "application/json",
          "content-length": String(body.length),
          "x-request-id": `req_${request.index}`
        })
        const part = body.subarray(0, Math.max(1, Math.floor(body.length / 2)))
        res.write(part, () => {
          if (then === "hang") return // stays open until the client closes it (`handle` races the close)
          cell.closedByServer = true
          cell.socket.destroy()
          resume(Effect.void)
        })
      })

    /** Writes `bytes` bytes of a JSON list, respecting back-pressure, until done or the connection closes. */
    const huge = (
      request: RecordedRequest,
      res: Http.ServerResponse,
      cell: Cell,
      fault: Extract<Fault, { readonly _tag: "Huge" }>
    ): Effect.Effect<void> =>
      Effect.async<void>((resume) => {
        if (res.destroyed || res.headersSent) return resume(Effect.void)
        const total = Math.max(256, Math.floor(fault.bytes))
        const head = Buffer.from("{\"object\":\"list\",\"data\":[{\"object\":\"organization.user\",\"id\":\"", "utf8")
        const tail = Buffer.from("\",\"added_at\":1}],\"has_more\":false}", "utf8")
        const filler = Buffer.alloc(64 * 1024, "x")
        const headers: Record<string, string> = {
          "content-type": "application/json",
          "x-request-id": `req_${request.index}`
        }
        if (fault.contentLength !== false) headers["content-length"] = String(total)
        res.writeHead(fault.status ?? 200, headers)
        let written = 0
        const write = (chunk: Buffer): boolean => {
          written += chunk.length
          cell.bytesWritten = written
          return res.write(chunk)
        }
        const pump = (): void => {
          while (!res.destroyed) {
            const left = total - written - tail.length
            if (left <= 0) {
              write(tail)
              res.end()
              return resume(Effect.void)
            }
            if (!write(left >= filler.length ? filler : filler.subarray(0, left))) {
              res.once("drain", pump)
              return
            }
          }
        }
        write(head)
        pump()
      })

    const respond = (
      request: RecordedRequest,
      fault: Fault | undefined,
      res: Http.ServerResponse,
      cell: Cell
    ): Effect.Effect<void> => {
      if (fault === undefined) return serveNormally(request, res)
      switch (fault._tag) {
        case "Pass":
          return serveNormally(request, res)
        case "Delay":
          return Effect.zipRight(sleepMillis(fault.millis), serveNormally(request, res))
        case "Status": {
          const body = fault.body === undefined ? Router.defaultFaultBody(fault.status) : fault.body
          const contentType = typeof body === "string" ? "text/html; charset=utf-8" : "application/json"
          return writeRaw(res, request.index, fault.status, {
            "content-type": contentType,
            ...lowerKeys(fault.headers)
          }, serialize(body))
        }
        case "Body":
          return writeRaw(res, request.index, fault.status ?? 200, {
            "content-type": fault.contentType ?? "application/json",
            ...lowerKeys(fault.headers)
          }, serialize(fault.body))
        case "Malformed":
          return writeRaw(res, request.index, 200, { "content-type": "application/json" }, MALFORMED_JSON)
        case "ResetBeforeHeaders":
          return destroyConnection(res, cell)
        case "ResetDuringBody":
          return partialBody(request, res, cell, "reset")
        case "HangDuringBody":
          return partialBody(request, res, cell, "hang")
        case "Huge":
          return huge(request, res, cell, fault)
        case "Hang":
          return Effect.never
      }
    }

    const handle = (
      request: RecordedRequest,
      fault: Fault | undefined,
      res: Http.ServerResponse,
      cell: Cell,
      closed: Deferred.Deferred<void>
    ): Effect.Effect<void> =>
      respond(request, fault, res, cell).pipe(
        Effect.raceFirst(Deferred.await(closed)),
        Effect.catchAllCause((cause) =>
          Effect.zipRight(
            Effect.logWarning("FakeAdminServer: request handler failed", cause),
            Effect.sync(() => {
              if (!res.headersSent && !res.destroyed) {
                const body = serialize(Router.errorBody(500, "The fake server failed to handle the request."))
                res.writeHead(500, {
                  "content-type": "application/json",
                  "content-length": String(Buffer.byteLength(body)),
                  "x-request-id": `req_${request.index}`
                })
                res.end(body)
              } else {
                res.destroy()
              }
            })
          )
        )
      )

    // --- recording ---------------------------------------------------------------------------

    const record = (
      req: Http.IncomingMessage,
      bodyText: string,
      cell: Cell
    ): RecordedRequest => {
      const { path, rawQuery } = splitUrl(req.url ?? "/")
      const request: RecordedRequest = {
        index: ++state.counter,
        method: (req.method ?? "GET").toUpperCase(),
        path,
        segments: path.split("/").slice(1).map(safeDecode),
        query: parseQuery(rawQuery),
        rawQuery,
        headers: parseHeaders(req.headers),
        body: parseBody(bodyText),
        aborted: Effect.sync(() => cell.aborted),
        finished: Effect.sync(() => cell.finished),
        receivedAt: performance.now(),
        bytesWritten: Effect.sync(() => cell.bytesWritten)
      }
      state.log.push(request)
      for (const waiter of state.waiters) {
        if (!matches(waiter.match, request)) continue
        waiter.seen++
        if (waiter.seen >= waiter.n) {
          state.waiters.delete(waiter)
          Deferred.unsafeDone(waiter.deferred, Exit.succeed(request))
        }
      }
      return request
    }

    const takeFault = (request: RecordedRequest): Fault | undefined => {
      const i = state.faults.findIndex((queued) => matches(queued.match, request))
      if (i < 0) return undefined
      const [queued] = state.faults.splice(i, 1)
      return queued!.fault
    }

    const onRequest = (req: Http.IncomingMessage, res: Http.ServerResponse): void => {
      const cell: Cell = {
        socket: req.socket,
        finished: false,
        aborted: false,
        closed: false,
        closedByServer: false,
        counted: false,
        bytesWritten: 0
      }
      const closed = Deferred.unsafeMake<void>(FiberId.none)
      const release = () => {
        if (cell.counted) {
          cell.counted = false
          state.inFlight--
        }
      }
      req.on("error", () => {})
      res.on("error", () => {})
      res.on("finish", () => {
        cell.finished = true
        release()
      })
      res.on("close", () => {
        cell.closed = true
        if (!cell.finished && !cell.closedByServer && !state.closing) cell.aborted = true
        release()
        Deferred.unsafeDone(closed, Exit.void)
      })

      const chunks: Array<Buffer> = []
      let arrived = false
      const arrive = (complete: boolean) => {
        if (arrived) return
        arrived = true
        const request = record(req, Buffer.concat(chunks).toString("utf8"), cell)
        if (!complete || cell.closed) {
          if (!cell.closedByServer && !state.closing) cell.aborted = true
          return
        }
        cell.counted = true
        state.inFlight++
        if (state.inFlight > state.maxInFlight) state.maxInFlight = state.inFlight
        const fault = takeFault(request)
        runFork(handle(request, fault, res, cell, closed))
      }
      req.on("data", (chunk: Buffer) => {
        chunks.push(chunk)
      })
      req.on("end", () => arrive(true))
      req.on("close", () => arrive(false))
    }

    // --- server ------------------------------------------------------------------------------

    const sockets = new Set<Net.Socket>()
    const server = Http.createServer()
    server.requestTimeout = 0
    server.on("connection", (socket: Net.Socket) => {
      sockets.add(socket)
      socket.on("error", () => {})
      socket.on("close", () => sockets.delete(socket))
    })
    server.on("request", onRequest)

    const port = yield* Effect.acquireRelease(
      Effect.async<number>((resume) => {
        const onError = (error: Error) => resume(Effect.die(error))
        server.once("error", onError)
        server.listen(0, "127.0.0.1", () => {
          server.off("error", onError)
          server.on("error", () => {})
          const address = server.address()
          resume(
            typeof address === "object" && address !== null
              ? Effect.succeed(address.port)
              : Effect.dieMessage("FakeAdminServer: could not determine the listening port")
          )
        })
      }),
      () =>
        Effect.async<void>((resume) => {
          state.closing = true
          server.close(() => resume(Effect.void))
          for (const socket of sockets) socket.destroy()
          server.closeAllConnections()
        })
    )

    // --- service -----------------------------------------------------------------------------

    const awaitRequest = (n: number, match?: RouteMatch): Effect.Effect<RecordedRequest> =>
      Effect.uninterruptibleMask((restore) => {
        if (!Number.isInteger(n) || n < 1) {
          return Effect.dieMessage(`FakeAdminServer.awaitRequest: n must be an integer >= 1, got ${n}`)
        }
        let seen = 0
        for (const request of state.log) {
          if (matches(match, request) && ++seen === n) return Effect.succeed(request)
        }
        const waiter: Waiter = { n, match, seen, deferred: Deferred.unsafeMake<RecordedRequest>(FiberId.none) }
        state.waiters.add(waiter)
        return Effect.ensuring(
          restore(Deferred.await(waiter.deferred)),
          Effect.sync(() => state.waiters.delete(waiter))
        )
      })

    const service: FakeAdminServer = {
      url: `http://127.0.0.1:${port}/v1`,
      apiKey,
      requests: Effect.sync(() => state.log.slice()),
      awaitRequest,
      fault: (faults, match) =>
        Effect.sync(() => {
          for (const fault of faults) state.faults.push({ fault, match })
        }),
      inFlight: Effect.sync(() => state.inFlight),
      maxInFlight: Effect.sync(() => state.maxInFlight),
      mintedSecrets: Effect.sync(() => state.minted.slice()),
      reset: Effect.sync(() => {
        state.store = Store.makeStore(seed, options.userCount)
        state.log = []
        state.counter = 0
        state.faults = []
        state.maxInFlight = state.inFlight
        for (const waiter of state.waiters) waiter.seen = 0
      })
    }
    return service
  })

/**
 * A layer running the server for the layer's lifetime.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<FakeAdminServer> => Layer.scoped(FakeAdminServer, make(options))
