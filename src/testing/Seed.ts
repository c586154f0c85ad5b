/**
 * Seed data for the fake Admin API server: the JSON shapes the server stores and serves, a small
 * hand-written organization, and deterministic generators for large ones.
 *
 * @since 0.1.0
 */
import { hash32 } from "./internal/hash.js"

/**
 * An organization user as the API returns it (`organization.user`).
 *
 * @since 0.1.0
 * @category models
 */
export interface OrgUserJson {
  readonly object: "organization.user"
  readonly id: string
  readonly name: string
  readonly email: string
  readonly role: "owner" | "reader"
  /** Unix seconds. */
  readonly added_at: number
  /** Unix seconds of the user's last API key use, null if never (see `withKeyUsage`). */
  readonly api_key_last_used_at?: number | null
}

/**
 * A project as the API returns it (`organization.project`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ProjectJson {
  readonly object: "organization.project"
  readonly id: string
  readonly name: string
  /** Unix seconds. */
  readonly created_at: number
  /** Unix seconds, or null while the project is active. */
  readonly archived_at: number | null
  readonly status: "active" | "archived"
}

/**
 * A project member as the API returns it (`organization.project.user`). Its `id`, `name` and
 * `email` are those of the organization user.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProjectUserJson {
  readonly object: "organization.project.user"
  readonly id: string
  readonly name: string
  readonly email: string
  readonly role: "owner" | "member"
  /** Unix seconds. */
  readonly added_at: number
}

/**
 * An organization group as the groups list returns it.
 *
 * @since 0.1.0
 * @category models
 */
export interface GroupJson {
  readonly object: "group"
  readonly id: string
  readonly name: string
  /** Unix seconds. */
  readonly created_at: number
  readonly is_scim_managed: boolean
  /** Required by the current spec's `GroupResponse`; the generators always set it to `"group"`. */
  readonly group_type?: "group" | "tenant_group"
}

/**
 * The whole initial state of a fake organization.
 *
 * @since 0.1.0
 * @category models
 */
export interface Seed {
  /** Organization users, in list order. */
  readonly users: ReadonlyArray<OrgUserJson>
  /** Projects (active and archived), in list order. */
  readonly projects: ReadonlyArray<ProjectJson>
  /** Members of each project, keyed by project id, in list order. */
  readonly projectUsers: Readonly<Record<string, ReadonlyArray<ProjectUserJson>>>
  /** Groups, in ascending list order. */
  readonly groups: ReadonlyArray<GroupJson>
  /** Number of days of usage and cost data, counted from the requested `start_time`. */
  readonly usageDays: number
}

// ---------------------------------------------------------------------------------------------
// small
// ---------------------------------------------------------------------------------------------

const T0 = 1_704_067_200 // 2024-01-01T00:00:00Z

const user = (
  id: string,
  name: string,
  email: string,
  role: OrgUserJson["role"],
  added_at: number
): OrgUserJson => ({ object: "organization.user", id, name, email, role, added_at })

const member = (u: OrgUserJson, role: ProjectUserJson["role"], added_at: number): ProjectUserJson => ({
  object: "organization.project.user",
  id: u.id,
  name: u.name,
  email: u.email,
  role,
  added_at
})

const smallUsers: ReadonlyArray<OrgUserJson> = [
  user("user_ada", "Ada Lovelace", "ada@example.com", "owner", T0),
  user("user_grace", "Grace Hopper", "grace@example.com", "reader", T0 + 3_600),
  user("user_alan", "Alan Turing", "alan@example.com", "reader", T0 + 7_200),
  user("user_katherine", "Katherine Johnson", "katherine@example.com", "owner", T0 + 10_800),
  user("user_edsger", "Edsger Dijkstra", "edsger@example.com", "reader", T0 + 14_400)
]

const smallProjects: ReadonlyArray<ProjectJson> = [
  {
    object: "organization.project",
    id: "proj_alpha",
    name: "Alpha",
    created_at: T0 + 86_400,
    archived_at: null,
    status: "active"
  },
  {
    object: "organization.project",
    id: "proj_beta",
    name: "Beta",
    created_at: T0 + 2 * 86_400,
    archived_at: null,
    status: "active"
  }
]

/**
 * A small organization: 5 users (2 owners), 2 active projects (`proj_alpha` with 3 members,
 * `proj_beta` with 2), 3 groups and 3 days of usage.
 *
 * @since 0.1.0
 * @category seeds
 */
export const small: Seed = {
  users: smallUsers,
  projects: smallProjects,
  projectUsers: {
    proj_alpha: [
      member(smallUsers[0]!, "owner", T0 + 86_400),
      member(smallUsers[1]!, "member", T0 + 86_400 + 60),
      member(smallUsers[2]!, "member", T0 + 86_400 + 120)
    ],
    proj_beta: [
      member(smallUsers[3]!, "owner", T0 + 2 * 86_400),
      member(smallUsers[4]!, "member", T0 + 2 * 86_400 + 60)
    ]
  },
  groups: [
    { object: "group", id: "group_engineering", name: "Engineering", created_at: T0 + 300, is_scim_managed: false, group_type: "group" },
    { object: "group", id: "group_sales", name: "Sales", created_at: T0 + 600, is_scim_managed: true, group_type: "group" },
    { object: "group", id: "group_support", name: "Support", created_at: T0 + 900, is_scim_managed: false, group_type: "group" }
  ],
  usageDays: 3
}

// ---------------------------------------------------------------------------------------------
// generators
// ---------------------------------------------------------------------------------------------

const FIRST_NAMES: ReadonlyArray<string> = [
  "Ada", "Alan", "Alice", "Amara", "Ana", "Ben", "Bianca", "Carlos", "Chen", "Chloe", "Daniel", "Dmitri",
  "Elena", "Emeka", "Emma", "Fatima", "Felix", "Grace", "Hana", "Hiro", "Ines", "Isaac", "Jamal", "Jia",
  "Jonas", "Julia", "Kai", "Katherine", "Lars", "Layla", "Leo", "Lucia", "Maya", "Mateo", "Mei", "Nadia",
  "Noah", "Olga", "Omar", "Priya", "Quentin", "Rafael", "Rosa", "Sami", "Sofia", "Tariq", "Uma", "Victor",
  "Wen", "Yara", "Yusuf", "Zoe"
]

const LAST_NAMES: ReadonlyArray<string> = [
  "Adeyemi", "Almeida", "Andersen", "Bauer", "Becker", "Castillo", "Chen", "Costa", "Dubois", "Eriksson",
  "Fernandez", "Fischer", "Garcia", "Gupta", "Hansen", "Hoffmann", "Ibrahim", "Ito", "Jensen", "Kim",
  "Kowalski", "Kumar", "Larsen", "Lopez", "Martin", "Meyer", "Moreau", "Nakamura", "Nguyen", "Novak",
  "Okafor", "Olsen", "Park", "Patel", "Petrov", "Rossi", "Sato", "Schmidt", "Silva", "Singh", "Tanaka",
  "Thompson", "Vargas", "Wagner", "Wang", "Weber", "Williams", "Yamamoto", "Zhang", "Zimmermann"
]

const PROJECT_ADJECTIVES: ReadonlyArray<string> = [
  "Apollo", "Aurora", "Blue", "Cobalt", "Crimson", "Delta", "Ember", "Falcon", "Granite", "Helix", "Indigo",
  "Juniper", "Krypton", "Lunar", "Meridian", "Nimbus", "Orion", "Polar", "Quartz", "Radiant", "Summit",
  "Titan", "Umbra", "Vector", "Willow", "Zenith"
]

const PROJECT_NOUNS: ReadonlyArray<string> = [
  "Analytics", "Assistant", "Billing", "Chatbot", "Classifier", "Copilot", "Dashboard", "Embeddings",
  "Evaluator", "Gateway", "Insights", "Moderation", "Pipeline", "Research", "Search", "Summarizer",
  "Support", "Translator", "Workbench"
]

const GROUP_NAMES: ReadonlyArray<string> = [
  "Engineering", "Sales", "Support", "Research", "Finance", "Legal", "Marketing", "Design", "Security",
  "Operations", "Data Science", "Platform", "Infrastructure", "People", "Product", "Partnerships"
]

const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

/** mulberry32: a small, fast, deterministic 32-bit PRNG returning floats in [0, 1). */
const prng = (seed: number): () => number => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}


const pick = <A>(items: ReadonlyArray<A>, r: number): A => items[Math.floor(r * items.length) % items.length]!

const randomId = (rand: () => number, prefix: string, length: number): string => {
  let out = prefix
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(rand() * ALPHABET.length)]
  return out
}

const emailPart = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, "")

/** Width of the zero-padded index in generated user ids. */
const INDEX_WIDTH = 7

/**
 * The user at `index` of a lazily generated organization (the server's `userCount` mode). Ids are
 * `user-` followed by the zero-padded index (`user-0000042`), so their order is the index order;
 * emails end with `.<index>@example.com`. User 0 and every 50th user are owners.
 *
 * @since 0.1.0
 * @category generators
 */
export const generatedUser = (index: number): OrgUserJson => {
  const h = hash32(index + 0x9e3779b9)
  const first = FIRST_NAMES[h % FIRST_NAMES.length]!
  const last = LAST_NAMES[hash32(h) % LAST_NAMES.length]!
  return {
    object: "organization.user",
    id: `user-${String(index).padStart(INDEX_WIDTH, "0")}`,
    name: `${first} ${last}`,
    email: `${emailPart(first)}.${emailPart(last)}.${index}@example.com`,
    role: index % 50 === 0 ? "owner" : "reader",
    added_at: T0 + index * 7
  }
}

/**
 * Options of `generate`.
 *
 * @since 0.1.0
 * @category models
 */
export interface GenerateOptions {
  /** Number of organization users. */
  readonly users: number
  /** Number of projects (roughly one in eight after the first is archived). */
  readonly projects: number
  /** Number of groups (default 3). */
  readonly groups?: number
  /** PRNG seed (default 1): the same options always give the same data. */
  readonly seed?: number
  /** Days of usage data (default 7). */
  readonly usageDays?: number
}

/**
 * A deterministic pseudo-random organization: realistic names and unique emails, mostly
 * `reader` users with a few owners (the first user is always an owner), and for each project a
 * random subset of the users as members (the first member is an owner, a few others too).
 *
 * @since 0.1.0
 * @category generators
 */
export const generate = (options: GenerateOptions): Seed => {
  const rand = prng(options.seed ?? 1)
  const userCount = Math.max(0, Math.floor(options.users))
  const projectCount = Math.max(0, Math.floor(options.projects))
  const groupCount = Math.max(0, Math.floor(options.groups ?? 3))

  const users: Array<OrgUserJson> = []
  const ids = new Set<string>()
  const emails = new Set<string>()
  let t = T0
  for (let i = 0; i < userCount; i++) {
    let id = randomId(rand, "user_", 24)
    while (ids.has(id)) id = randomId(rand, "user_", 24)
    ids.add(id)
    const first = pick(FIRST_NAMES, rand())
    const last = pick(LAST_NAMES, rand())
    const local = `${emailPart(first)}.${emailPart(last)}`
    let email = `${local}@example.com`
    for (let n = 2; emails.has(email); n++) email = `${local}${n}@example.com`
    emails.add(email)
    t += 60 + Math.floor(rand() * 86_400)
    users.push(user(id, `${first} ${last}`, email, i === 0 || rand() < 0.08 ? "owner" : "reader", t))
  }

  const projects: Array<ProjectJson> = []
  const projectUsers: Record<string, ReadonlyArray<ProjectUserJson>> = {}
  let pt = T0 + 3_600
  for (let p = 0; p < projectCount; p++) {
    let id = randomId(rand, "proj_", 24)
    while (ids.has(id)) id = randomId(rand, "proj_", 24)
    ids.add(id)
    pt += 3_600 + Math.floor(rand() * 7 * 86_400)
    const archived = p > 0 && rand() < 0.125
    const archivedAt = archived ? pt + 86_400 + Math.floor(rand() * 30 * 86_400) : null
    projects.push({
      object: "organization.project",
      id,
      name: `${pick(PROJECT_ADJECTIVES, rand())} ${pick(PROJECT_NOUNS, rand())}`,
      created_at: pt,
      archived_at: archivedAt,
      status: archived ? "archived" : "active"
    })
    // a random subset of the users, in organization order
    const size = userCount === 0 ? 0 : Math.min(userCount, 1 + Math.floor(rand() * Math.min(userCount, 24)))
    const chosen = new Set<number>()
    while (chosen.size < size) chosen.add(Math.floor(rand() * userCount))
    const members = Array.from(chosen).sort((a, b) => a - b)
    projectUsers[id] = members.map((index, k) => {
      const u = users[index]!
      return member(u, k === 0 || rand() < 0.15 ? "owner" : "member", Math.max(pt, u.added_at) + 60 * (k + 1))
    })
  }

  const groups: Array<GroupJson> = []
  let gt = T0 + 600
  for (let g = 0; g < groupCount; g++) {
    let id = randomId(rand, "group_", 24)
    while (ids.has(id)) id = randomId(rand, "group_", 24)
    ids.add(id)
    gt += 600 + Math.floor(rand() * 86_400)
    const base = GROUP_NAMES[g % GROUP_NAMES.length]!
    groups.push({
      object: "group",
      id,
      name: g < GROUP_NAMES.length ? base : `${base} ${Math.floor(g / GROUP_NAMES.length) + 1}`,
      created_at: gt,
      is_scim_managed: rand() < 0.25,
      group_type: "group"
    })
  }

  return { users, projects, projectUsers, groups, usageDays: Math.max(0, Math.floor(options.usageDays ?? 7)) }
}

const DAY = 86_400

/**
 * The seed with each user's `api_key_last_used_at` set relative to `nowSeconds` (taken at midnight UTC, so the
 * data is stable for a day), deterministically: about one user in ten never used a key, about a quarter have not
 * used one for more than 90 days, the rest within the last 90 days (never before the user was added).
 *
 * @since 0.1.0
 * @category generators
 */
export const withKeyUsage = (seed: Seed, nowSeconds: number): Seed => {
  const today = Math.floor(nowSeconds / DAY) * DAY
  const users = seed.users.map((user, i): OrgUserJson => {
    const h = hash32(i + 1)
    const bucket = h % 100
    const lastUsed = bucket < 10
      ? null
      : bucket < 35
      ? today - (91 + (h >>> 8) % 300) * DAY + ((h >>> 4) % DAY)
      : today - ((h >>> 8) % 90) * DAY + ((h >>> 4) % DAY)
    return { ...user, api_key_last_used_at: lastUsed === null ? null : Math.max(lastUsed, user.added_at) }
  })
  return { ...seed, users }
}
