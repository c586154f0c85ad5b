/**
 * Project members: `/organization/projects/{project_id}/users`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Endpoint from "../Endpoint.js"
import { OpenEnum, optionalNullable, UnixSeconds } from "../internal/schema.js"
import * as Pagination from "../Pagination.js"

/**
 * A member of a project.
 *
 * @since 0.1.0
 * @category models
 */
export const ProjectUser = Schema.Struct({
  object: OpenEnum("organization.project.user"),
  id: Schema.String,
  name: optionalNullable(Schema.String),
  email: optionalNullable(Schema.String),
  role: OpenEnum("owner", "member"),
  added_at: UnixSeconds
}).annotations({ identifier: "ProjectUser" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ProjectUser extends Schema.Schema.Type<typeof ProjectUser> {}

/**
 * Query parameters of `GET /organization/projects/{project_id}/users`.
 *
 * @since 0.1.0
 * @category models
 */
export const ListParams = Schema.Struct({
  limit: Schema.optional(Schema.Int),
  after: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ListParams extends Schema.Schema.Type<typeof ListParams> {}

const Role = Schema.Literal("owner", "member")

/**
 * Body of `POST /organization/projects/{project_id}/users`: a role, and the user by `user_id` or by `email`.
 *
 * @since 0.1.0
 * @category models
 */
export const CreateBody = Schema.Union(
  Schema.Struct({ role: Role, user_id: Schema.String, email: optionalNullable(Schema.String) }),
  Schema.Struct({ role: Role, email: Schema.String, user_id: optionalNullable(Schema.String) })
)

/**
 * @since 0.1.0
 * @category models
 */
export type CreateBody = Schema.Schema.Type<typeof CreateBody>

/**
 * Body of `POST /organization/projects/{project_id}/users/{user_id}`.
 *
 * @since 0.1.0
 * @category models
 */
export const UpdateBody = Schema.Struct({ role: optionalNullable(Role) })

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
  object: OpenEnum("organization.project.user.deleted"),
  id: Schema.String,
  deleted: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Deleted extends Schema.Schema.Type<typeof Deleted> {}

/**
 * The operations on `/organization/projects/{project_id}/users`.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const endpoints = {
  list: Endpoint.list("/organization/projects/{project_id}/users", {
    params: ListParams,
    item: ProjectUser,
    style: Pagination.cursorId,
    limit: { min: 1, max: 100 }
  }),
  create: Endpoint.post("/organization/projects/{project_id}/users", {
    body: CreateBody,
    success: ProjectUser,
    create: true
  }),
  retrieve: Endpoint.get("/organization/projects/{project_id}/users/{user_id}", { success: ProjectUser }),
  update: Endpoint.post("/organization/projects/{project_id}/users/{user_id}", {
    body: UpdateBody,
    success: ProjectUser
  }),
  delete: Endpoint.del("/organization/projects/{project_id}/users/{user_id}", { success: Deleted })
}
