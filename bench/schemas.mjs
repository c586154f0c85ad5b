// Candidate `effect/Schema` representations of the spec's `User` object
// (OpenAPI `components.schemas.User`) for the decoding micro-benchmark (scenario D).
//
// Every candidate validates the same things: required `object` ("organization.user"),
// `id` (string), `added_at` (integer); optional-and-nullable `name`, `email`, `role`
// (open enum), `api_key_last_used_at` (integer), `technical_level`, `developer_persona`,
// `is_scale_tier_authorized_purchaser` (boolean), `projects` ({object:"list", data:[{id,
// name, role}]}); optional `is_default`, `created`, `is_service_account`, `is_scim_managed`,
// `user` ({object:"user", id, email?, name?, picture?, enabled?, banned?, banned_at?}).
// Unknown fields are ignored (dropped from the output, the Schema default).
import { Schema } from "effect"

// ---------------------------------------------------------------------------------------
// Field shapes, parameterised by how "optional and nullable" is spelled.
// ---------------------------------------------------------------------------------------

/** `owner` | `reader` | any other string: an open enum. */
export const RoleUnion = Schema.Union(Schema.Literal("owner", "reader"), Schema.String)
/** The same set of values, spelled as the plain string it is (TS collapses the union anyway). */
export const RoleString = Schema.String.annotations({ description: "`owner` or `reader` (open enum)" })

const fields = (optNull, role) => {
  const ProjectRef = Schema.Struct({
    id: optNull(Schema.String),
    name: optNull(Schema.String),
    role: optNull(Schema.String)
  })
  const Projects = Schema.Struct({
    object: Schema.Literal("list"),
    data: Schema.Array(ProjectRef)
  })
  const NestedUser = Schema.Struct({
    object: Schema.Literal("user"),
    id: Schema.String,
    email: optNull(Schema.String),
    name: optNull(Schema.String),
    picture: optNull(Schema.String),
    enabled: optNull(Schema.Boolean),
    banned: optNull(Schema.Boolean),
    banned_at: optNull(Schema.Int)
  })
  return {
    object: Schema.Literal("organization.user"),
    id: Schema.String,
    name: optNull(Schema.String),
    email: optNull(Schema.String),
    role: optNull(role),
    added_at: Schema.Int,
    is_default: Schema.optional(Schema.Boolean),
    created: Schema.optional(Schema.Int),
    user: Schema.optional(NestedUser),
    is_service_account: Schema.optional(Schema.Boolean),
    is_scale_tier_authorized_purchaser: optNull(Schema.Boolean),
    is_scim_managed: Schema.optional(Schema.Boolean),
    api_key_last_used_at: optNull(Schema.Int),
    technical_level: optNull(Schema.String),
    developer_persona: optNull(Schema.String),
    projects: optNull(Projects)
  }
}

/** `field?: X | null` kept as is: Type = Encoded, no transformation. */
const optionalNullOr = (s) => Schema.optional(Schema.NullOr(s))
/** `field?: X | null` decoded to `field?: X` (null dropped): a transformation. */
const optionalWithNullable = (s) => Schema.optionalWith(s, { nullable: true })

export const UserStructNullOr = Schema.Struct(fields(optionalNullOr, RoleString))
export const UserStructNullOrRoleUnion = Schema.Struct(fields(optionalNullOr, RoleUnion))
export const UserStructOptionalWith = Schema.Struct(fields(optionalWithNullable, RoleString))
export class UserClass extends Schema.Class("UserClass")(fields(optionalNullOr, RoleString)) {}

const envelope = (User) =>
  Schema.Struct({
    object: Schema.Literal("list"),
    data: Schema.Array(User),
    first_id: Schema.optional(Schema.NullOr(Schema.String)),
    last_id: Schema.optional(Schema.NullOr(Schema.String)),
    has_more: Schema.Boolean
  })

export const PageStructNullOr = envelope(UserStructNullOr)
export const PageStructOptionalWith = envelope(UserStructOptionalWith)
export const PageClass = envelope(UserClass)
/** Users as `optional(NullOr)`, but `last_id` as `optionalWith(String, { nullable: true })`. */
export const PageLastIdOptionalWith = Schema.Struct({
  data: Schema.Array(UserStructNullOr),
  has_more: Schema.Boolean,
  last_id: Schema.optionalWith(Schema.String, { nullable: true })
})
/** The envelope alone, users left `unknown` (to decode them one by one afterwards). */
export const PageShell = envelope(Schema.Unknown)
