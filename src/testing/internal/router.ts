/**
 * The fake Admin API's normal request handling: a pure, synchronous function from a parsed
 * request and the store to a status and JSON body (mutating the store for writes).
 *
 * @since 0.1.0
 * @internal
 */
import type * as Seed from "../Seed.js"
import { hash32 } from "./hash.js"
import * as Store from "./store.js"

/**
 * @since 0.1.0
 * @category internal
 * @internal
 */
export interface Reply {
  readonly status: number
  readonly body: unknown
}

/**
 * @since 0.1.0
 * @category internal
 * @internal
 */
export interface Incoming {
  readonly method: string
  /** Raw pathname, for error messages. */
  readonly path: string
  /** Decoded segments, without the leading empty one. */
  readonly segments: ReadonlyArray<string>
  readonly query: Readonly<Record<string, ReadonlyArray<string>>>
  readonly body: unknown
}

/**
 * @since 0.1.0
 * @category internal
 * @internal
 */
export interface Env {
  /** Records a generated secret. */
  readonly mint: (secret: string) => void
  /** A random url-safe token of the given length. */
  readonly token: (length: number) => string
  /** Unix seconds. */
  readonly now: () => number
}

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

const defaultErrorType = (status: number): string =>
  status === 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error"

/**
 * @since 0.1.0
 * @category internal
 * @internal
 */
export const errorBody = (
  status: number,
  message: string,
  extra?: { type?: string; code?: string | null; param?: string | null }
): { error: { message: string; type: string; code: string | null; param: string | null } } => ({
  error: {
    message,
    type: extra?.type ?? defaultErrorType(status),
    code: extra?.code ?? null,
    param: extra?.param ?? null
  }
})

/**
 * @since 0.1.0
 * @category internal
 * @internal
 */
export const defaultFaultBody = (status: number): unknown => {
  switch (status) {
    case 400:
      return errorBody(400, "Bad request.")
    case 401:
      return errorBody(401, "Incorrect API key provided.", { code: "invalid_api_key" })
    case 403:
      return errorBody(403, "You are not allowed to perform this action.")
    case 404:
      return errorBody(404, "Not found.")
    case 409:
      return errorBody(409, "Conflict.", { code: "conflict" })
    case 429:
      return errorBody(429, "Rate limit reached for requests. Please try again later.", {
        code: "rate_limit_exceeded"
      })
    case 500:
      return errorBody(500, "The server had an error while processing your request. Sorry about that!")
    case 502:
      return errorBody(502, "Bad gateway.")
    case 503:
      return errorBody(503, "The server is overloaded or not ready yet.")
    case 504:
      return errorBody(504, "Gateway timeout.")
    default:
      return errorBody(status, `HTTP ${status}`)
  }
}

/**
 * @since 0.1.0
 * @category internal
 * @internal
 */
export const unauthorized: Reply = {
  status: 401,
  body: errorBody(401, "Incorrect API key provided.", { code: "invalid_api_key" })
}

const fail = (status: number, message: string, param: string | null = null, code: string | null = null): Reply => ({
  status,
  body: errorBody(status, message, { param, code })
})

const ok = (body: unknown): Reply => ({ status: 200, body })

const badRequest = (message: string, param: string | null): Reply => fail(400, message, param)

const notFound = (kind: string, id: string): Reply => fail(404, `No such ${kind}: ${id}`)

const invalidUrl = (req: Incoming): Reply => fail(404, `Invalid URL (${req.method} ${req.path})`)

// ---------------------------------------------------------------------------------------------
// query and body helpers
// ---------------------------------------------------------------------------------------------

const first = (req: Incoming, key: string): string | undefined => req.query[key]?.[0]

const parseIntParam = (req: Incoming, key: string): number | undefined | Reply => {
  const raw = first(req, key)
  if (raw === undefined) return undefined
  if (!/^-?\d+$/.test(raw)) return badRequest(`Invalid '${key}': expected an integer, got '${raw}'.`, key)
  return Number(raw)
}

const isReply = (u: unknown): u is Reply => typeof u === "object" && u !== null && "status" in u && "body" in u

const parseLimit = (req: Incoming, min: number, max: number, def: number): number | Reply => {
  const n = parseIntParam(req, "limit")
  if (n === undefined) return def
  if (isReply(n)) return n
  if (n < min || n > max) {
    return badRequest(`Invalid 'limit': must be between ${min} and ${max}, got ${n}.`, "limit")
  }
  return n
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const field = (body: unknown, key: string): unknown => isRecord(body) ? body[key] : undefined

const requireName = (body: unknown): string | Reply => {
  const name = field(body, "name")
  return typeof name === "string" && name.trim().length > 0
    ? name
    : badRequest("Missing required parameter: 'name'.", "name")
}

const toBase64Url = (s: string): string => Buffer.from(s, "utf8").toString("base64url")

const fromBase64Url = (s: string): string | undefined =>
  /^[A-Za-z0-9_-]*$/.test(s) ? Buffer.from(s, "base64url").toString("utf8") : undefined

// ---------------------------------------------------------------------------------------------
// list envelopes
// ---------------------------------------------------------------------------------------------

const cursorList = <A extends { readonly id: string }>(page: Store.Page<A>): Reply =>
  ok({
    object: "list",
    data: page.items,
    first_id: page.items.length > 0 ? page.items[0]!.id : null,
    last_id: page.items.length > 0 ? page.items[page.items.length - 1]!.id : null,
    has_more: page.hasMore
  })

const unknownAfter = (after: string): Reply => badRequest(`Invalid 'after': no such object: ${after}.`, "after")

/** A classic cursor-id page over an ordered collection, skipping items rejected by `keep`. */
const orderedPage = <A extends { readonly id: string }>(
  req: Incoming,
  collection: Store.Ordered<A>,
  keep: (a: A) => boolean = () => true
): Reply => {
  const limit = parseLimit(req, 1, 100, 20)
  if (isReply(limit)) return limit
  const after = first(req, "after")
  const start = Store.orderedStartAfter(collection, after)
  if (start === undefined) return unknownAfter(after!)
  const out: Array<A> = []
  const items = collection.items
  for (let i = start; i < items.length; i++) {
    const item = items[i]!
    if (!keep(item)) continue
    if (out.length === limit) return cursorList({ items: out, hasMore: true })
    out.push(item)
  }
  return cursorList({ items: out, hasMore: false })
}

// ---------------------------------------------------------------------------------------------
// organization users
// ---------------------------------------------------------------------------------------------

const listUsers = (store: Store.Store, req: Incoming): Reply => {
  const limit = parseLimit(req, 1, 100, 20)
  if (isReply(limit)) return limit
  const emailValues = [...(req.query["emails[]"] ?? []), ...(req.query["emails"] ?? [])]
  const hasFilter = req.query["emails[]"] !== undefined || req.query["emails"] !== undefined
  const after = first(req, "after")
  const page = Store.userPage(store.users, after, limit, hasFilter ? new Set(emailValues) : undefined)
  return page === undefined ? unknownAfter(after!) : cursorList(page)
}

const orgUser = (store: Store.Store, req: Incoming, id: string): Reply => {
  switch (req.method) {
    case "GET": {
      const user = Store.userGet(store.users, id)
      return user === undefined ? notFound("user", id) : ok(user)
    }
    case "POST": {
      const role = field(req.body, "role")
      if (role !== "owner" && role !== "reader") {
        return badRequest("Invalid 'role': must be one of 'owner' or 'reader'.", "role")
      }
      const user = Store.userUpdate(store.users, id, role)
      return user === undefined ? notFound("user", id) : ok(user)
    }
    case "DELETE": {
      if (!Store.userDelete(store.users, id)) return notFound("user", id)
      for (const members of store.projectUsers.values()) Store.orderedRemove(members, id)
      return ok({ object: "organization.user.deleted", id, deleted: true })
    }
    default:
      return invalidUrl(req)
  }
}

// ---------------------------------------------------------------------------------------------
// projects
// ---------------------------------------------------------------------------------------------

const createProject = (store: Store.Store, env: Env, req: Incoming): Reply => {
  const name = requireName(req.body)
  if (isReply(name)) return name
  let id = `proj_${env.token(24)}`
  while (store.projects.ordinals.has(id)) id = `proj_${env.token(24)}`
  const project: Seed.ProjectJson = {
    object: "organization.project",
    id,
    name,
    created_at: env.now(),
    archived_at: null,
    status: "active"
  }
  Store.orderedAdd(store.projects, project)
  store.projectUsers.set(id, Store.ordered([]))
  return ok(project)
}

const project = (store: Store.Store, req: Incoming, id: string): Reply => {
  const current = Store.orderedGet(store.projects, id)
  if (current === undefined) return notFound("project", id)
  switch (req.method) {
    case "GET":
      return ok(current)
    case "POST": {
      const name = requireName(req.body)
      if (isReply(name)) return name
      const updated: Seed.ProjectJson = { ...current, name }
      Store.orderedReplace(store.projects, updated)
      return ok(updated)
    }
    default:
      return invalidUrl(req)
  }
}

const archiveProject = (store: Store.Store, env: Env, id: string): Reply => {
  const current = Store.orderedGet(store.projects, id)
  if (current === undefined) return notFound("project", id)
  if (current.status === "archived") return ok(current)
  const updated: Seed.ProjectJson = { ...current, archived_at: env.now(), status: "archived" }
  Store.orderedReplace(store.projects, updated)
  return ok(updated)
}

const membersOf = (store: Store.Store, projectId: string): Store.Ordered<Seed.ProjectUserJson> => {
  let members = store.projectUsers.get(projectId)
  if (members === undefined) {
    members = Store.ordered([])
    store.projectUsers.set(projectId, members)
  }
  return members
}

const addProjectUser = (store: Store.Store, env: Env, req: Incoming, projectId: string): Reply => {
  const role = field(req.body, "role")
  if (role !== "owner" && role !== "member") {
    return badRequest("Invalid 'role': must be one of 'owner' or 'member'.", "role")
  }
  const userId = field(req.body, "user_id")
  const email = field(req.body, "email")
  let user: Seed.OrgUserJson | undefined
  if (typeof userId === "string") {
    user = Store.userGet(store.users, userId)
    if (user === undefined) return notFound("user", userId)
  } else if (typeof email === "string") {
    user = Store.userFindByEmail(store.users, email)
    if (user === undefined) return notFound("user", email)
  } else {
    return badRequest("One of 'user_id' or 'email' is required.", "user_id")
  }
  const members = membersOf(store, projectId)
  if (Store.orderedGet(members, user.id) !== undefined) {
    return fail(409, `User ${user.id} is already a member of project ${projectId}.`, "user_id", "conflict")
  }
  const added: Seed.ProjectUserJson = {
    object: "organization.project.user",
    id: user.id,
    name: user.name,
    email: user.email,
    role,
    added_at: env.now()
  }
  Store.orderedAdd(members, added)
  return ok(added)
}

const projectUser = (store: Store.Store, req: Incoming, projectId: string, userId: string): Reply => {
  const members = membersOf(store, projectId)
  const current = Store.orderedGet(members, userId)
  if (current === undefined) return notFound("user", userId)
  switch (req.method) {
    case "GET":
      return ok(current)
    case "POST": {
      const role = field(req.body, "role")
      if (role !== "owner" && role !== "member") {
        return badRequest("Invalid 'role': must be one of 'owner' or 'member'.", "role")
      }
      const updated: Seed.ProjectUserJson = { ...current, role }
      Store.orderedReplace(members, updated)
      return ok(updated)
    }
    case "DELETE":
      Store.orderedRemove(members, userId)
      return ok({ object: "organization.project.user.deleted", id: userId, deleted: true })
    default:
      return invalidUrl(req)
  }
}

const serviceAccountsOf = (store: Store.Store, projectId: string): Store.Ordered<Store.ServiceAccountJson> => {
  let accounts = store.serviceAccounts.get(projectId)
  if (accounts === undefined) {
    accounts = Store.ordered([])
    store.serviceAccounts.set(projectId, accounts)
  }
  return accounts
}

const createServiceAccount = (store: Store.Store, env: Env, req: Incoming, projectId: string): Reply => {
  const name = requireName(req.body)
  if (isReply(name)) return name
  const accounts = serviceAccountsOf(store, projectId)
  const createdAt = env.now()
  const account: Store.ServiceAccountJson = {
    object: "organization.project.service_account",
    id: `svc_acct_${env.token(24)}`,
    name,
    role: "member",
    created_at: createdAt
  }
  const value = `sk-svcacct-${env.token(48)}`
  env.mint(value)
  Store.orderedAdd(accounts, account)
  return ok({
    ...account,
    api_key: {
      object: "organization.project.service_account.api_key",
      value,
      name: "Secret Key",
      created_at: createdAt,
      id: `key_${env.token(16)}`
    }
  })
}

const serviceAccount = (store: Store.Store, req: Incoming, projectId: string, id: string): Reply => {
  const accounts = serviceAccountsOf(store, projectId)
  const current = Store.orderedGet(accounts, id)
  if (current === undefined) return notFound("service account", id)
  switch (req.method) {
    case "GET":
      return ok(current)
    case "DELETE":
      Store.orderedRemove(accounts, id)
      return ok({ object: "organization.project.service_account.deleted", id, deleted: true })
    default:
      return invalidUrl(req)
  }
}

const projects = (store: Store.Store, env: Env, req: Incoming, rest: ReadonlyArray<string>): Reply => {
  if (rest.length === 0) {
    if (req.method === "GET") {
      const includeArchived = first(req, "include_archived") === "true"
      return orderedPage(req, store.projects, (p) => includeArchived || p.status !== "archived")
    }
    if (req.method === "POST") return createProject(store, env, req)
    return invalidUrl(req)
  }
  const projectId = rest[0]!
  if (rest.length === 1) return project(store, req, projectId)
  const sub = rest[1]
  if (sub === "archive" && rest.length === 2) {
    return req.method === "POST" ? archiveProject(store, env, projectId) : invalidUrl(req)
  }
  if (sub !== "users" && sub !== "service_accounts") return invalidUrl(req)
  if (rest.length > 3) return invalidUrl(req)
  const known = ["GET", "POST", "DELETE"]
  if (!known.includes(req.method) || (rest.length === 2 && req.method === "DELETE")) return invalidUrl(req)
  if (Store.orderedGet(store.projects, projectId) === undefined) return notFound("project", projectId)
  if (sub === "users") {
    if (rest.length === 2) {
      return req.method === "GET"
        ? orderedPage(req, membersOf(store, projectId))
        : addProjectUser(store, env, req, projectId)
    }
    return projectUser(store, req, projectId, rest[2]!)
  }
  if (rest.length === 2) {
    return req.method === "GET"
      ? orderedPage(req, serviceAccountsOf(store, projectId))
      : createServiceAccount(store, env, req, projectId)
  }
  return serviceAccount(store, req, projectId, rest[2]!)
}

// ---------------------------------------------------------------------------------------------
// groups (cursor-next)
// ---------------------------------------------------------------------------------------------

const GROUP_CURSOR_PREFIX = "grpcur_"

const encodeGroupCursor = (lastId: string | null): string => GROUP_CURSOR_PREFIX + toBase64Url(lastId ?? "")

const listGroups = (store: Store.Store, req: Incoming): Reply => {
  const limit = parseLimit(req, 0, 1000, 100)
  if (isReply(limit)) return limit
  const order = first(req, "order") ?? "asc"
  if (order !== "asc" && order !== "desc") return badRequest("Invalid 'order': must be 'asc' or 'desc'.", "order")
  const raw = first(req, "after")
  let afterId: string | undefined
  if (raw !== undefined) {
    const decoded = raw.startsWith(GROUP_CURSOR_PREFIX) ? fromBase64Url(raw.slice(GROUP_CURSOR_PREFIX.length)) : undefined
    if (decoded === undefined || (decoded !== "" && !store.groups.ordinals.has(decoded))) {
      return badRequest(`Invalid 'after' cursor: ${raw}.`, "after")
    }
    afterId = decoded === "" ? undefined : decoded
  }
  const items = store.groups.items
  const data: Array<Seed.GroupJson> = []
  let hasMore: boolean
  if (order === "asc") {
    const start = Store.orderedStartAfter(store.groups, afterId)!
    for (let i = start; i < items.length && data.length < limit; i++) data.push(items[i]!)
    hasMore = start + data.length < items.length
  } else {
    const start = Store.orderedStartBefore(store.groups, afterId)!
    for (let i = start; i >= 0 && data.length < limit; i--) data.push(items[i]!)
    hasMore = start - data.length >= 0
  }
  const next = !hasMore ? null : data.length > 0 ? encodeGroupCursor(data[data.length - 1]!.id) : raw ?? encodeGroupCursor(null)
  return ok({ object: "list", data, has_more: hasMore, next })
}

const group = (store: Store.Store, req: Incoming, id: string): Reply => {
  if (req.method !== "GET") return invalidUrl(req)
  const g = Store.orderedGet(store.groups, id)
  return g === undefined ? notFound("group", id) : ok(g)
}

// ---------------------------------------------------------------------------------------------
// usage and costs (page)
// ---------------------------------------------------------------------------------------------


const PAGE_PREFIX = "page_"

const WIDTHS: Readonly<Record<string, { readonly seconds: number; readonly def: number; readonly max: number }>> = {
  "1d": { seconds: 86_400, def: 7, max: 31 },
  "1h": { seconds: 3_600, def: 24, max: 168 },
  "1m": { seconds: 60, def: 60, max: 1_440 }
}

const completionsResult = (bucket: number, width: number): unknown => {
  const scale = width / 86_400
  const h = hash32(bucket * 7919 + width)
  const input = Math.round((50_000 + (h % 200_000)) * scale)
  const cached = Math.floor(input * ((h >>> 8) % 40) / 100)
  return {
    object: "organization.usage.completions.result",
    input_tokens: input,
    output_tokens: Math.round((10_000 + (hash32(h) % 60_000)) * scale),
    input_cached_tokens: cached,
    input_audio_tokens: Math.round(((h >>> 4) % 2_000) * scale),
    output_audio_tokens: Math.round(((h >>> 12) % 1_000) * scale),
    num_model_requests: Math.max(1, Math.round((20 + (h % 500)) * scale)),
    project_id: null,
    user_id: null,
    api_key_id: null,
    model: null,
    batch: null
  }
}

const costsResult = (bucket: number): unknown => {
  const h = hash32(bucket * 104_729 + 17)
  return {
    object: "organization.costs.result",
    amount: { value: Math.round(100 + (h % 9_900)) / 100, currency: "usd" },
    line_item: null,
    project_id: null
  }
}

const usagePage = (store: Store.Store, req: Incoming, kind: "completions" | "costs"): Reply => {
  const start = parseIntParam(req, "start_time")
  if (isReply(start)) return start
  if (start === undefined) return badRequest("Missing required parameter: 'start_time'.", "start_time")
  const end = parseIntParam(req, "end_time")
  if (isReply(end)) return end
  if (end !== undefined && end <= start) return badRequest("'end_time' must be after 'start_time'.", "end_time")
  const widthName = first(req, "bucket_width") ?? "1d"
  const width = kind === "costs" ? (widthName === "1d" ? WIDTHS["1d"] : undefined) : WIDTHS[widthName]
  if (width === undefined) return badRequest(`Invalid 'bucket_width': ${widthName}.`, "bucket_width")
  const limit = kind === "costs" ? parseLimit(req, 1, 180, 7) : parseLimit(req, 1, width.max, width.def)
  if (isReply(limit)) return limit
  let total = store.usageDays * (86_400 / width.seconds)
  if (end !== undefined) total = Math.min(total, Math.ceil((end - start) / width.seconds))
  let offset = 0
  const token = first(req, "page")
  if (token !== undefined) {
    const decoded = token.startsWith(PAGE_PREFIX) ? fromBase64Url(token.slice(PAGE_PREFIX.length)) : undefined
    const m = decoded === undefined ? null : /^o(\d+)$/.exec(decoded)
    if (m === null || Number(m[1]) > total) return badRequest(`Invalid 'page': ${token}.`, "page")
    offset = Number(m[1])
  }
  const count = Math.max(0, Math.min(limit, total - offset))
  const data: Array<unknown> = []
  for (let i = offset; i < offset + count; i++) {
    const bucketStart = start + i * width.seconds
    data.push({
      object: "bucket",
      start_time: bucketStart,
      end_time: bucketStart + width.seconds,
      results: [kind === "costs" ? costsResult(i) : completionsResult(i, width.seconds)]
    })
  }
  const hasMore = offset + count < total
  return ok({
    object: "page",
    data,
    has_more: hasMore,
    next_page: hasMore ? PAGE_PREFIX + toBase64Url(`o${offset + count}`) : null
  })
}

// ---------------------------------------------------------------------------------------------
// router
// ---------------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category internal
 * @internal
 */
export const route = (store: Store.Store, env: Env, req: Incoming): Reply => {
  const s = req.segments
  if (s.length < 3 || s[0] !== "v1" || s[1] !== "organization" || s.some((seg) => seg.length === 0)) {
    return invalidUrl(req)
  }
  const rest = s.slice(2)
  switch (rest[0]) {
    case "users":
      if (rest.length === 1) return req.method === "GET" ? listUsers(store, req) : invalidUrl(req)
      if (rest.length === 2) return orgUser(store, req, rest[1]!)
      return invalidUrl(req)
    case "projects":
      return projects(store, env, req, rest.slice(1))
    case "groups":
      if (rest.length === 1) return req.method === "GET" ? listGroups(store, req) : invalidUrl(req)
      if (rest.length === 2) return group(store, req, rest[1]!)
      return invalidUrl(req)
    case "usage":
      return rest.length === 2 && rest[1] === "completions" && req.method === "GET"
        ? usagePage(store, req, "completions")
        : invalidUrl(req)
    case "costs":
      return rest.length === 1 && req.method === "GET" ? usagePage(store, req, "costs") : invalidUrl(req)
    default:
      return invalidUrl(req)
  }
}
