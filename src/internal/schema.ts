/**
 * Schema helpers shared by the resource descriptions.
 *
 * @since 0.1.0
 * @internal
 */
import * as Schema from "effect/Schema"

/**
 * A response enum: the known values are documented, any other string decodes too (the server may add values).
 * Decoded as a plain string check, so an open enum costs no more than `Schema.String`.
 *
 * @internal
 */
export const OpenEnum = <const L extends ReadonlyArray<string>>(
  ...values: L
): Schema.Schema<L[number] | (string & {}), string> =>
  Schema.String.annotations({
    description: `one of ${values.map((v) => JSON.stringify(v)).join(", ")}, or another string`
  }) as Schema.Schema<L[number] | (string & {}), string>

/**
 * A field the spec marks optional and nullable: missing, `undefined` and `null` all decode.
 *
 * @internal
 */
export const optionalNullable = <A, I>(self: Schema.Schema<A, I>) => Schema.optional(Schema.NullOr(self))

/**
 * A unix timestamp in seconds, as the API sends it.
 *
 * @internal
 */
export const UnixSeconds = Schema.Number.annotations({ description: "unix timestamp (seconds)" })

/**
 * The last member of a discriminated response union: a variant the spec does not know yet (a new `object`
 * value) decodes as a record with its `object`, instead of failing the whole response.
 *
 * @internal
 */
export const UnknownVariant = Schema.Struct(
  { object: Schema.String },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
).annotations({ identifier: "UnknownVariant" })
