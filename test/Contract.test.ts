/**
 * The contract test (issue 3): every Admin API operation of `spec/openai-openapi.yaml` (every operation whose
 * `security` includes `AdminApiKeyAuth`, counted from the spec) is called through its bound method against
 * Prism (`@stainless-api/prism-cli`, spec-driven, on loopback), with arguments built from the spec. Each request
 * must pass prism's request validation (params, body, auth) with no violation at all, send only query keys the
 * spec declares, and each response must decode into the operation's schema.
 *
 * How prism is started, and the two adjustments made to what it loads, are in `test/contract/prism.ts`.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { isDeepStrictEqual } from "node:util"
import * as AdminApi from "../src/AdminApi.js"
import type { AdminApiError } from "../src/AdminApiError.js"
import * as Endpoint from "../src/Endpoint.js"
import { endpoints } from "../src/internal/endpoints.js"
import * as Pagination from "../src/Pagination.js"
import * as Prism from "./contract/prism.js"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const spec = Prism.readSpec(path.join(root, "spec/openai-openapi.yaml"))

// ---------------------------------------------------------------------------------------------------------------
// The operations, from the spec
// ---------------------------------------------------------------------------------------------------------------

interface SpecOperation {
  readonly operationId: string
  readonly method: "GET" | "POST" | "DELETE"
  readonly path: string
  readonly op: Prism.Operation
}

const operations: ReadonlyArray<SpecOperation> = Object.entries(spec.paths).flatMap(([p, item]) =>
  Prism.METHODS.flatMap((m) => {
    const op = item[m] as Prism.Operation | undefined
    if (!Prism.isAdminOperation(op)) return []
    const method = m.toUpperCase() as SpecOperation["method"]
    return [{ operationId: op.operationId ?? `${method} ${p}`, method, path: p, op }]
  })
)

const resolve = (schema: Prism.JsonSchema | undefined): Prism.JsonSchema => {
  if (schema === undefined) return {}
  if (schema.$ref === undefined) return schema
  const target = spec.components.schemas[schema.$ref.split("/").pop()!]
  if (target === undefined) throw new Error(`unresolved ${schema.$ref}`)
  return resolve(target)
}

const queryParams = (o: SpecOperation) => (o.op.parameters ?? []).filter((p) => p.in === "query")
const pathIds = (p: string) => [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)
const bodySchema = (o: SpecOperation) => o.op.requestBody?.content["application/json"]?.schema

/** The query keys a request may send: `name`, `name[]` for an array, `name[key]` for a property of an object. */
const allowedQueryKeys = (o: SpecOperation): ReadonlySet<string> =>
  new Set(queryParams(o).flatMap((p) => {
    const schema = resolve(p.schema)
    const base = p.name.replace(/\[\]$/, "")
    if (schema.type === "array") return [`${base}[]`]
    if (schema.type === "object") return Object.keys(schema.properties ?? {}).map((k) => `${base}[${k}]`)
    return [p.name]
  }))

// ---------------------------------------------------------------------------------------------------------------
// Values from schemas
// ---------------------------------------------------------------------------------------------------------------

/** `minimal`: only what is required; `full`: every property and parameter, arrays with two items. */
type Mode = "minimal" | "full"

/**
 * Enums the spec gives only in prose: a string whose description is just a list of backticked values
 * ("`owner` or `member`"). The client takes these as closed enums (see `OVERRIDES.enums` of the generator).
 */
const proseEnum = (schema: Prism.JsonSchema): ReadonlyArray<string> | undefined => {
  const description = schema.description
  if (description === undefined || !/^`[^`]+`(?:(?:, | or |, or )`[^`]+`)+$/.test(description.trim())) {
    return undefined
  }
  return [...description.matchAll(/`([^`]+)`/g)].map((m) => m[1]!)
}

const firstType = (schema: Prism.JsonSchema): string | undefined =>
  Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type as string | undefined

/** A value valid for `schema`: its `example` when valid, else one derived from its type and constraints. */
const valueOf = (input: Prism.JsonSchema | undefined, mode: Mode, name: string, index = 0): unknown => {
  const schema = resolve(input)
  const members = schema.oneOf ?? schema.anyOf
  if (members !== undefined) {
    const member = members.find((m) => resolve(m).type !== "null") ?? members[0]!
    // a description on the union (`anyOf: [string, null]`, "`owner` or `member`") applies to the member
    const withProse = proseEnum(schema) === undefined
      ? member
      : { ...resolve(member), description: schema.description! }
    return valueOf(withProse, mode, name, index)
  }
  if (schema.allOf !== undefined) {
    const merged = schema.allOf.map(resolve).reduce<Prism.JsonSchema>((acc, s) => ({
      type: "object",
      properties: { ...acc.properties, ...s.properties },
      required: [...(acc.required ?? []), ...(s.required ?? [])]
    }), {})
    return valueOf(merged, mode, name, index)
  }
  const enumeration = schema.enum ?? (firstType(schema) === "string" ? proseEnum(schema) : undefined)
  if (enumeration !== undefined) {
    const values = enumeration.filter((v) => v !== null)
    if (index === 0 && values.some((v) => v === schema.example)) return schema.example
    return values[index % values.length]
  }
  const type = firstType(schema) ?? (schema.properties !== undefined ? "object" : undefined)
  switch (type) {
    case "string": {
      if (typeof schema.example === "string" && index === 0) return schema.example
      if (typeof schema.default === "string" && index === 0) return schema.default
      if (schema.format === "email") return `user${index + 1}@example.com`
      const s = `${name}_${index + 1}`
      const min = schema.minLength ?? 0
      const padded = s.length < min ? s.padEnd(min, "x") : s
      return schema.maxLength !== undefined ? padded.slice(0, schema.maxLength) : padded
    }
    case "integer":
    case "number": {
      if (typeof schema.example === "number" && index === 0) return schema.example
      if (typeof schema.default === "number" && index === 0) return schema.default
      const n = Math.max(schema.minimum ?? 1, 1) + index
      return schema.maximum !== undefined ? Math.min(n, schema.maximum) : n
    }
    case "boolean":
      return typeof schema.example === "boolean" ? schema.example : true
    case "array": {
      const items = resolve(schema.items)
      const distinct = items.enum?.length ?? proseEnum(items)?.length ?? Infinity
      const wanted = Math.max(Math.min(mode === "full" ? 2 : 1, distinct), schema.minItems ?? 0)
      const count = schema.maxItems !== undefined ? Math.min(wanted, schema.maxItems) : wanted
      return Array.from({ length: count }, (_, i) => valueOf(schema.items, mode, name, i))
    }
    case "object": {
      const required = new Set(schema.required ?? [])
      const out: Record<string, unknown> = {}
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (mode === "full" || required.has(key)) out[key] = valueOf(property, mode, key)
      }
      return out
    }
    default:
      return `${name}_${index + 1}`
  }
}

/** The trailing input of the method: query parameters (names without `[]`) or the body; undefined for none. */
const inputOf = (o: SpecOperation, mode: Mode): unknown => {
  if (o.method === "POST") {
    const schema = bodySchema(o)
    if (schema === undefined) return undefined
    return valueOf(schema, mode, "body")
  }
  const params = queryParams(o).filter((p) => mode === "full" || p.required === true)
  if (params.length === 0) return undefined
  return Object.fromEntries(
    params.map((p) => {
      const name = p.name.replace(/\[\]$/, "")
      return [name, valueOf(p.schema, mode, name)]
    })
  )
}

// ---------------------------------------------------------------------------------------------------------------
// The descriptions and the bound methods
// ---------------------------------------------------------------------------------------------------------------

interface Described {
  /** Where the description is in the tree, e.g. `projects.users.list`. */
  readonly key: string
  readonly description: Endpoint.Any
}

const described = new Map<string, Described>()
const walk = (node: object, at: ReadonlyArray<string>): void => {
  for (const [key, value] of Object.entries(node)) {
    if (Endpoint.isList(value) || Endpoint.isOperation(value)) {
      const description = value as Endpoint.Any
      described.set(`${value.method} ${value.path}`, { key: [...at, key].join("."), description })
    } else if (typeof value === "object" && value !== null) {
      walk(value, [...at, key])
    }
  }
}
walk(endpoints, [])

type Method = (...args: ReadonlyArray<unknown>) => unknown

/** The bound method of a description: `listPage` (and `list`, `pages`) for a list, the operation itself else. */
const boundMethod = (
  admin: AdminApi.Service,
  d: Described,
  name?: "list" | "pages" | "listPage"
): Method | undefined => {
  const segments = d.key.split(".")
  const last = segments.pop()!
  let node: unknown = admin
  for (const segment of segments) node = (node as Record<string, unknown> | undefined)?.[segment]
  const method = (node as Record<string, unknown> | undefined)?.[
    Endpoint.isList(d.description) ? name ?? "listPage" : last
  ]
  return typeof method === "function" ? method as Method : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Calls, recorded
// ---------------------------------------------------------------------------------------------------------------

interface Exchange {
  readonly method: string
  readonly url: string
  /** The JSON body sent, if any. */
  readonly body?: unknown
  readonly status: number
  readonly violations: ReadonlyArray<unknown>
}

interface Failure {
  readonly operationId: string
  readonly method: string
  readonly path: string
  readonly variant: string
  readonly error?: string
  readonly violations?: ReadonlyArray<unknown>
  readonly unknownQueryKeys?: ReadonlyArray<string>
  /** What was sent, where it is not exactly the arguments. */
  readonly sent?: { readonly expected: unknown; readonly actual: unknown }
  readonly exchanges?: ReadonlyArray<Exchange>
}

const parseViolations = (header: string | undefined): ReadonlyArray<unknown> => {
  if (header === undefined) return []
  try {
    return JSON.parse(header) as ReadonlyArray<unknown>
  } catch {
    return [header]
  }
}

const describeError = (error: AdminApiError): string => {
  const { _tag, message } = error
  const extra = "issues" in error ? ` ${JSON.stringify(error.issues)}` : "bodyText" in error && error.bodyText !== null
    ? ` ${error.bodyText}`
    : "error" in error && error.error !== null
    ? ` ${JSON.stringify(error.error)}`
    : ""
  return `${_tag}: ${message}${extra}`
}

const apiKey = "sk-admin-contract-test"

/** The query the SDKs send for these parameters: `name[]` per item of an array, `name[key]` per property. */
const sdkQuery = (params: unknown): Array<string> => {
  if (typeof params !== "object" || params === null) return []
  return Object.entries(params).flatMap(([name, value]) =>
    Array.isArray(value)
      ? value.map((item) => `${name}[]=${String(item)}`)
      : typeof value === "object" && value !== null
      ? Object.entries(value).map(([key, item]) => `${name}[${key}]=${String(item)}`)
      : [`${name}=${String(value)}`]
  ).sort()
}

/** Where the request did not carry exactly the input (a field dropped or changed on the way), what and how. */
const sentMismatch = (o: SpecOperation, input: unknown, exchange: Exchange | undefined): Failure["sent"] => {
  if (exchange === undefined) return undefined
  if (o.method === "POST") {
    const expected = bodySchema(o) === undefined ? undefined : input ?? {}
    return isDeepStrictEqual(exchange.body, expected) ? undefined : { expected, actual: exchange.body }
  }
  const expected = sdkQuery(input)
  const actual = [...new URL(exchange.url).searchParams].map(([k, v]) => `${k}=${v}`).sort()
  return isDeepStrictEqual(actual, expected) ? undefined : { expected, actual }
}

/**
 * Runs `f` with a client of prism whose every exchange is recorded (status and `sl-violations`), then checks
 * the exchanges: no violation, only declared query keys.
 */
const recorded = <A>(
  url: string,
  o: SpecOperation,
  variant: string,
  f: (admin: AdminApi.Service) => Effect.Effect<A, AdminApiError>,
  options: {
    /** Applies to the request as the client finally sends it (after its own headers and URL). */
    readonly transform?: (request: HttpClientRequest.HttpClientRequest) => HttpClientRequest.HttpClientRequest
    /** The input given to the method: the first request must carry exactly it. */
    readonly input?: { readonly value: unknown }
  } = {}
): Effect.Effect<{ readonly failure: Failure | undefined; readonly exchanges: ReadonlyArray<Exchange> }> =>
  Effect.gen(function*() {
    const exchanges: Array<Exchange> = []
    const fetchClient = yield* HttpClient.HttpClient
    const transform = options.transform ?? ((request) => request)
    const client = HttpClient.make((request) => fetchClient.execute(transform(request))).pipe(
      HttpClient.tap((response) =>
        Effect.sync(() => {
          const { body, method, url, urlParams } = response.request
          exchanges.push({
            method,
            url: url + (urlParams.length > 0 ? "?" : "") +
              new URLSearchParams(urlParams.map(([k, v]) => [k, v])).toString(),
            ...(body._tag === "Uint8Array" ? { body: JSON.parse(new TextDecoder().decode(body.body)) } : {}),
            status: response.status,
            violations: parseViolations(response.headers["sl-violations"])
          })
        })
      )
    )
    const admin = yield* AdminApi.make({ apiKey: Redacted.make(apiKey), baseUrl: url, retry: 0, readAhead: 0 }).pipe(
      Effect.provideService(HttpClient.HttpClient, client)
    )
    const result = yield* Effect.either(f(admin))
    const allowed = allowedQueryKeys(o)
    const unknownQueryKeys = [
      ...new Set(exchanges.flatMap((e) => [...new URL(e.url).searchParams.keys()].filter((k) => !allowed.has(k))))
    ]
    const violations = exchanges.flatMap((e) => e.violations)
    const sent = options.input === undefined ? undefined : sentMismatch(o, options.input.value, exchanges[0])
    const base = { operationId: o.operationId, method: o.method, path: o.path, variant }
    const failure: Failure | undefined = result._tag === "Left"
      ? { ...base, error: describeError(result.left), exchanges }
      : violations.length > 0 || unknownQueryKeys.length > 0 || exchanges.length === 0 || sent !== undefined
      ? { ...base, violations, unknownQueryKeys, ...(sent === undefined ? {} : { sent }), exchanges }
      : undefined
    return { failure, exchanges }
  }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer), Effect.orDie)

/**
 * Where the client asks for more than the spec's schema (a rule of the client that the spec states nowhere), the
 * fields added to the minimal input. The test checks that the client does refuse the spec's minimal input without
 * them, before sending anything, so that an entry cannot outlive its rule.
 */
const clientRequires: Record<string, Record<string, unknown>> = {
  // `OVERRIDES.bodyVariants` of scripts/generate.mjs: the body requires `user_id` or `email`
  "create-project-user": { email: "user@example.com" }
}

/**
 * `minimal` and `full` arguments, with prism's static response (built from the schema's examples); `dynamic`:
 * minimal arguments, with a response that prism generates at random from the schema (fixed seed per operation:
 * absent optional fields, nulls, other members of unions, odd values); the spec's minimal input that the client
 * refuses (`clientRequires`).
 */
type Variant = Mode | "dynamic" | "spec minimal, refused by the client"

const argsOf = (o: SpecOperation, variant: Variant): ReadonlyArray<unknown> => {
  const ids = pathIds(o.path).map((id) => `${id}_1`)
  const mode = variant === "full" ? "full" : "minimal"
  const input = inputOf(o, mode)
  const extra = variant === "minimal" || variant === "dynamic" ? clientRequires[o.operationId] : undefined
  const merged = extra === undefined ? input : { ...(input as object | undefined), ...extra }
  return merged === undefined ? ids : [...ids, merged]
}

// ---------------------------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------------------------

describe.sequential("contract: every admin operation against prism", () => {
  let prism: Prism.Prism | undefined
  const mock = () => {
    if (prism === undefined) throw new Error("prism did not start")
    return prism
  }

  beforeAll(async () => {
    prism = await Prism.start({ root, spec, full: process.env.CONTRACT_FULL_SPEC === "1" })
    console.info(`prism ${prism.args.join(" ")}: listening on ${prism.url} after ${Math.round(prism.startupMillis)} ms`)
  }, 90_000)

  afterAll(async () => {
    await prism?.stop()
  })

  it("the spec has 119 admin operations, and each has a description and a bound method", () => {
    expect(operations.length).toBe(119)
    const admin = Effect.runSync(
      Effect.scoped(AdminApi.make({ apiKey: Redacted.make(apiKey) })).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
    )
    const missing = operations.flatMap((o) => {
      const d = described.get(`${o.method} ${o.path}`)
      if (d === undefined) return [`${o.operationId} (${o.method} ${o.path}): no description`]
      const names = Endpoint.isList(d.description) ? ["list", "pages", "listPage"] as const : [undefined]
      return names.flatMap((name) => {
        const at = name === undefined ? d.key : `${d.key} (${name})`
        return boundMethod(admin, d, name) === undefined ? [`${o.operationId} (${o.method} ${o.path}): no ${at}`] : []
      })
    })
    expect(missing).toEqual([])
  })

  it("negative controls: prism rejects bad requests, and reports them", async () => {
    const { url } = mock()
    const auth = { authorization: `Bearer ${apiKey}` }
    const call = async (target: string, init: RequestInit = {}) => {
      const response = await fetch(`${url}${target}`, init)
      const text = await response.text()
      return { status: response.status, text }
    }
    // the same request, valid, passes; prism matches paths without the base path of the spec's server
    // (`https://api.openai.com/v1`), so the client's base URL is prism's URL as such
    expect((await call("/organization/costs?start_time=1", { headers: auth })).status).toBe(200)
    expect((await call("/v1/organization/costs?start_time=1", { headers: auth })).status).toBe(404)
    // no credentials, or not a bearer token
    expect((await call("/organization/costs?start_time=1")).status).toBe(401)
    expect((await call("/organization/costs?start_time=1", { headers: { authorization: `Basic ${apiKey}` } })).status)
      .toBe(401)
    // a missing required query parameter
    const missing = await call("/organization/costs", { headers: auth })
    expect(missing.status).toBe(422)
    expect(missing.text).toContain("start_time")
    // a wrong type in the body
    const body = await call("/organization/projects", {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ name: 1 })
    })
    expect(body.status).toBe(422)
    expect(body.text).toContain("name")
    // a missing required body field
    expect(
      (await call("/organization/projects/proj_1/spend_alerts", {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ currency: "USD" })
      })).status
    ).toBe(422)
    // array parameters as the SDKs send them: every value is checked (the bad one first, then a good one)
    const arrays = await call(
      "/organization/audit_logs?event_types%5B%5D=no.such.event&event_types%5B%5D=project.created",
      { headers: auth }
    )
    expect(arrays.status).toBe(422)
    expect(arrays.text).toContain("event_types[]")
    const usageArray = await call("/organization/usage/completions?start_time=1&group_by%5B%5D=nope", {
      headers: auth
    })
    expect(usageArray.status).toBe(422)
    expect(usageArray.text).toContain("group_by[]")
    // object parameters as the SDKs send them
    const object = await call("/organization/audit_logs?effective_at%5Bgte%5D=yesterday", { headers: auth })
    expect(object.status).toBe(422)
    expect(object.text).toContain("effective_at")
  })

  it.live("negative controls through the client: a corrupted request is reported as a failure", () =>
    Effect.gen(function*() {
      const { url } = mock()
      const find = (method: string, p: string) => operations.find((o) => o.method === method && o.path === p)!
      const costs = find("GET", "/organization/costs")
      const projectsCreate = find("POST", "/organization/projects")
      const users = find("GET", "/organization/users")
      const control = <A>(
        o: SpecOperation,
        f: (admin: AdminApi.Service) => Effect.Effect<A, AdminApiError>,
        transform: (request: HttpClientRequest.HttpClientRequest) => HttpClientRequest.HttpClientRequest
      ) => Effect.map(recorded(url, o, "control", f, { transform }), (r) => r.failure)

      // the same calls, uncorrupted, pass
      const clean = yield* Effect.all([
        control(costs, (admin) => admin.costs.listPage({ start_time: 1, project_ids: ["a", "b"] }), (r) => r),
        control(projectsCreate, (admin) => admin.projects.create({ name: "p" }), (r) => r),
        control(users, (admin) => admin.users.listPage({ limit: 2 }), (r) => r)
      ])
      expect(clean).toEqual([undefined, undefined, undefined])

      // an invalid query value: prism answers 422
      const badQuery = yield* control(
        users,
        (admin) => admin.users.listPage({ limit: 2 }),
        HttpClientRequest.setUrlParam("limit", "two")
      )
      expect(badQuery?.error).toMatch(/^UnprocessableEntityError/)
      expect(badQuery?.exchanges?.[0]?.status).toBe(422)
      // where the operation declares a 400 response, prism answers that one and lists the violations in
      // `sl-violations`, which this file collects
      const projectUsers = find("GET", "/organization/projects/{project_id}/users")
      const declared400 = yield* control(
        projectUsers,
        (admin) => admin.projects.users.listPage("proj_1", { limit: 2 }),
        HttpClientRequest.setUrlParam("limit", "two")
      )
      expect(declared400?.error).toMatch(/^BadRequestError/)
      expect(declared400?.exchanges?.[0]?.violations).toEqual([
        expect.objectContaining({ location: ["request", "query", "limit"], severity: "Error" })
      ])
      // an invalid body: 422
      const badBody = yield* control(
        projectsCreate,
        (admin) => admin.projects.create({ name: "p" }),
        (request) => HttpClientRequest.bodyText(request, JSON.stringify({ name: 1 }), "application/json")
      )
      expect(badBody?.error).toMatch(/^UnprocessableEntityError/)
      // no credentials: 401
      const noAuth = yield* control(
        users,
        (admin) => admin.users.listPage(),
        (request) =>
          HttpClientRequest.get(request.url, {
            urlParams: request.urlParams,
            headers: Headers.remove(request.headers, "authorization")
          })
      )
      expect(noAuth?.error).toMatch(/^AuthenticationError/)
      // a query key the spec does not declare: prism ignores it, this file's check does not
      const undeclared = yield* control(
        costs,
        (admin) => admin.costs.listPage({ start_time: 1 }),
        HttpClientRequest.setUrlParam("project_ids", "a")
      )
      expect(undeclared?.error).toBeUndefined()
      expect(undeclared?.unknownQueryKeys).toEqual(["project_ids"])
    }))

  it.live("every operation, with minimal and full arguments: the request is valid, the response decodes", () =>
    Effect.gen(function*() {
      const { url } = mock()
      const admin = yield* Effect.scoped(AdminApi.make({ apiKey: Redacted.make(apiKey) })).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      const runs = operations.flatMap((o) =>
        ([
          "minimal",
          "full",
          "dynamic",
          ...(o.operationId in clientRequires ? ["spec minimal, refused by the client" as const] : [])
        ] as const).map((variant) => ({ o, variant }))
      )
      const results = yield* Effect.forEach(runs, ({ o, variant }) => {
        const d = described.get(`${o.method} ${o.path}`)
        if (d === undefined || boundMethod(admin, d) === undefined) {
          return Effect.succeed<Failure>({ ...o, variant, error: "no bound method" })
        }
        const args = argsOf(o, variant)
        const ids = pathIds(o.path).length
        const run = recorded(
          url,
          o,
          variant,
          (client) => boundMethod(client, d)!(...args) as Effect.Effect<unknown, AdminApiError>,
          {
            input: { value: args[ids] },
            ...(variant === "dynamic"
              ? { transform: HttpClientRequest.setHeader("prefer", `dynamic=true, seed=${o.operationId}`) }
              : {})
          }
        )
        if (variant !== "spec minimal, refused by the client") return Effect.map(run, (r) => r.failure)
        return Effect.map(run, (r): Failure | undefined =>
          r.failure?.error?.startsWith("InvalidRequestError") === true && r.exchanges.length === 0
            ? undefined
            : { ...o, variant, error: `expected the client to refuse ${JSON.stringify(args)} without sending it` })
      }, { concurrency: 4 })
      const failures = results.filter((f): f is Failure => f !== undefined)
      expect(failures).toEqual([])
    }), 60_000)

  it.live("list and pages, for one list of each pagination style", () =>
    Effect.gen(function*() {
      const { url } = mock()
      const failures: Array<Failure> = []
      for (const style of [Pagination.cursorId, Pagination.cursorNext, Pagination.pageToken]) {
        const lists = operations.flatMap((o) => {
          const d = described.get(`${o.method} ${o.path}`)
          return d !== undefined && Endpoint.isList(d.description) && d.description.style._tag === style._tag
            ? [{ o, d }]
            : []
        })
        expect(lists.length, style._tag).toBeGreaterThan(0)
        const { d, o } = lists[0]!
        const args = argsOf(o, "full")
        const stream = (admin: AdminApi.Service, name: "list" | "pages") =>
          boundMethod(admin, d, name)!(...args) as Stream.Stream<unknown, AdminApiError>
        const pages = yield* recorded(url, o, `pages (${style._tag})`, (admin) =>
          Stream.runCollect(Stream.take(stream(admin, "pages"), 1)))
        const items = yield* recorded(url, o, `list (${style._tag})`, (admin) =>
          Stream.runCollect(Stream.take(stream(admin, "list"), 1)))
        for (const run of [pages, items]) {
          if (run.failure !== undefined) failures.push(run.failure)
          // the cursor given in the arguments is sent as the style's cursor parameter
          const sent = run.exchanges.map((e) => new URL(e.url).searchParams.has(style.cursorParam))
          expect(sent, style._tag).toEqual([true])
        }
      }
      expect(failures).toEqual([])
    }))
})
