// Decoders compiled from a schema's AST, for scenario D.
//
// `compileDecodeUnknownEither` is the library's own decoder (`src/internal/decode.ts`, built to `dist/`): a drop-in
// for `ParseResult.decodeUnknownEither(schema)` that validates exactly as much, several times cheaper. The
// bench measures the very code the library runs, so it is imported, not copied. `compileValidateUnknownEither`
// below is an experiment the library does not use: the same checks without building an output (unknown fields
// kept, the parsed JSON returned as is).
import { Either, Option, ParseResult, Schema, SchemaAST as AST } from "effect"
import { decodeUnknownEither } from "../dist/internal/decode.js"

const hasOwn = Object.prototype.hasOwnProperty
const IntSchemaId = Schema.IntSchemaId

/** Whether `ast` carries an annotation that changes how Effect parses it. */
const hasParseAnnotations = (ast) =>
  Option.isSome(AST.getParseOptionsAnnotation(ast)) || Option.isSome(AST.getDecodingFallbackAnnotation(ast))

const isObjectLike = (ast) => {
  while (ast._tag === "Refinement") ast = ast.from
  return ast._tag === "TypeLiteral" || ast._tag === "TupleType" || ast._tag === "Declaration" ||
    ast._tag === "Transformation" || ast._tag === "Suspend"
}

/** Like `ParseResult.decodeUnknownEither(schema)`: `Either<A, ParseIssue>` (the library's decoder). */
export const compileDecodeUnknownEither = decodeUnknownEither

/** Like `Schema.decodeUnknownSync(schema)`: the value, or throws Effect's `ParseError`. */
export const compileDecodeUnknownSync = (schema) => {
  const decode = decodeUnknownEither(schema)
  const slow = Schema.decodeUnknownSync(schema)
  return (u) => {
    const result = decode(u)
    return Either.isRight(result) ? result.right : slow(u)
  }
}

// ---------------------------------------------------------------------------------------
// Validation only: the same checks, no copy.
// ---------------------------------------------------------------------------------------

const guard = (ast) => {
  if (hasParseAnnotations(ast)) return undefined
  switch (ast._tag) {
    case "StringKeyword":
      return (u) => typeof u === "string"
    case "NumberKeyword":
      return (u) => typeof u === "number"
    case "BooleanKeyword":
      return (u) => typeof u === "boolean"
    case "UndefinedKeyword":
    case "VoidKeyword":
      return (u) => u === undefined
    case "UnknownKeyword":
    case "AnyKeyword":
      return () => true
    case "Literal": {
      const literal = ast.literal
      return (u) => u === literal
    }
    case "Refinement": {
      const from = guard(ast.from)
      if (from === undefined) return undefined
      if (AST.getSchemaIdAnnotation(ast).pipe(Option.contains(IntSchemaId))) {
        return (u) => from(u) && Number.isSafeInteger(u)
      }
      const filter = ast.filter
      return (u) => from(u) && Option.isNone(filter(u, AST.defaultParseOption, ast))
    }
    case "Union": {
      if (ast.types.filter(isObjectLike).length > 1) return undefined
      const members = ast.types.map(guard)
      if (members.some((m) => m === undefined)) return undefined
      return (u) => {
        for (let i = 0; i < members.length; i++) if (members[i](u)) return true
        return false
      }
    }
    case "TupleType": {
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return undefined
      const item = guard(ast.rest[0].type)
      if (item === undefined) return undefined
      return (u) => {
        if (!Array.isArray(u)) return false
        for (let i = 0; i < u.length; i++) if (!item(u[i])) return false
        return true
      }
    }
    case "TypeLiteral": {
      if (ast.indexSignatures.length !== 0) return undefined
      if (ast.propertySignatures.length === 0) return (u) => u !== null && u !== undefined
      const names = ast.propertySignatures.map((ps) => ps.name)
      const optional = ast.propertySignatures.map((ps) => ps.isOptional)
      const guards = ast.propertySignatures.map((ps) => guard(ps.type))
      if (guards.some((g) => g === undefined)) return undefined
      const n = names.length
      return (u) => {
        if (typeof u !== "object" || u === null || Array.isArray(u)) return false
        for (let i = 0; i < n; i++) {
          const name = names[i]
          if (optional[i] && !hasOwn.call(u, name)) continue
          if (!guards[i](u[name])) return false
        }
        return true
      }
    }
    default:
      return undefined
  }
}

/**
 * For schemas without transformations (decoding = checking): checks the input in place
 * and returns it as is, unknown properties included (Effect's parser would drop them, and
 * copy everything). Falls back to `compileDecodeUnknownEither` for any other schema.
 */
export const compileValidateUnknownEither = (schema) => {
  const check = guard(schema.ast)
  if (check === undefined) return compileDecodeUnknownEither(schema)
  const slow = ParseResult.decodeUnknownEither(schema)
  return (u) => (check(u) ? Either.right(u) : slow(u))
}
