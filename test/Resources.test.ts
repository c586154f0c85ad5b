/**
 * The resource descriptions against the spec: every Admin API operation (every operation whose `security`
 * includes `AdminApiKeyAuth`) has exactly one description, where the naming rules put it, and the generated files
 * (resources, tree, index exports, README table) are what `npm run generate` writes.
 *
 * The naming rules are written out again here, on purpose independently of `scripts/generate.mjs`.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import YAML from "yaml"
import * as Endpoint from "../src/Endpoint.js"
import { endpoints } from "../src/internal/endpoints.js"
import * as Pagination from "../src/Pagination.js"
import * as AdminApiKeys from "../src/resources/AdminApiKeys.js"
import * as AuditLogs from "../src/resources/AuditLogs.js"
import * as Common from "../src/resources/Common.js"
import * as ProjectsServiceAccounts from "../src/resources/ProjectsServiceAccounts.js"
import * as ProjectsServiceAccountsApiKeys from "../src/resources/ProjectsServiceAccountsApiKeys.js"
import * as ProjectsUsers from "../src/resources/ProjectsUsers.js"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

// ---------------------------------------------------------------------------------------------------------------
// The spec
// ---------------------------------------------------------------------------------------------------------------

interface JsonSchema {
  readonly $ref?: string
  readonly type?: string
  readonly properties?: Record<string, JsonSchema>
  readonly minimum?: number
  readonly maximum?: number
}
interface Parameter {
  readonly name: string
  readonly in: string
  readonly required?: boolean
  readonly schema?: JsonSchema
}
interface Operation {
  readonly security?: ReadonlyArray<Record<string, unknown>>
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: unknown
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema: JsonSchema }> }>
}
interface Spec {
  readonly paths: Record<string, Record<string, Operation>>
  readonly components: { readonly schemas: Record<string, JsonSchema> }
}

const spec = YAML.parse(fs.readFileSync(path.join(root, "spec/openai-openapi.yaml"), "utf8")) as Spec

interface SpecOperation {
  readonly method: "GET" | "POST" | "DELETE"
  readonly path: string
  readonly op: Operation
}

const operations: ReadonlyArray<SpecOperation> = Object.entries(spec.paths).flatMap(([p, item]) =>
  ["get", "post", "delete", "put", "patch"].flatMap((m) => {
    const op = item[m]
    if (op === undefined || !(op.security ?? []).some((s) => "AdminApiKeyAuth" in s)) return []
    return [{ method: m.toUpperCase() as SpecOperation["method"], path: p, op }]
  })
)

const resolve = (schema: JsonSchema): JsonSchema =>
  schema.$ref === undefined ? schema : spec.components.schemas[schema.$ref.split("/").pop()!]!

/** The pagination style a list response implies, or undefined when the response is not a list envelope. */
const envelopeStyle = (o: SpecOperation): Pagination.Style | undefined => {
  if (o.method !== "GET") return undefined
  const props = resolve(o.op.responses["200"]!.content!["application/json"]!.schema).properties ?? {}
  if (props.data?.type !== "array" || props.has_more === undefined) return undefined
  if ("next" in props) return Pagination.cursorNext
  if ("last_id" in props) return Pagination.cursorId
  if ("next_page" in props) return Pagination.pageToken
  throw new Error(`${o.path}: a list envelope without a cursor field`)
}

const queryParams = (o: SpecOperation) => (o.op.parameters ?? []).filter((p) => p.in === "query")

// ---------------------------------------------------------------------------------------------------------------
// The naming rules
// ---------------------------------------------------------------------------------------------------------------

const VERBS = ["archive", "activate", "deactivate"]
const camel = (segment: string) => segment.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

/** Where an operation lives in the tree: `projects.serviceAccounts.list`, `certificates.activate`, ... */
const treeKey = (o: SpecOperation): string => {
  const segments = o.path.replace(/^\/organization(?=\/)/, "").split("/").slice(1)
  const fixed = segments.filter((s) => !s.startsWith("{")).map(camel)
  const last = segments[segments.length - 1]!
  const at = (name: string) => [...fixed, name].join(".")
  if (last.startsWith("{")) return at({ GET: "retrieve", POST: "update", DELETE: "delete" }[o.method])
  if (VERBS.includes(last)) return [...fixed.slice(0, -1), last].join(".")
  if (o.method === "GET") return at(envelopeStyle(o) === undefined ? "retrieve" : "list")
  if (o.method === "DELETE") return at("delete")
  // POST on a fixed path: `create` on a collection (it lists, has ids below it, or has nothing to retrieve)
  const collection = operations.some((x) => x.path === o.path && envelopeStyle(x) !== undefined) ||
    operations.some((x) => x.path.startsWith(`${o.path}/{`)) ||
    !operations.some((x) => x.path === o.path && x.method === "GET")
  return at(collection ? "create" : "update")
}

// ---------------------------------------------------------------------------------------------------------------
// The tree
// ---------------------------------------------------------------------------------------------------------------

const descriptions = new Map<string, Endpoint.Any>()
const walk = (node: object, at: ReadonlyArray<string>) => {
  for (const [key, value] of Object.entries(node)) {
    const here = [...at, key].join(".")
    if (Endpoint.isList(value) || Endpoint.isOperation(value)) {
      if (descriptions.has(here)) throw new Error(`two descriptions at ${here}`)
      descriptions.set(here, value as Endpoint.Any)
    } else if (typeof value === "object" && value !== null) {
      walk(value, [...at, key])
    } else {
      throw new Error(`${here}: neither a description nor a node`)
    }
  }
}
walk(endpoints, [])

const fieldsOf = (schema: unknown): ReadonlyArray<string> => {
  const fields = (schema as { readonly fields?: Record<string, unknown> } | undefined)?.fields
  if (fields === undefined) throw new Error("input schema is not a struct")
  return Object.keys(fields)
}

describe("resource descriptions", () => {
  it("the spec has 119 admin operations: 106 under /organization/, 13 project role operations under /projects/", () => {
    expect(operations.length).toBe(119)
    expect(operations.filter((o) => o.path.startsWith("/organization/")).length).toBe(106)
    const others = operations.filter((o) => !o.path.startsWith("/organization/"))
    expect(others.length).toBe(13)
    for (const o of others) expect(o.path).toMatch(/^\/projects\/\{project_id\}\/.*roles/)
  })

  it("every admin operation has exactly one description, at its place in the tree, with its method and path", () => {
    const expected = new Map<string, SpecOperation>()
    for (const o of operations) {
      const key = treeKey(o)
      expect(expected.has(key), `${key}: two operations`).toBe(false)
      expected.set(key, o)
    }
    expect([...descriptions.keys()].sort()).toEqual([...expected.keys()].sort())
    for (const [key, o] of expected) {
      const d = descriptions.get(key)!
      expect({ key, method: d.method, path: d.path }).toEqual({ key, method: o.method, path: o.path })
    }
  })

  it("examples of the naming rules", () => {
    const at = (key: string) => {
      const d = descriptions.get(key)
      return d === undefined ? undefined : `${d._tag} ${d.method} ${d.path}`
    }
    expect(at("projects.serviceAccounts.list")).toBe("List GET /organization/projects/{project_id}/service_accounts")
    expect(at("auditLogs.list")).toBe("List GET /organization/audit_logs")
    expect(at("usage.audioSpeeches.list")).toBe("List GET /organization/usage/audio_speeches")
    expect(at("costs.list")).toBe("List GET /organization/costs")
    expect(at("projects.roles.list")).toBe("List GET /projects/{project_id}/roles")
    expect(at("projects.users.roles.list")).toBe("List GET /projects/{project_id}/users/{user_id}/roles")
    expect(at("projects.serviceAccounts.apiKeys.create")).toBe(
      "Operation POST /organization/projects/{project_id}/service_accounts/{service_account_id}/api_keys"
    )
    expect(at("projects.rateLimits.update")).toBe(
      "Operation POST /organization/projects/{project_id}/rate_limits/{rate_limit_id}"
    )
    expect(at("projects.archive")).toBe("Operation POST /organization/projects/{project_id}/archive")
    expect(at("certificates.activate")).toBe("Operation POST /organization/certificates/activate")
    expect(at("projects.certificates.deactivate")).toBe(
      "Operation POST /organization/projects/{project_id}/certificates/deactivate"
    )
    expect(at("spendLimit.update")).toBe("Operation POST /organization/spend_limit")
    expect(at("projects.modelPermissions.delete")).toBe("Operation DELETE /organization/projects/{project_id}/model_permissions")
  })

  it("a list is at `list` and pages with the style its envelope implies; everything else is an Operation", () => {
    for (const o of operations) {
      const key = treeKey(o)
      const d = descriptions.get(key)!
      const style = envelopeStyle(o)
      if (style === undefined) {
        expect(Endpoint.isOperation(d), key).toBe(true)
        continue
      }
      expect(key.endsWith(".list"), key).toBe(true)
      if (!Endpoint.isList(d)) throw new Error(`${key} is not a list`)
      expect(d.style._tag, key).toBe(style._tag)
    }
    for (const [key, d] of descriptions) expect(Endpoint.isList(d), key).toBe(key.endsWith(".list"))
  })

  it("inputs follow the spec: query fields (names without `[]`), cursors, limit ranges, bodies", () => {
    for (const o of operations) {
      const key = treeKey(o)
      const d = descriptions.get(key)!
      const params = queryParams(o).map((p) => p.name.replace(/\[\]$/, ""))
      if (Endpoint.isList(d)) {
        const fields = fieldsOf(d.params)
        expect(fields, key).toEqual(params)
        expect(fields, key).toContain(d.style.cursorParam)
        const limit = queryParams(o).find((p) => p.name === "limit")
        if (limit?.schema?.minimum !== undefined) {
          expect(d.limit, key).toEqual({ min: limit.schema.minimum, max: limit.schema.maximum })
        }
        for (const required of queryParams(o).filter((p) => p.required)) {
          const decoded = Schema.decodeUnknownEither(d.params as Schema.Schema<unknown, unknown>)({})
          expect(Either.isLeft(decoded), `${key}: ${required.name} is required`).toBe(true)
        }
      } else if (Endpoint.isOperation(d)) {
        if (o.method === "POST") {
          expect(d.input !== undefined, key).toBe(o.op.requestBody !== undefined)
          expect(d.create, key).toBe(key.endsWith(".create"))
        } else if (params.length > 0) {
          expect(fieldsOf(d.input), key).toEqual(params)
        } else {
          expect(d.input, key).toBeUndefined()
        }
      }
    }
    const limit = (key: string) => {
      const d = descriptions.get(key)
      return Endpoint.isList(d) ? d.limit : "not a list"
    }
    expect(limit("usage.completions.list")).toEqual({ min: 1, max: 1440 })
    expect(limit("costs.list")).toEqual({ min: 1, max: 180 })
    expect(limit("groups.list")).toEqual({ min: 0, max: 1000 })
    expect(limit("roles.list")).toEqual({ min: 0, max: 1000 })
    expect(limit("projects.rateLimits.list")).toEqual({ min: 1, max: 100 })
    expect(limit("users.list")).toEqual({ min: 1, max: 100 })
  })
})

describe("schemas", () => {
  it("response enums are open, request enums closed", () => {
    const log = Schema.decodeUnknownSync(AuditLogs.AuditLog)({ id: "l", type: "something.new", effective_at: 1 })
    expect(log.type).toBe("something.new")
    expect(Schema.decodeUnknownEither(AuditLogs.ListParams)({ event_types: ["something.new"] })._tag).toBe("Left")
    expect(Schema.decodeUnknownEither(AuditLogs.ListParams)({ event_types: ["project.created"] })._tag).toBe("Right")
    expect(Schema.decodeUnknownEither(ProjectsUsers.UpdateBody)({ role: "reader" })._tag).toBe("Left")
    expect(Schema.decodeUnknownEither(ProjectsUsers.CreateBody)({ role: "owner" })._tag).toBe("Left")
    expect(Schema.decodeUnknownEither(ProjectsUsers.CreateBody)({ role: "owner", email: "a@b.c" })._tag).toBe("Right")
  })

  it("created API keys are Redacted", () => {
    const fields = { name: "k", created_at: 1, id: "key_1" }
    const created = [
      Schema.decodeUnknownSync(ProjectsServiceAccountsApiKeys.ServiceAccountApiKey)({
        ...fields,
        object: "organization.project.service_account.api_key",
        value: "sk-secret"
      }).value,
      Schema.decodeUnknownSync(ProjectsServiceAccounts.ProjectServiceAccountApiKey)({
        ...fields,
        object: "organization.project.service_account.api_key",
        value: "sk-secret"
      }).value,
      Schema.decodeUnknownSync(AdminApiKeys.CreatedAdminApiKey)({
        ...fields,
        object: "organization.admin_api_key",
        redacted_value: "sk-...ret",
        expires_at: null,
        owner: {},
        value: "sk-secret"
      }).value
    ]
    for (const value of created) {
      expect(Redacted.isRedacted(value)).toBe(true)
      expect(String(value)).not.toContain("sk-secret")
      expect(Redacted.value(value)).toBe("sk-secret")
    }
  })

  it("usage results are told apart by their `object`", () => {
    const bucket = Schema.decodeUnknownSync(Common.UsageTimeBucket)({
      object: "bucket",
      start_time: 0,
      end_time: 86400,
      results: [
        { object: "organization.usage.moderations.result", input_tokens: 1, num_model_requests: 1 },
        { object: "organization.usage.embeddings.result", input_tokens: 2, num_model_requests: 1 }
      ]
    })
    expect(bucket.results.map((r) => r.object)).toEqual([
      "organization.usage.moderations.result",
      "organization.usage.embeddings.result"
    ])
  })
})

// ---------------------------------------------------------------------------------------------------------------
// The generated files
// ---------------------------------------------------------------------------------------------------------------

describe("npm run generate", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "generate-"))
  execFileSync(process.execPath, [path.join(root, "scripts/generate.mjs"), "--out", out], { cwd: root })
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }))
  const listFiles = (dir: string): Array<string> =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(path.join(dir, entry.name)).map((f) => `${entry.name}/${f}`)
        : [entry.name]
    )
  const generated = listFiles(out).sort()
  const section = (text: string) => {
    const start = text.indexOf("<!-- api-table:start -->")
    const end = text.indexOf("<!-- api-table:end -->")
    expect(start).toBeGreaterThanOrEqual(0)
    expect(end).toBeGreaterThan(start)
    return text.slice(start, end)
  }

  it("the committed files are what the generator writes, byte for byte", () => {
    expect(generated).toContain("src/internal/endpoints.ts")
    expect(generated).toContain("src/index.ts")
    expect(generated).toContain("README.md")
    for (const file of generated) {
      const committed = fs.readFileSync(path.join(root, file), "utf8")
      expect(committed === fs.readFileSync(path.join(out, file), "utf8"), `${file} is stale: run npm run generate`)
        .toBe(true)
    }
  })

  it("src/resources holds only generated files", () => {
    const resources = fs.readdirSync(path.join(root, "src/resources")).filter((f) => f.endsWith(".ts")).sort()
    expect(resources.map((f) => `src/resources/${f}`)).toEqual(generated.filter((f) => f.startsWith("src/resources/")))
  })

  it("the README API table is the generator's", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
    expect(section(readme)).toBe(section(fs.readFileSync(path.join(out, "README.md"), "utf8")))
    for (const key of descriptions.keys()) {
      const resource = key.slice(0, key.lastIndexOf("."))
      expect(section(readme), resource).toContain(`| \`${resource}\` |`)
    }
  })
})
