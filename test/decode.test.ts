import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, ParseResult, Schema } from "effect"
import * as Decode from "../src/internal/decode.js"
import * as Pagination from "../src/Pagination.js"
import * as AdminApiKeys from "../src/resources/AdminApiKeys.js"
import * as AuditLogs from "../src/resources/AuditLogs.js"
import * as Common from "../src/resources/Common.js"
import * as Projects from "../src/resources/Projects.js"
import * as ProjectsUsers from "../src/resources/ProjectsUsers.js"

/** Both decoders must agree: the same value on success, failure on the same inputs. */
const agree = <A, I>(name: string, schema: Schema.Schema<A, I, never>) =>
  it.each([
    ["generated code", true],
    ["closures (no new Function)", false]
  ])(`the compiled decoder (%s) agrees with Effect's parser: ${name}`, (_, generate) => {
    const fast = Decode.decodeUnknownEither(schema, { generate })
    const slow = ParseResult.decodeUnknownEither(schema)
    const valid = Arbitrary.make(Schema.encodedSchema(schema))
    // valid inputs, inputs with one field replaced by junk, and arbitrary JSON
    const junk = fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}))
    const mutated = fc.tuple(valid, fc.string({ maxLength: 12 }), junk).map(([value, key, bad]) =>
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? { ...value, [Object.keys(value)[key.length % Math.max(1, Object.keys(value).length)] ?? key]: bad, extra: 1 }
        : value
    )
    fc.assert(
      fc.property(fc.oneof(valid, mutated, fc.jsonValue()), (input) => {
        const a = fast(input)
        const b = slow(input)
        expect(Either.isRight(a)).toBe(Either.isRight(b))
        if (Either.isRight(a) && Either.isRight(b)) expect(a.right).toStrictEqual(b.right)
      }),
      { numRuns: 300, seed: 42 }
    )
  })

describe("internal/decode", () => {
  it.each([
    ["generated code", true],
    ["closures (no new Function)", false]
  ])("an input with an inherited enumerable key is copied, as Effect's parser builds it (%s)", (_, generate) => {
    const schema = Schema.Struct({ id: Schema.String, n: Schema.optional(Schema.Number) })
    const fast = Decode.decodeUnknownEither(schema, { generate })
    const slow = ParseResult.decodeUnknownEither(schema)
    const plain = { id: "a", n: 1 }
    expect(fast(plain)).toStrictEqual(Either.right(plain))
    expect(Either.getOrThrow(fast(plain))).toBe(plain) // nothing unknown: the input itself
    const inheriting: Record<string, unknown> = Object.create({ extra: 1 })
    inheriting.id = "a"
    const decoded = Either.getOrThrow(fast(inheriting))
    expect(decoded).not.toBe(inheriting)
    expect(decoded).toStrictEqual(Either.getOrThrow(slow(inheriting)))
    expect(decoded).toStrictEqual({ id: "a" })
  })

  agree("OrganizationUser", Common.OrganizationUser)
  agree("ProjectUser", ProjectsUsers.ProjectUser)
  agree("Project", Projects.Project)
  agree("a cursor-id envelope of users", Pagination.cursorId.envelope(Common.OrganizationUser))
  agree("a page envelope of usage buckets", Pagination.pageToken.envelope(Common.UsageTimeBucket))
  agree("an audit log", AuditLogs.AuditLog)
  agree("a created admin key (Redacted value)", AdminApiKeys.CreatedAdminApiKey)
  agree(
    "literals, refinements, unions with a struct, nested arrays and optional keys",
    Schema.Struct({
      kind: Schema.Literal("a", "b", 1, 2.5, true, null),
      count: Schema.Int.pipe(Schema.greaterThan(0)),
      name: Schema.optional(Schema.String.pipe(Schema.minLength(2))),
      either: Schema.Union(Schema.Literal("none"), Schema.Struct({ id: Schema.String })),
      maybe: Schema.NullOr(Schema.Struct({ ids: Schema.Array(Schema.NullOr(Schema.Number)) })),
      matrix: Schema.Array(Schema.Array(Schema.Boolean)),
      secret: Schema.optional(Schema.Redacted(Schema.String))
    })
  )
})
