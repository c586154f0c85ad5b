// Deterministic, spec-complete `User` objects (OpenAPI `components.schemas.User`),
// generated on the fly from their index. Shared by the fake server (bench/server.mjs)
// and the decoding micro-benchmark (bench/decode.mjs).

const ROLES = ["owner", "reader", "reader", "reader", "reader", "reader", "reader", "billing"] // open enum
const LEVELS = ["beginner", "intermediate", "advanced", null]
const PERSONAS = ["builder", "researcher", "admin", "hobbyist", null]
const PROJECT_ROLES = ["owner", "member", "viewer"]

/** The id of the user at `index`: fixed width so that ids sort like indexes. */
export const userId = (index) => "user-" + String(index).padStart(9, "0")

/** The index of the user with id `id`, or -1 when `id` is not one of ours. */
export const userIndex = (id) => {
  if (typeof id !== "string" || id.length !== 14 || !id.startsWith("user-")) return -1
  const n = Number(id.slice(5))
  return Number.isInteger(n) && n >= 0 ? n : -1
}

/** The user at `index`: every field of the spec present, some of them `null`. */
export const makeUser = (index) => {
  const i = index
  const projectCount = i % 4 // 0..3 projects
  const projects = []
  for (let p = 0; p < projectCount; p++) {
    const k = (i + p * 7) % 50
    projects.push({
      id: "proj_" + String(k).padStart(6, "0"),
      name: k % 9 === 0 ? null : "Project " + k,
      role: PROJECT_ROLES[(i + p) % 3]
    })
  }
  const name = i % 13 === 0 ? null : "User Number " + i
  const email = i % 17 === 0 ? null : "user" + i + "@example.com"
  return {
    object: "organization.user",
    id: userId(i),
    name,
    email,
    role: ROLES[i % ROLES.length],
    added_at: 1_700_000_000 + i,
    is_default: i === 0,
    created: 1_690_000_000 + i,
    user: {
      object: "user",
      id: "u_" + i.toString(36).padStart(8, "0"),
      email,
      name,
      picture: i % 3 === 0 ? null : "https://example.com/avatars/" + i + ".png",
      enabled: i % 101 !== 0,
      banned: i % 211 === 0,
      banned_at: i % 211 === 0 ? 1_720_000_000 + i : null
    },
    is_service_account: i % 50 === 0,
    is_scale_tier_authorized_purchaser: i % 3 === 0 ? null : i % 2 === 0,
    is_scim_managed: i % 4 === 0,
    api_key_last_used_at: i % 5 === 0 ? null : 1_710_000_000 + i,
    technical_level: LEVELS[i % LEVELS.length],
    developer_persona: PERSONAS[i % PERSONAS.length],
    projects: i % 11 === 0 ? null : { object: "list", data: projects }
  }
}

/**
 * The `UserListResponse` envelope for `limit` users starting at index `start`,
 * out of `total` users.
 */
export const makePage = (start, limit, total) => {
  const end = Math.min(total, start + limit)
  const data = []
  for (let i = start; i < end; i++) data.push(makeUser(i))
  return {
    object: "list",
    data,
    first_id: data.length > 0 ? data[0].id : null,
    last_id: data.length > 0 ? data[data.length - 1].id : null,
    has_more: end < total
  }
}

/** Sum of `added_at` over the first `total` users: the checksum every contender must reach. */
export const expectedChecksum = (total) => 1_700_000_000 * total + (total * (total - 1)) / 2
