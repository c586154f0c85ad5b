/**
 * Organization users: `/organization/users`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Endpoint from "../Endpoint.js"
import { OpenEnum, optionalNullable, UnixSeconds } from "../internal/schema.js"
import * as Pagination from "../Pagination.js"

/**
 * A member of the organization (the spec's `User`).
 *
 * @since 0.1.0
 * @category models
 */
export const OrganizationUser = Schema.Struct({
  object: OpenEnum("organization.user"),
  id: Schema.String,
  name: optionalNullable(Schema.String),
  email: optionalNullable(Schema.String),
  role: optionalNullable(OpenEnum("owner", "reader")),
  added_at: UnixSeconds,
  is_default: Schema.optional(Schema.Boolean),
  created: Schema.optional(UnixSeconds),
  user: Schema.optional(Schema.Struct({
    object: OpenEnum("user"),
    id: Schema.String,
    email: optionalNullable(Schema.String),
    name: optionalNullable(Schema.String),
    picture: optionalNullable(Schema.String),
    enabled: optionalNullable(Schema.Boolean),
    banned: optionalNullable(Schema.Boolean),
    banned_at: optionalNullable(UnixSeconds)
  })),
  is_service_account: Schema.optional(Schema.Boolean),
  is_scale_tier_authorized_purchaser: optionalNullable(Schema.Boolean),
  is_scim_managed: Schema.optional(Schema.Boolean),
  api_key_last_used_at: optionalNullable(UnixSeconds),
  technical_level: optionalNullable(Schema.String),
  developer_persona: optionalNullable(Schema.String),
  projects: optionalNullable(Schema.Struct({
    object: OpenEnum("list"),
    data: Schema.Array(Schema.Struct({
      id: optionalNullable(Schema.String),
      name: optionalNullable(Schema.String),
      role: optionalNullable(Schema.String)
    }))
  }))
}).annotations({ identifier: "OrganizationUser" })

/**
 * @since 0.1.0
 * @category models
 */
export interface OrganizationUser extends Schema.Schema.Type<typeof OrganizationUser> {}

/**
 * Query parameters of `GET /organization/users`.
 *
 * @since 0.1.0
 * @category models
 */
export const ListParams = Schema.Struct({
  emails: Schema.optional(Schema.Array(Schema.String)),
  limit: Schema.optional(Schema.Int),
  after: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ListParams extends Schema.Schema.Type<typeof ListParams> {}

/**
 * Body of `POST /organization/users/{user_id}` (the spec's `UserRoleUpdateRequest`).
 *
 * @since 0.1.0
 * @category models
 */
export const UpdateBody = Schema.Struct({
  role: optionalNullable(Schema.Literal("owner", "reader")),
  role_id: optionalNullable(Schema.String),
  technical_level: optionalNullable(Schema.String),
  developer_persona: optionalNullable(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface UpdateBody extends Schema.Schema.Type<typeof UpdateBody> {}

/**
 * @since 0.1.0
 * @category models
 */
export const Deleted = Schema.Struct({
  object: OpenEnum("organization.user.deleted"),
  id: Schema.String,
  deleted: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Deleted extends Schema.Schema.Type<typeof Deleted> {}

/**
 * The operations on `/organization/users`.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const endpoints = {
  list: Endpoint.list("/organization/users", {
    params: ListParams,
    item: OrganizationUser,
    style: Pagination.cursorId,
    limit: { min: 1, max: 100 }
  }),
  retrieve: Endpoint.get("/organization/users/{user_id}", { success: OrganizationUser }),
  update: Endpoint.post("/organization/users/{user_id}", { body: UpdateBody, success: OrganizationUser }),
  delete: Endpoint.del("/organization/users/{user_id}", { success: Deleted })
}
