/**
 * Generates the endpoint descriptions of every Admin API operation from `spec/openai-openapi.yaml`: one file per
 * node of the tree in `src/resources/`, the tree in `src/internal/endpoints.ts`, the resource exports of
 * `src/index.ts` and the API table of `README.md` (between their markers).
 *
 *   node scripts/generate.mjs            writes into the repository
 *   node scripts/generate.mjs --out DIR  writes the same files under DIR (README.md and src/index.ts: the
 *                                        repository's files with their generated sections replaced)
 *
 * An operation belongs to the Admin API when its `security` includes `AdminApiKeyAuth`. Any shape the naming and
 * schema rules below do not cover stops the generation with an error: extend the rules or `OVERRIDES`, never edit
 * the output by hand.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import YAML from "yaml"

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const SPEC = "spec/openai-openapi.yaml"
const WIDTH = 120

// ---------------------------------------------------------------------------------------------------------------
// Hand-tuned overrides: everything the spec does not say (or says only in prose)
// ---------------------------------------------------------------------------------------------------------------

const OVERRIDES = {
  /**
   * Export names of spec components. Default: the component name without a `Resource`/`Response` suffix; in a
   * resource file, a body used by one operation is `<Operation>Body` and the success of `delete` is `Deleted`.
   */
  names: {
    User: "OrganizationUser",
    GroupResponse: "Group",
    Group: "GroupSummary",
    GroupResourceWithSuccess: "UpdatedGroup",
    AdminApiKeyCreateResponse: "CreatedAdminApiKey",
    ProjectServiceAccountCreateResponse: "CreatedProjectServiceAccount",
    ServiceAccountApiKeyBody: "ServiceAccountApiKey",
    DeletedRoleAssignmentResource: "RoleAssignmentDeleted",
    PublicAssignOrganizationGroupRoleBody: "AssignRoleBody",
    PublicCreateOrganizationRoleBody: "CreateRoleBody",
    PublicUpdateOrganizationRoleBody: "UpdateRoleBody",
    PublicProjectResidency: "ProjectResidency",
    CreateSpendAlertBody: "SpendAlertBody",
    ToggleCertificatesRequest: "ToggleCertificatesBody"
  },
  /** Names a resource file must export although the schema lives in `Common` (shared with other files). */
  reexports: {
    Users: ["OrganizationUser"]
  },
  /**
   * Enums the spec gives only in a description ("`owner` or `member`"): open (`OpenEnum`) in responses, closed
   * (`Schema.Literal`) in requests. Every description that is just such a list must be listed here.
   */
  enums: {
    "User.role": ["owner", "reader"],
    "UserRoleUpdateRequest.role": ["owner", "reader"],
    "ProjectUser.role": ["owner", "member"],
    "ProjectUserCreateRequest.role": ["owner", "member"],
    "ProjectUserUpdateRequest.role": ["owner", "member"],
    "Project.status": ["active", "archived"]
  },
  /** Bodies that are a union: one variant per listed set of fields, which that variant requires (non-null). */
  bodyVariants: {
    ProjectUserCreateRequest: [["user_id"], ["email"]]
  },
  /** Secrets: decoded as `Redacted<string>`. Any other string field named like a secret fails the generation. */
  redacted: {
    AdminApiKeyCreateResponse: ["value"],
    ProjectServiceAccountApiKey: ["value"],
    ServiceAccountApiKeyBody: ["value"]
  },
  /** `limit` ranges (by operationId) the spec does not state; `null`: the spec states none, not checked. */
  limits: {
    "list-project-rate-limits": { min: 1, max: 100 },
    "admin-api-keys-list": null
  },
  /** Fixed paths that only have a POST and are collections (`create`), not singletons or verbs. */
  postOnlyCollections: ["/organization/projects/{project_id}/service_accounts/{service_account_id}/api_keys"],
  /**
   * Names of inline object shapes that occur more than once in a file (hoisted into one local schema), keyed by
   * `<Schema>.<property path>` of their first occurrence. Default: its field names in PascalCase (`IdName`).
   */
  shapeNames: {
    "AuditLog.api_key.deleted": "IdDetails",
    "AuditLog.external_key.registered": "IdDataDetails",
    "AuditLog.ip_allowlist.created": "IpAllowlistDetails",
    "AuditLog.ip_allowlist.config.activated": "IpAllowlistConfigsDetails",
    "AuditLog.login.failed": "FailureDetails",
    "AuditLog.role.assignment.created": "RoleAssignmentDetails",
    "AuditLog.role.bound_to_resource": "RoleBindingDetails",
    "AuditLog.service_account.created": "MemberAddedDetails",
    "AuditLog.service_account.updated": "MemberUpdatedDetails",
    "AuditLog.certificates.activated": "CertificatesDetails"
  }
}

/** The override entries the generation used: an entry the spec no longer needs fails the generation. */
const usedOverrides = new Map()
const used = (table, key) => {
  if (!Object.hasOwn(table, key)) return undefined
  if (!usedOverrides.has(table)) usedOverrides.set(table, new Set())
  usedOverrides.get(table).add(key)
  return table[key]
}
const checkOverridesUsed = () => {
  for (const [name, table] of Object.entries(OVERRIDES)) {
    const keys = Array.isArray(table) ? table.map((_, i) => String(i)) : Object.keys(table)
    const seen = usedOverrides.get(table) ?? new Set()
    const stale = keys.filter((k) => !seen.has(k))
    if (stale.length > 0) fail(`OVERRIDES.${name}: unused entries ${stale.map((k) => Array.isArray(table) ? table[k] : k)}`)
  }
}

/** Trailing path segments that are an action on their parent: `projects.archive`, `certificates.activate`. */
const VERBS = ["archive", "activate", "deactivate"]
/** The order of the operations of a node. */
const OPERATION_ORDER = ["list", "create", "retrieve", "update", "delete", ...VERBS]

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const fail = (message) => {
  throw new Error(`generate: ${message}`)
}
const words = (s) => s.split(/[_\-.\s]+/).filter((w) => w !== "")
const cap = (w) => w.charAt(0).toUpperCase() + w.slice(1)
const pascal = (s) => words(s).map(cap).join("")
const camel = (s) => {
  const p = pascal(s)
  return p.charAt(0).toLowerCase() + p.slice(1)
}
const isParam = (segment) => /^\{[^}]+\}$/.test(segment)
const refName = (ref) => {
  const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref)
  if (m === null) fail(`unsupported $ref ${ref}`)
  return m[1]
}
const isIdentifier = (s) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)
const propKey = (s) => (isIdentifier(s) ? s : JSON.stringify(s))
const oneLine = (s) => s.replace(/\s+/g, " ").trim()
/** The first paragraph of a description, when it is short enough for a doc comment. */
const shortDescription = (s) => {
  if (typeof s !== "string") return undefined
  const first = oneLine(s.split(/\n\s*\n/)[0])
  if (first === "" || first.length > 240) return undefined
  return first.replace(/\*\//g, "*\\/")
}
const sentence = (s) => (/[.!?]$/.test(s) ? s : `${s}.`)

// ---------------------------------------------------------------------------------------------------------------
// Code printer: expressions as small trees, printed flat when they fit in WIDTH, else broken (last argument hugged)
// ---------------------------------------------------------------------------------------------------------------

const raw = (s) => ({ k: "raw", s })
const call = (fn, ...args) => ({ k: "call", fn, args })
const obj = (props, brk = false) => ({ k: "obj", props, brk })
const chain = (target, method, ...args) => ({ k: "chain", target, method, args })
const S = (name, ...args) => call(`Schema.${name}`, ...args)

const flat = (n) => {
  switch (n.k) {
    case "raw":
      return n.s
    case "call":
      return `${n.fn}(${n.args.map(flat).join(", ")})`
    case "obj":
      return n.props.length === 0 ? "{}" : `{ ${n.props.map(flatProp).join(", ")} }`
    case "chain":
      return `${flat(n.target)}.${n.method}(${n.args.map(flat).join(", ")})`
  }
  return fail(`unknown node ${n.k}`)
}
const flatProp = ([key, value]) => (key === null ? `...${flat(value)}` : `${propKey(key)}: ${flat(value)}`)
const forcesBreak = (n) =>
  (n.k === "obj" && (n.brk || n.props.some(([, v]) => forcesBreak(v)))) ||
  (n.k === "call" && n.args.some(forcesBreak)) ||
  (n.k === "chain" && (forcesBreak(n.target) || n.args.some(forcesBreak)))
const huggable = (n) => n.k === "obj" || (n.k === "call" && n.args.length > 0 && huggable(n.args[n.args.length - 1]))
const pad = (n) => " ".repeat(n)

const print = (n, indent, column, tail) => {
  const f = flat(n)
  if (!forcesBreak(n) && column + f.length + tail <= WIDTH) return f
  switch (n.k) {
    case "raw":
      return n.s
    case "obj": {
      if (n.props.length === 0) return "{}"
      const inner = indent + 2
      const lines = n.props.map(([key, value], i) => {
        const tailHere = i < n.props.length - 1 ? 1 : 0
        if (key === null) return `${pad(inner)}...${print(value, inner, inner + 3, tailHere)}`
        const head = `${propKey(key)}: `
        return `${pad(inner)}${head}${print(value, inner, inner + head.length, tailHere)}`
      })
      return `{\n${lines.join(",\n")}\n${pad(indent)}}`
    }
    case "call": {
      const head = `${n.fn}(`
      const last = n.args[n.args.length - 1]
      if (last !== undefined && huggable(last) && n.args.slice(0, -1).every((a) => a.k === "raw")) {
        const before = n.args.slice(0, -1).map(flat).map((s) => `${s}, `).join("")
        const start = column + head.length + before.length
        if (start + 1 <= WIDTH) return `${head}${before}${print(last, indent, start, tail + 1)})`
      }
      const inner = indent + 2
      const lines = n.args.map((a, i) => `${pad(inner)}${print(a, inner, inner, i < n.args.length - 1 ? 1 : 0)}`)
      return `${head}\n${lines.join(",\n")}\n${pad(indent)})`
    }
    case "chain": {
      const suffix = `.${n.method}(${n.args.map(flat).join(", ")})`
      return `${print(n.target, indent, column, tail + suffix.length)}${suffix}`
    }
  }
  return fail(`unknown node ${n.k}`)
}

/** A doc comment: text paragraphs (wrapped), then tags. */
const doc = (paragraphs, tags, indent = 0) => {
  const width = WIDTH - indent - 3
  const lines = []
  for (const paragraph of paragraphs) {
    if (lines.length > 0) lines.push("")
    let line = ""
    for (const word of paragraph.split(" ")) {
      if (line !== "" && line.length + 1 + word.length > width) {
        lines.push(line)
        line = word
      } else {
        line = line === "" ? word : `${line} ${word}`
      }
    }
    if (line !== "") lines.push(line)
  }
  if (tags.length > 0) {
    if (lines.length > 0) lines.push("")
    lines.push(...tags)
  }
  const p = pad(indent)
  if (tags.length === 0 && lines.length === 1 && indent + 7 + lines[0].length <= WIDTH) return `${p}/** ${lines[0]} */`
  return [`${p}/**`, ...lines.map((l) => (l === "" ? `${p} *` : `${p} * ${l}`)), `${p} */`].join("\n")
}
const modelTags = ["@since 0.1.0", "@category models"]

// ---------------------------------------------------------------------------------------------------------------
// The spec: admin operations and their places in the tree
// ---------------------------------------------------------------------------------------------------------------

const loadSpec = () => YAML.parse(fs.readFileSync(path.join(ROOT, SPEC), "utf8"))

const METHODS = ["get", "post", "delete", "put", "patch", "head", "options", "trace"]

const adminOperations = (spec) => {
  const out = []
  for (const [p, item] of Object.entries(spec.paths)) {
    for (const m of METHODS) {
      const op = item[m]
      if (op === undefined) continue
      if (!(op.security ?? []).some((s) => "AdminApiKeyAuth" in s)) continue
      if (!["get", "post", "delete"].includes(m)) fail(`${m.toUpperCase()} ${p}: unsupported method`)
      out.push({ method: m.toUpperCase(), path: p, op })
    }
  }
  return out
}

/** The segments of a path below the `/organization` prefix (the `/projects/...` roles paths have none). */
const relativeSegments = (p) => {
  const rel = p.startsWith("/organization/") ? p.slice("/organization".length) : p
  if (!rel.startsWith("/projects/") && rel === p) fail(`${p}: not under /organization/ nor /projects/`)
  const segments = rel.split("/").slice(1)
  if (segments.some((s) => s === "" || (!isParam(s) && !/^[a-z][a-z0-9_]*$/.test(s)))) {
    fail(`${p}: unsupported path segment`)
  }
  return segments
}

const placeOperations = (spec, operations) => {
  const byPath = new Map()
  for (const o of operations) {
    if (!byPath.has(o.path)) byPath.set(o.path, [])
    byPath.get(o.path).push(o)
  }
  const isListEnvelope = (o) => o.method === "GET" && envelopeOf(spec, o) !== undefined
  const hasItemChild = (p) => operations.some((o) => new RegExp(`^${escapeRe(p)}/\\{[^}/]+\\}$`).test(o.path))
  for (const o of operations) {
    const segments = relativeSegments(o.path)
    const last = segments[segments.length - 1]
    const fixed = segments.filter((s) => !isParam(s))
    if (isParam(last)) {
      if (segments.length < 2 || isParam(segments[segments.length - 2])) fail(`${o.path}: two ids in a row`)
      o.node = fixed
      o.name = { GET: "retrieve", POST: "update", DELETE: "delete" }[o.method]
    } else if (VERBS.includes(last)) {
      if (o.method !== "POST") fail(`${o.method} ${o.path}: a verb segment takes only POST`)
      if (segments.length < 2) fail(`${o.path}: a verb needs a parent`)
      o.node = fixed.slice(0, -1)
      o.name = last
    } else {
      const siblings = byPath.get(o.path)
      const collection = siblings.some(isListEnvelope) || hasItemChild(o.path) ||
        used(OVERRIDES.postOnlyCollections, String(OVERRIDES.postOnlyCollections.indexOf(o.path))) !== undefined
      const singleton = !collection && siblings.some((s) => s.method === "GET" || s.method === "DELETE")
      if (!collection && !singleton) {
        fail(`${o.path}: only POST, neither a collection nor a singleton (a new verb: add it to VERBS; a collection: to OVERRIDES.postOnlyCollections)`)
      }
      o.node = fixed
      if (o.method === "GET") o.name = isListEnvelope(o) ? "list" : "retrieve"
      else if (o.method === "POST") o.name = collection ? "create" : "update"
      else if (singleton) o.name = "delete"
      else fail(`DELETE ${o.path}: DELETE on a collection`)
    }
    if (o.node.length === 0) fail(`${o.path}: no resource segment`)
    o.treePath = o.node.map(camel)
    o.file = o.node.map(pascal).join("")
  }
  // one operation per (node, name), and no operation named like a child node
  const seen = new Map()
  for (const o of operations) {
    const key = [...o.treePath, o.name].join(".")
    if (seen.has(key)) fail(`${key}: both ${seen.get(key)} and ${o.method} ${o.path}`)
    seen.set(key, `${o.method} ${o.path}`)
  }
  for (const o of operations) {
    for (const other of operations) {
      if (other.treePath.length > o.treePath.length && other.treePath.slice(0, o.treePath.length).join(".") ===
          o.treePath.join(".") && other.treePath[o.treePath.length] === o.name) {
        fail(`${[...o.treePath, o.name].join(".")}: an operation and a child node`)
      }
    }
  }
  return operations
}
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

const resolve = (spec, schema) => (schema?.$ref ? spec.components.schemas[refName(schema.$ref)] : schema)

const successSchema = (o) => {
  const content = o.op.responses?.["200"]?.content?.["application/json"]
  if (content?.schema === undefined) fail(`${o.method} ${o.path}: no JSON 200 response`)
  return content.schema
}

/** For a list response: its cursor field and its item schema. */
const envelopeOf = (spec, o) => {
  const s = resolve(spec, successSchema(o))
  const props = s?.properties
  if (props?.data?.type !== "array" || props?.has_more === undefined) return undefined
  const cursors = ["next", "last_id", "next_page"].filter((c) => c in props)
  if (cursors.length !== 1) fail(`${o.method} ${o.path}: list envelope with cursor fields [${cursors}]`)
  return { cursor: cursors[0], item: props.data.items }
}
const STYLES = { next: "cursorNext", last_id: "cursorId", next_page: "pageToken" }
const CURSOR_PARAM = { cursorNext: "after", cursorId: "after", pageToken: "page" }

const queryParams = (o) => {
  const params = o.op.parameters ?? []
  for (const p of params) {
    if (p.$ref) fail(`${o.method} ${o.path}: parameter $ref`)
    if (!["query", "path"].includes(p.in)) fail(`${o.method} ${o.path}: ${p.in} parameter ${p.name}`)
  }
  const ids = (o.path.match(/\{[^}]+\}/g) ?? []).map((s) => s.slice(1, -1))
  const declared = params.filter((p) => p.in === "path").map((p) => p.name)
  if (ids.some((id) => !declared.includes(id))) fail(`${o.method} ${o.path}: undeclared path parameter`)
  return params.filter((p) => p.in === "query")
}

const requestBody = (o) => {
  const body = o.op.requestBody
  if (body === undefined) return undefined
  const content = body.content?.["application/json"]
  if (content?.schema === undefined || Object.keys(body.content).length !== 1) {
    fail(`${o.method} ${o.path}: request body other than JSON`)
  }
  if (o.method !== "POST") fail(`${o.method} ${o.path}: request body on ${o.method}`)
  return { schema: content.schema, required: body.required === true }
}

const limitRange = (o) => {
  const limit = queryParams(o).find((p) => p.name === "limit")
  if (limit === undefined) return undefined
  const id = o.op.operationId
  if (Object.hasOwn(OVERRIDES.limits, id)) return used(OVERRIDES.limits, id) ?? undefined
  const { minimum, maximum } = limit.schema ?? {}
  if (minimum !== undefined || maximum !== undefined) {
    if (minimum === undefined || maximum === undefined) fail(`${id}: limit with only one bound`)
    return { min: minimum, max: maximum }
  }
  const description = oneLine(limit.description ?? "")
  const range = /range between (\d+) and (\d+)/.exec(description)
  if (range !== null) return { min: Number(range[1]), max: Number(range[2]) }
  const maxima = [...description.matchAll(/max: (\d+)/g)].map((m) => Number(m[1]))
  if (maxima.length > 0) return { min: 1, max: Math.max(...maxima) }
  return fail(`${id}: no range for limit (add it to OVERRIDES.limits)`)
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------------------------

const ENUM_PROSE = /^`[^`]+`(?:,? `[^`]+`)*,? (?:or|and) `[^`]+`\.?$/

/** object | closedEnum (named `Schema.Literal`) | openEnum (string or known values, inlined) | envelope */
const componentKind = (spec, name) => {
  const s = spec.components.schemas[name]
  if (s === undefined) fail(`unknown component ${name}`)
  if (s.type === "string" && Array.isArray(s.enum)) return "closedEnum"
  if (isOpenEnumUnion(s.anyOf ?? s.oneOf)) return "openEnum"
  if (s.type === "object" || s.properties || s.allOf) return "object"
  return fail(`component ${name}: unsupported shape`)
}
const isOpenEnumUnion = (members) =>
  Array.isArray(members) && members.filter((m) => m.type !== "null").length === 2 &&
  members.some((m) => m.type === "string" && m.enum === undefined) &&
  members.some((m) => m.type === "string" && Array.isArray(m.enum))

/**
 * Which files use which component, in responses and in requests. Response uses always refer to the named schema;
 * a request use of a component that responses also use is inlined (request enums are closed, response enums open).
 */
const computeUsage = (spec, operations) => {
  const usage = new Map() // name -> { res: Set<file>, req: Set<file> }
  const get = (name) => {
    if (!usage.has(name)) usage.set(name, { res: new Set(), req: new Set() })
    return usage.get(name)
  }
  const walk = (schema, ctx, file, stack) => {
    if (schema === undefined || schema === null || typeof schema !== "object") return
    if (schema.$ref) {
      const name = refName(schema.$ref)
      if (stack.includes(name)) fail(`recursive schema ${[...stack, name].join(" -> ")}`)
      const u = get(name)
      if (ctx === "req" && u.res.size > 0 && componentKind(spec, name) === "object") {
        walk(spec.components.schemas[name], ctx, file, [...stack, name])
        return
      }
      if (u[ctx].has(file)) return
      u[ctx].add(file)
      walk(spec.components.schemas[name], ctx, file, [...stack, name])
      return
    }
    for (const key of ["anyOf", "oneOf", "allOf"]) for (const m of schema[key] ?? []) walk(m, ctx, file, stack)
    for (const v of Object.values(schema.properties ?? {})) walk(v, ctx, file, stack)
    if (schema.items) walk(schema.items, ctx, file, stack)
    if (typeof schema.additionalProperties === "object") walk(schema.additionalProperties, ctx, file, stack)
  }
  // responses first: they decide which components are named for responses
  for (let pass = 0; pass < 2; pass++) {
    for (const o of operations) {
      const envelope = o.method === "GET" ? envelopeOf(spec, o) : undefined
      walk(envelope ? envelope.item : successSchema(o), "res", o.file, [])
    }
  }
  for (const o of operations) {
    for (const p of queryParams(o)) walk(p.schema, "req", o.file, [])
    const body = requestBody(o)
    if (body) walk(body.schema, "req", o.file, [])
  }
  return usage
}

/** Components whose `propertyName` discriminates a union: that property is a closed literal. */
const discriminators = (spec, usage) => {
  const out = new Set()
  const walk = (s) => {
    if (Array.isArray(s)) return s.forEach(walk)
    if (s === null || typeof s !== "object") return
    if (s.discriminator && (s.oneOf || s.anyOf)) {
      for (const m of s.oneOf ?? s.anyOf) {
        if (!m.$ref) fail("discriminated union with an inline member")
        out.add(`${refName(m.$ref)}.${s.discriminator.propertyName}`)
      }
    }
    for (const v of Object.values(s)) walk(v)
  }
  for (const name of usage.keys()) walk(spec.components.schemas[name])
  return out
}

class FileModel {
  constructor(name) {
    this.name = name
    this.decls = new Map() // export name -> decl
    this.order = []
    this.uses = new Set() // "OpenEnum" | "optionalNullable" | "UnixSeconds" | "Endpoint" | "Pagination" | "Common"
  }
  add(decl) {
    if (this.decls.has(decl.name)) fail(`${this.name}: two exports named ${decl.name}`)
    this.decls.set(decl.name, decl)
    this.order.push(decl)
  }
}

const generate = () => {
  const spec = loadSpec()
  const operations = placeOperations(spec, adminOperations(spec))
  const usage = computeUsage(spec, operations)
  const discriminated = discriminators(spec, usage)
  const files = new Map()
  const fileOf = (name) => {
    if (!files.has(name)) files.set(name, new FileModel(name))
    return files.get(name)
  }
  const common = fileOf("Common")

  const homeOf = (name) => {
    const u = usage.get(name)
    const kind = componentKind(spec, name)
    const users = kind === "closedEnum" ? new Set([...u.res, ...u.req]) : u.res.size > 0 ? u.res : u.req
    return users.size > 1 ? "Common" : [...users][0]
  }
  const roleNames = new Map() // `${component}@${file}` -> { name, label }: its role name in that file
  for (const o of operations) {
    const body = requestBody(o)
    const label = `\`${o.method} ${o.path}\``
    if (body?.schema.$ref) {
      const key = `${refName(body.schema.$ref)}@${o.file}`
      roleNames.set(key, roleNames.has(key) ? null : { name: `${pascal(o.name)}Body`, label: `Body of ${label}` })
    }
    if (o.name === "delete" && successSchema(o).$ref) {
      roleNames.set(`${refName(successSchema(o).$ref)}@${o.file}`, { name: "Deleted", label: `The response of ${label}` })
    }
  }
  const roleOf = (name) => {
    if (Object.hasOwn(OVERRIDES.names, name)) return undefined
    const home = homeOf(name)
    const role = roleNames.get(`${name}@${home}`)
    const u = usage.get(name)
    if (home !== "Common" && role && (role.name === "Deleted" || (u.res.size === 0 && !anyOtherUse(name, home)))) {
      return role
    }
    return undefined
  }
  const exportName = (name) =>
    used(OVERRIDES.names, name) ?? roleOf(name)?.name ?? (name.replace(/(Resource|Response)$/, "") || name)
  // components that other used components refer to
  const nested = new Set()
  for (const other of usage.keys()) {
    for (const m of JSON.stringify(spec.components.schemas[other]).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      if (m[1] !== other) nested.add(m[1])
    }
  }
  // whether a request component has a use other than the body of one operation of its file
  const anyOtherUse = (name, file) => {
    let count = 0
    for (const o of operations) {
      if (o.file !== file) continue
      const body = requestBody(o)
      if (body?.schema.$ref && refName(body.schema.$ref) === name) count++
    }
    return count !== 1 || nested.has(name)
  }

  // --- conversion --------------------------------------------------------------------------------------------

  const emitted = new Set() // component names already declared
  const reference = (name, file) => {
    const home = homeOf(name)
    const exported = exportName(name)
    ensureComponent(name)
    const local = OVERRIDES.reexports[file.name]?.includes(exported) && used(OVERRIDES.reexports, file.name)
    if (home === file.name || local) return raw(exported)
    if (home !== "Common") fail(`${file.name} uses ${name} of ${home}`)
    file.uses.add("Common")
    return raw(`Common.${exported}`)
  }

  /** @returns {{ e: node, nullable: boolean }} */
  const convert = (schema, cx) => {
    const { file } = cx
    if (schema.$ref) {
      const name = refName(schema.$ref)
      const kind = componentKind(spec, name)
      const target = spec.components.schemas[name]
      if (kind === "openEnum") return convert(target, { ...cx, component: name, at: [] })
      if (kind === "closedEnum") {
        const ref = reference(name, file)
        if (cx.ctx === "req") return { e: ref, nullable: false }
        file.uses.add("OpenEnum")
        return { e: call("OpenEnum", raw(`...${ref.s}.literals`)), nullable: false }
      }
      if (cx.ctx === "req" && usage.get(name).res.size > 0) {
        return convert(target, { ...cx, component: name, at: [] })
      }
      return { e: reference(name, file), nullable: false }
    }
    let nullable = schema.nullable === true
    const members = schema.anyOf ?? schema.oneOf
    if (members) {
      const nonNull = members.filter((m) => m.type !== "null")
      nullable ||= nonNull.length < members.length
      if (isOpenEnumUnion(members)) {
        if (cx.ctx !== "res") fail(`${where(cx)}: open enum in a request`)
        const values = nonNull.find((m) => m.enum).enum
        file.uses.add("OpenEnum")
        return { e: call("OpenEnum", ...values.map((v) => raw(JSON.stringify(v)))), nullable }
      }
      if (nonNull.length === 1) {
        const inner = convert(nonNull[0], cx)
        return { e: inner.e, nullable: nullable || inner.nullable }
      }
      const converted = nonNull.map((m) => convert(m, cx))
      if (converted.some((c) => c.nullable)) fail(`${where(cx)}: nullable union member`)
      if (cx.ctx === "res" && schema.discriminator) {
        // Response unions stay open: a variant the spec does not know yet decodes as `UnknownVariant`.
        file.uses.add("UnknownVariant")
        return { e: S("Union", ...converted.map((c) => c.e), raw("UnknownVariant")), nullable }
      }
      return { e: S("Union", ...converted.map((c) => c.e)), nullable }
    }
    if (schema.allOf) {
      const props = []
      for (const part of schema.allOf) {
        if (part.$ref) {
          const name = refName(part.$ref)
          if (componentKind(spec, name) !== "object") fail(`${where(cx)}: allOf of a non-object`)
          props.push([null, raw(`${reference(name, file).s}.fields`)])
        } else if (part.type === "object" && part.properties) {
          props.push(...structProps(part, cx))
        } else {
          fail(`${where(cx)}: unsupported allOf member`)
        }
      }
      return { e: S("Struct", obj(props)), nullable }
    }
    if (Array.isArray(schema.type)) fail(`${where(cx)}: type list`)
    switch (schema.type) {
      case "string": {
        const key = `${cx.component}.${cx.at.join(".")}`
        let values = schema.enum
        if (values === undefined && typeof schema.description === "string" && ENUM_PROSE.test(oneLine(schema.description))) {
          if (!Object.hasOwn(OVERRIDES.enums, key)) fail(`${key}: enum in prose "${schema.description}" (add it to OVERRIDES.enums)`)
        }
        if (values === undefined) values = used(OVERRIDES.enums, key)
        if (values === undefined) return { e: raw("Schema.String"), nullable }
        const literals = values.map((v) => raw(JSON.stringify(v)))
        if (cx.ctx !== "res" || (cx.at.length === 1 && discriminated.has(key))) {
          return { e: S("Literal", ...literals), nullable }
        }
        file.uses.add("OpenEnum")
        return { e: call("OpenEnum", ...literals), nullable }
      }
      case "integer":
        if (cx.ctx !== "res") return { e: raw("Schema.Int"), nullable }
        if (schema.format === "unixtime") {
          file.uses.add("UnixSeconds")
          return { e: raw("UnixSeconds"), nullable }
        }
        return { e: raw("Schema.Number"), nullable }
      case "number":
        return { e: raw("Schema.Number"), nullable }
      case "boolean":
        return { e: raw("Schema.Boolean"), nullable }
      case "array": {
        if (schema.items === undefined) fail(`${where(cx)}: array without items`)
        const item = convert(schema.items, { ...cx, at: [...cx.at, "[]"] })
        return { e: S("Array", item.nullable ? S("NullOr", item.e) : item.e), nullable }
      }
      case "object":
      case undefined: {
        if (schema.type === undefined && !schema.properties) fail(`${where(cx)}: schema without a type`)
        if (schema.properties && Object.keys(schema.properties).length > 0) {
          return { e: inlineStruct(S("Struct", obj(structProps(schema, cx))), cx), nullable }
        }
        return { e: S("Record", obj([["key", raw("Schema.String")], ["value", raw("Schema.Unknown")]])), nullable }
      }
    }
    return fail(`${where(cx)}: unsupported type ${schema.type}`)
  }
  const where = (cx) => `${cx.file.name}: ${cx.component ?? "(inline)"}${cx.at.length ? "." + cx.at.join(".") : ""}`
  const inlineStruct = (node, cx) => {
    if (cx.at.length > 0) node.origin = `${cx.component}.${cx.at.join(".")}`
    return node
  }

  const field = (value, required, file) => {
    if (required) return value.nullable ? S("NullOr", value.e) : value.e
    if (value.nullable) {
      file.uses.add("optionalNullable")
      return call("optionalNullable", value.e)
    }
    return S("optional", value.e)
  }

  const structProps = (schema, cx, options = {}) => {
    const required = new Set(options.allOptional ? [] : schema.required ?? [])
    for (const r of required) if (!(r in (schema.properties ?? {}))) fail(`${where(cx)}: required ${r} is not a property`)
    return Object.entries(schema.properties).map(([key, prop]) => {
      const at = [...cx.at, key]
      const secret = cx.at.length === 0 && OVERRIDES.redacted[cx.component]?.includes(key) &&
        used(OVERRIDES.redacted, cx.component) !== undefined
      let value
      if (secret) {
        if (prop.type !== "string") fail(`${where(cx)}.${key}: redacted field is not a string`)
        value = { e: S("Redacted", raw("Schema.String")), nullable: false }
      } else {
        if (cx.ctx === "res" && prop.type === "string" && /^(value|secret|key|token|api_key)$/.test(key)) {
          fail(`${where(cx)}.${key}: looks like a secret (add it to OVERRIDES.redacted)`)
        }
        value = convert(prop, { ...cx, at })
      }
      const forced = options.requireNonNull?.includes(key)
      return [key, forced ? value.e : field(value, required.has(key), cx.file)]
    })
  }

  // --- declarations ------------------------------------------------------------------------------------------

  const declareStruct = (file, name, node, paragraphs, options = {}) => {
    const root = node.k === "call" && node.fn === "Schema.Struct"
    if (root) node.args[0].brk = node.args[0].props.length > 1
    const e = options.identifier && root ? chain(node, "annotations", obj([["identifier", raw(JSON.stringify(name))]])) : node
    file.add({ name, e, paragraphs, type: root ? "interface" : "type" })
  }

  function ensureComponent(name) {
    if (emitted.has(name)) return
    emitted.add(name)
    const file = fileOf(homeOf(name))
    const exported = exportName(name)
    const schema = spec.components.schemas[name]
    const kind = componentKind(spec, name)
    const u = usage.get(name)
    const ctx = kind === "object" && u.res.size === 0 ? "req" : "res"
    const cx = { file, ctx, component: name, at: [] }
    const description = shortDescription(schema.description)
    const role = roleOf(name)
    const paragraphs = []
    if (role) paragraphs.push(`${role.label} (the spec's \`${name}\`).`)
    if (description) paragraphs.push(sentence(description))
    if (!role && exported !== name) paragraphs.push(`The spec's \`${name}\`.`)
    if (kind === "closedEnum") {
      file.add({
        name: exported,
        e: S("Literal", ...schema.enum.map((v) => raw(JSON.stringify(v)))),
        paragraphs,
        type: "type"
      })
      return
    }
    if (kind !== "object") fail(`component ${name}: cannot declare a ${kind}`)
    const variants = used(OVERRIDES.bodyVariants, name)
    if (variants) {
      if (schema.allOf || !schema.properties) fail(`${name}: body variants of a non-struct`)
      const members = variants.map((fields) => {
        const copy = { ...schema, required: [...new Set([...(schema.required ?? []), ...fields])] }
        return S("Struct", obj(structProps(copy, cx, { requireNonNull: fields })))
      })
      paragraphs.push(`Requires ${variants.map((v) => v.map((f) => `\`${f}\``).join(" and ")).join(" or ")} (not null).`)
      file.add({ name: exported, e: S("Union", ...members), paragraphs, type: "type" })
      return
    }
    const { e } = convert({ ...schema, anyOf: undefined, oneOf: undefined }, cx)
    delete e.origin
    declareStruct(file, exported, e, paragraphs, { identifier: ctx === "res" && !/Body$|^Deleted$/.test(exported) })
  }

  // --- operations --------------------------------------------------------------------------------------------

  const byFile = new Map()
  for (const o of operations) {
    if (!byFile.has(o.file)) byFile.set(o.file, [])
    byFile.get(o.file).push(o)
  }
  const rank = (o) => OPERATION_ORDER.indexOf(o.name)
  for (const ops of byFile.values()) ops.sort((a, b) => rank(a) - rank(b))

  const operationNodes = new Map() // file -> [[name, node, summary]]
  for (const [fileName, ops] of [...byFile.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const file = fileOf(fileName)
    for (const name of used(OVERRIDES.reexports, fileName) ?? []) {
      const component = Object.keys(OVERRIDES.names).find((c) => OVERRIDES.names[c] === name) ?? name
      if (homeOf(component) !== "Common") fail(`${fileName}: re-export ${name} does not live in Common`)
      ensureComponent(component)
      file.uses.add("Common")
      file.add({
        name,
        e: raw(`Common.${name}`),
        paragraphs: [`${sentence(shortDescription(spec.components.schemas[component].description) ?? name)} Also \`Common.${name}\`.`],
        type: "reexport"
      })
    }
    const entries = []
    for (const o of ops) {
      const label = `\`${o.method} ${o.path}\``
      const options = []
      // the success or item schema
      const envelope = o.method === "GET" ? envelopeOf(spec, o) : undefined
      const successSpec = envelope ? envelope.item : successSchema(o)
      let success
      if (successSpec.$ref) {
        success = convert(successSpec, { file, ctx: "res", component: undefined, at: [] }).e
      } else {
        const roleName = o.name === "delete" ? "Deleted" : `${pascal(o.name)}Result`
        const e = convert(successSpec, { file, ctx: "res", component: roleName, at: [] }).e
        delete e.origin
        declareStruct(file, roleName, e, [`The response of ${label}.`])
        success = raw(roleName)
      }
      // query parameters
      const params = queryParams(o)
      let paramsNode
      if (params.length > 0) {
        const name = `${pascal(o.name)}Params`
        const cx = { file, ctx: "req", component: name, at: [] }
        const names = new Set()
        const props = params.map((p) => {
          const key = p.name.replace(/\[\]$/, "")
          if (names.has(key)) fail(`${label}: two parameters named ${key}`)
          names.add(key)
          if (p.schema === undefined) fail(`${label}: parameter ${p.name} without a schema`)
          // a query string cannot carry null: a nullable parameter (`after` of admin_api_keys) is just optional
          const value = convert(p.schema, { ...cx, at: [key] })
          return [key, field({ e: value.e, nullable: false }, p.required === true, file)]
        })
        declareStruct(file, name, S("Struct", obj(props)), [`Query parameters of ${label}.`])
        paramsNode = raw(name)
      }
      // body
      const body = requestBody(o)
      let bodyNode
      if (body) {
        if (body.schema.$ref && componentKind(spec, refName(body.schema.$ref)) === "object" &&
            usage.get(refName(body.schema.$ref)).res.size === 0) {
          const name = refName(body.schema.$ref)
          const schema = spec.components.schemas[name]
          if (!body.required && (schema.required ?? []).length > 0) {
            fail(`${label}: optional body whose schema requires fields`)
          }
          bodyNode = reference(name, file)
        } else {
          const name = `${pascal(o.name)}Body`
          const schema = resolve(spec, body.schema)
          const cx = { file, ctx: "req", component: body.schema.$ref ? refName(body.schema.$ref) : name, at: [] }
          if (!schema.properties) fail(`${label}: body without properties`)
          const e = S("Struct", obj(structProps(schema, cx, { allOptional: !body.required })))
          declareStruct(file, name, e, [`Body of ${label}.`])
          bodyNode = raw(name)
        }
      }
      // the description
      let node
      if (o.name === "list") {
        file.uses.add("Pagination")
        const style = STYLES[envelope.cursor]
        const cursor = CURSOR_PARAM[style]
        if (!params.some((p) => p.name === cursor)) fail(`${label}: list without its cursor parameter ${cursor}`)
        if (paramsNode === undefined) fail(`${label}: list without parameters`)
        options.push(["params", paramsNode], ["item", success], ["style", raw(`Pagination.${style}`)])
        const limit = limitRange(o)
        if (limit) options.push(["limit", obj([["min", raw(String(limit.min))], ["max", raw(String(limit.max))]])])
        node = call("Endpoint.list", raw(JSON.stringify(o.path)), obj(options))
      } else if (o.method === "GET" || o.method === "DELETE") {
        if (paramsNode) options.push(["params", paramsNode])
        options.push(["success", success])
        node = call(o.method === "GET" ? "Endpoint.get" : "Endpoint.del", raw(JSON.stringify(o.path)), obj(options))
      } else {
        if (params.length > 0) fail(`${label}: query parameters on POST`)
        if (bodyNode) options.push(["body", bodyNode])
        options.push(["success", success])
        if (o.name === "create") options.push(["create", raw("true")])
        node = call("Endpoint.post", raw(JSON.stringify(o.path)), obj(options))
      }
      file.uses.add("Endpoint")
      entries.push([o.name, node, shortDescription(o.op.summary)])
    }
    operationNodes.set(fileName, entries)
  }

  // --- the tree ----------------------------------------------------------------------------------------------

  const tree = { children: new Map(), file: undefined, path: [] }
  for (const o of operations) {
    let node = tree
    for (const [i, key] of o.treePath.entries()) {
      if (!node.children.has(key)) node.children.set(key, { children: new Map(), file: undefined, path: o.treePath.slice(0, i + 1) })
      node = node.children.get(key)
    }
    node.file = o.file
  }
  const sortedChildren = (node) => [...node.children.entries()].sort(([a], [b]) => a.localeCompare(b))
  /** The expression for a node inside its parent: its file's endpoints, or a plain object of its children. */
  const treeExpr = (node, imports) => {
    if (node.file !== undefined) {
      imports.add(node.file)
      return raw(`${node.file}.endpoints`)
    }
    return obj(sortedChildren(node).map(([key, child]) => [key, treeExpr(child, imports)]), true)
  }

  const basePath = (ops) => {
    const o = ops.find((x) => x.name === "list" || x.name === "create") ?? ops[0]
    const segments = o.path.split("/")
    while (isParam(segments[segments.length - 1]) || VERBS.includes(segments[segments.length - 1])) segments.pop()
    return segments.join("/")
  }

  // --- rendering ---------------------------------------------------------------------------------------------

  const outputs = new Map()
  const note = "Generated by `scripts/generate.mjs` from `spec/openai-openapi.yaml`: edit the generator, not this file."

  const hoistShapes = (file) => {
    // count inline structs by their printed form, once per distinct enclosing shape
    const counts = new Map()
    const first = new Map()
    const visit = (n, seen) => {
      if (n.k === "call" && n.fn === "Schema.Struct" && n.origin !== undefined) {
        const key = flat(n)
        counts.set(key, (counts.get(key) ?? 0) + 1)
        if (seen.has(key)) return
        seen.add(key)
        if (!first.has(key)) first.set(key, n.origin)
      }
      for (const child of children(n)) visit(child, seen)
    }
    const seen = new Set()
    for (const d of file.order) visit(d.e, seen)
    const shared = [...counts.entries()].filter(([, c]) => c > 1).map(([key]) => key)
    if (shared.length === 0) return
    const names = new Map()
    for (const key of shared) {
      const origin = first.get(key)
      const name = used(OVERRIDES.shapeNames, origin) ?? findStruct(file, key).args[0].props.map(([k]) => pascal(k)).join("")
      if (file.decls.has(name) || [...names.values()].includes(name)) fail(`${file.name}: shape name ${name} taken (${origin})`)
      names.set(key, name)
    }
    const replace = (n, top) => {
      if (!top && n.k === "call" && n.fn === "Schema.Struct" && names.has(flat(n))) return raw(names.get(flat(n)))
      if (n.k === "call") return { ...n, args: n.args.map((a) => replace(a, false)) }
      if (n.k === "obj") return { ...n, props: n.props.map(([k, v]) => [k, replace(v, false)]) }
      if (n.k === "chain") return { ...n, target: replace(n.target, top), args: n.args.map((a) => replace(a, false)) }
      return n
    }
    // hoisted shapes go before the first declaration that uses them, in dependency order
    const hoisted = new Map()
    for (const [key, name] of names) {
      const node = findStruct(file, key)
      hoisted.set(name, replace(node, true))
    }
    const order = []
    const placed = new Set()
    const place = (name) => {
      if (placed.has(name)) return
      placed.add(name)
      for (const dep of rawNames(hoisted.get(name))) if (hoisted.has(dep)) place(dep)
      order.push(name)
    }
    const decls = []
    for (const d of file.order) {
      const e = replace(d.e, true)
      for (const dep of rawNames(e)) {
        if (hoisted.has(dep) && !placed.has(dep)) {
          const before = order.length
          place(dep)
          for (const n of order.slice(before)) decls.push({ name: n, e: hoisted.get(n), type: "local" })
        }
      }
      decls.push({ ...d, e })
    }
    file.order = decls
  }
  const children = (n) => (n.k === "call" ? n.args : n.k === "obj" ? n.props.map(([, v]) => v) : n.k === "chain" ? [n.target, ...n.args] : [])
  const identifiers = (n) => rawNames(n).flatMap((s) => s.match(/[A-Za-z_$][\w$]*/g) ?? [])
  const rawNames = (n) => (n.k === "raw" ? [n.s] : children(n).flatMap(rawNames))
  const findStruct = (file, key) => {
    let found
    const visit = (n) => {
      if (found) return
      if (n.k === "call" && n.fn === "Schema.Struct" && n.origin !== undefined && flat(n) === key) found = n
      else children(n).forEach(visit)
    }
    file.order.forEach((d) => visit(d.e))
    return found
  }

  const renderDecl = (d) => {
    if (d.type === "local") return `const ${d.name} = ${print(d.e, 0, `const ${d.name} = `.length, 0)}`
    const head = `export const ${d.name} = `
    const value = `${doc(d.paragraphs, modelTags)}\n${head}${print(d.e, 0, head.length, 0)}`
    const typeDoc = doc([], modelTags)
    if (d.type === "interface") {
      return `${value}\n\n${typeDoc}\nexport interface ${d.name} extends Schema.Schema.Type<typeof ${d.name}> {}`
    }
    if (d.type === "reexport") return `${value}\n\n${typeDoc}\nexport interface ${d.name} extends ${d.e.s} {}`
    return `${value}\n\n${typeDoc}\nexport type ${d.name} = Schema.Schema.Type<typeof ${d.name}>`
  }

  const renderImports = (file, childFiles) => {
    const lines = []
    const helpers = ["OpenEnum", "optionalNullable", "UnixSeconds", "UnknownVariant"].filter((h) => file.uses.has(h))
    if (file.order.some((d) => d.type === "interface" || d.type === "type" || d.type === "local")) {
      lines.push("import * as Schema from \"effect/Schema\"")
    }
    const relative = []
    if (file.uses.has("Endpoint")) relative.push(["../Endpoint.js", "import * as Endpoint from \"../Endpoint.js\""])
    if (helpers.length > 0) {
      relative.push(["../internal/schema.js", `import { ${helpers.join(", ")} } from "../internal/schema.js"`])
    }
    if (file.uses.has("Pagination")) relative.push(["../Pagination.js", "import * as Pagination from \"../Pagination.js\""])
    if (file.uses.has("Common")) relative.push(["./Common.js", "import * as Common from \"./Common.js\""])
    for (const child of childFiles) relative.push([`./${child}.js`, `import * as ${child} from "./${child}.js"`])
    relative.sort(([a], [b]) => a.toLowerCase().localeCompare(b.toLowerCase()))
    lines.push(...relative.map(([, line]) => line))
    return lines.join("\n")
  }

  const resourceNodes = [] // [treePath, file, ops] in tree order
  const collect = (node) => {
    if (node.file !== undefined) resourceNodes.push(node)
    for (const [, child] of sortedChildren(node)) collect(child)
  }
  collect(tree)

  for (const node of resourceNodes) {
    const file = fileOf(node.file)
    const ops = byFile.get(node.file)
    const childImports = new Set()
    const childProps = sortedChildren(node).map(([key, child]) => [key, treeExpr(child, childImports)])
    const entries = operationNodes.get(node.file)
    hoistShapes(file)
    const dotted = node.path.join(".")
    const base = basePath(ops)
    const endpointsProps = [...entries.map(([name, e]) => [name, e]), ...childProps]
    // print the endpoints object with a doc comment per operation
    const lines = ["export const endpoints = {"]
    endpointsProps.forEach(([key, value], i) => {
      const summary = i < entries.length ? entries[i][2] : undefined
      if (summary) lines.push(doc([sentence(summary)], [], 2))
      const head = `  ${propKey(key)}: `
      lines.push(`${head}${print(value, 2, head.length, i < endpointsProps.length - 1 ? 1 : 0)}${i < endpointsProps.length - 1 ? "," : ""}`)
    })
    lines.push("}")
    const childNote = childProps.length > 0 ? `, and its sub-resources (${childProps.map(([k]) => `\`${k}\``).join(", ")})` : ""
    const parts = [
      `${doc([`\`${dotted}\`: the operations on \`${base}\`.`, note], ["@since 0.1.0"])}\n${renderImports(file, [...childImports].sort())}`,
      ...file.order.map(renderDecl),
      `${doc([`The operations on \`${base}\`${childNote}.`], ["@since 0.1.0", "@category endpoints"])}\n${lines.join("\n")}`
    ]
    outputs.set(`src/resources/${node.file}.ts`, parts.filter((p) => p !== "").join("\n\n") + "\n")
  }

  // Common.ts: alphabetical, each schema after the ones it uses
  hoistShapes(common)
  {
    const byName = new Map(common.order.map((d) => [d.name, d]))
    const ordered = []
    const placed = new Set()
    const place = (d) => {
      if (placed.has(d.name)) return
      placed.add(d.name)
      for (const dep of identifiers(d.e)) if (byName.has(dep) && dep !== d.name) place(byName.get(dep))
      ordered.push(d)
    }
    for (const d of [...common.order].filter((d) => d.type !== "local").sort((a, b) => a.name.localeCompare(b.name))) {
      place(d)
    }
    common.order = ordered
  }
  outputs.set(
    "src/resources/Common.ts",
    [
      `${doc(["Schemas shared by several resources.", note], ["@since 0.1.0"])}\n${renderImports(common, [])}`,
      ...common.order.map(renderDecl)
    ].join("\n\n") + "\n"
  )
  for (const name of files.keys()) {
    if (name !== "Common" && !byFile.has(name)) fail(`schemas placed in ${name}, which has no operations`)
  }

  // src/internal/endpoints.ts
  const treeImports = new Set()
  const top = treeExpr(tree, treeImports)
  outputs.set(
    "src/internal/endpoints.ts",
    [
      doc(
        [
          "The tree of endpoint descriptions that `AdminApi.make` binds. It follows the URL: drop `/organization`, each fixed path segment in camelCase is a level.",
          note
        ],
        ["@internal"]
      ) + "\n" + [...treeImports].sort().map((f) => `import * as ${f} from "../resources/${f}.js"`).join("\n"),
      `/** @internal */\nexport const endpoints = ${print(top, 0, "export const endpoints = ".length, 0)}`
    ].join("\n\n") + "\n"
  )

  // src/index.ts section
  const indexFiles = ["Common", ...resourceNodes.map((n) => n.file)]
  const indexSection = indexFiles.map((f) => {
    const node = resourceNodes.find((n) => n.file === f)
    const text = node === undefined
      ? "Schemas shared by several resources."
      : `\`${node.path.join(".")}\`: \`${basePath(byFile.get(f))}\`.`
    return `${doc([text], ["@since 0.1.0"])}\nexport * as ${f} from "./resources/${f}.js"`
  }).join("\n\n")

  // README table
  const rows = resourceNodes.map((node) => {
    const ops = byFile.get(node.file)
    const methods = ops.flatMap((o) => (o.name === "list" ? ["list", "pages", "listPage"] : [o.name]))
    const http = ops.map((o) => `\`${o.method} ${o.path}\``).join("<br>")
    return `| \`${node.path.join(".")}\` | ${methods.join(" · ")} | ${http} |`
  })
  const readmeSection = [
    `${operations.length} operations in ${resourceNodes.length} resources. A \`list\` also gives \`pages\` and \`listPage\`.`,
    "",
    "| resource | methods | HTTP |",
    "|---|---|---|",
    ...rows
  ].join("\n")

  return { outputs, indexSection, readmeSection, operations }
}

// ---------------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------------

const replaceSection = (file, text, start, end, section) => {
  const i = text.indexOf(start)
  const j = text.indexOf(end)
  if (i === -1 || j === -1 || j < i) fail(`${file}: markers ${start} / ${end} not found`)
  return `${text.slice(0, i + start.length)}\n${section}\n${text.slice(j)}`
}

const main = () => {
  const args = process.argv.slice(2)
  let out = ROOT
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out" && args[i + 1] !== undefined) out = path.resolve(args[++i])
    else fail(`unknown argument ${args[i]} (usage: node scripts/generate.mjs [--out DIR])`)
  }
  const { outputs, indexSection, readmeSection, operations } = generate()
  checkOverridesUsed()
  const index = replaceSection(
    "src/index.ts",
    fs.readFileSync(path.join(ROOT, "src/index.ts"), "utf8"),
    "// generated:resources:start",
    "// generated:resources:end",
    indexSection
  )
  const readme = replaceSection(
    "README.md",
    fs.readFileSync(path.join(ROOT, "README.md"), "utf8"),
    "<!-- api-table:start -->",
    "<!-- api-table:end -->",
    readmeSection
  )
  outputs.set("src/index.ts", index)
  outputs.set("README.md", readme)
  fs.mkdirSync(path.join(out, "src/resources"), { recursive: true })
  fs.mkdirSync(path.join(out, "src/internal"), { recursive: true })
  if (out === ROOT) {
    // resource files that no longer correspond to a node
    for (const f of fs.readdirSync(path.join(ROOT, "src/resources"))) {
      if (f.endsWith(".ts") && !outputs.has(`src/resources/${f}`)) fs.rmSync(path.join(ROOT, "src/resources", f))
    }
  }
  for (const [rel, text] of [...outputs.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    fs.writeFileSync(path.join(out, rel), text)
  }
  console.log(`generate: ${operations.length} operations, ${outputs.size - 2} generated files, in ${path.relative(process.cwd(), out) || "."}`)
}

main()
