/**
 * A faster decoder for the plain shapes API responses are made of, compiled once from a schema's AST: the same
 * result as `ParseResult.decodeUnknownEither(schema)`, validating exactly as much.
 *
 * Effect's parser interprets the AST for every value (an `Either` per node, options merged per call, issue
 * bookkeeping); for structs, arrays, `NullOr`, literals, keywords and refinements this walks the AST once and
 * builds a tree of small closures that check, and copy only what must change (an object with unknown keys, a
 * transformed value): an input that is already exactly the output is returned as is, so a page of plain users
 * allocates nothing. Every other node
 * (transformations such as `Redacted`, declarations, index signatures, unions of several objects, nodes with parse
 * option annotations) is handed to Effect's own parser, so any schema compiles. When the fast path rejects a value,
 * the whole value is decoded again by Effect's parser, so a failure is exactly Effect's `ParseIssue`.
 *
 * Same output as Effect's parser with its default options (`onExcessProperty: "ignore"`, `errors: "first"`):
 * unknown properties dropped, absent optional properties absent (a value returned as is keeps its own key order).
 * `bench/decode.mjs` measures it against Effect's parser; `test/decode.test.ts` checks that both agree.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

const FAIL: unique symbol = Symbol("effect-openai-admin/decode/FAIL")
type Parser = (u: unknown) => unknown

const hasOwn = Object.prototype.hasOwnProperty

const hasParseAnnotations = (ast: AST.AST): boolean =>
  Option.isSome(AST.getParseOptionsAnnotation(ast)) || Option.isSome(AST.getDecodingFallbackAnnotation(ast))

/** Effect's own parser for one node of the tree. */
const generic = (ast: AST.AST): Parser => {
  const parse = ParseResult.decodeUnknownEither(Schema.make(ast))
  return (u) => {
    const result = parse(u)
    return Either.isRight(result) ? result.right : FAIL
  }
}

/**
 * Whether `input` has no own enumerable string keys but the `count` declared ones that were read (and nothing
 * inherited): then the input itself is exactly the output Effect's parser would build, and is returned as is.
 * Inputs are parsed JSON, which has no symbol keys.
 */
const onlyKeys = (input: object, count: number): boolean => {
  let keys = 0
  for (const key in input) {
    if (!hasOwn.call(input, key)) return false
    keys++
  }
  return keys === count
}

const isObjectLike = (ast: AST.AST): boolean => {
  while (ast._tag === "Refinement") ast = ast.from
  return ast._tag === "TypeLiteral" || ast._tag === "TupleType" || ast._tag === "Declaration" ||
    ast._tag === "Transformation" || ast._tag === "Suspend"
}

const go = (ast: AST.AST): Parser => {
  if (hasParseAnnotations(ast)) return generic(ast)
  switch (ast._tag) {
    case "StringKeyword":
      return (u) => (typeof u === "string" ? u : FAIL)
    case "NumberKeyword":
      return (u) => (typeof u === "number" ? u : FAIL)
    case "BooleanKeyword":
      return (u) => (typeof u === "boolean" ? u : FAIL)
    case "UndefinedKeyword":
    case "VoidKeyword":
      return (u) => (u === undefined ? u : FAIL)
    case "UnknownKeyword":
    case "AnyKeyword":
      return (u) => u
    case "Literal": {
      const literal = ast.literal
      return (u) => (u === literal ? u : FAIL)
    }
    case "Refinement": {
      const from = go(ast.from)
      const refinement = ast
      return (u) => {
        const a = from(u)
        return a !== FAIL && Option.isNone(refinement.filter(a, AST.defaultParseOption, refinement)) ? a : FAIL
      }
    }
    case "Union": {
      // Effect tries object members by their literal tags first: keep to unions where the order cannot matter,
      // with at most one member that is not a primitive.
      if (ast.types.filter(isObjectLike).length > 1) return generic(ast)
      const members = ast.types.map(go)
      return (u) => {
        for (let i = 0; i < members.length; i++) {
          const r = members[i]!(u)
          if (r !== FAIL) return r
        }
        return FAIL
      }
    }
    case "TupleType": {
      // Arrays only: no fixed elements, one rest element.
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return generic(ast)
      const item = go(ast.rest[0]!.type)
      return (u) => {
        if (!Array.isArray(u)) return FAIL
        const n = u.length
        let out: Array<unknown> | undefined
        for (let i = 0; i < n; i++) {
          const x = u[i]
          const v = item(x)
          if (v === FAIL) return FAIL
          if (out === undefined && v !== x) out = u.slice(0, i)
          if (out !== undefined) out.push(v)
        }
        return out ?? u
      }
    }
    case "TypeLiteral": {
      if (ast.indexSignatures.length !== 0) return generic(ast)
      const names = ast.propertySignatures.map((ps) => ps.name)
      const optional = ast.propertySignatures.map((ps) => ps.isOptional)
      const parsers = ast.propertySignatures.map((ps) => go(ps.type))
      const n = names.length
      return (u) => {
        // Effect also accepts arrays here; those go to its parser through the fallback.
        if (typeof u !== "object" || u === null || Array.isArray(u)) return FAIL
        const input = u as Record<PropertyKey, unknown>
        const out: Record<PropertyKey, unknown> = {}
        let present = 0
        let same = true
        for (let i = 0; i < n; i++) {
          const name = names[i]!
          if (optional[i] && !hasOwn.call(input, name)) continue
          const x = input[name]
          const v = parsers[i]!(x)
          if (v === FAIL) return FAIL
          out[name] = v
          present++
          if (v !== x) same = false
        }
        return same && onlyKeys(input, present) ? input : out
      }
    }
    default:
      // Transformations (Redacted, optionalWith, ...), declarations, Suspend, Enums, TemplateLiteral and the
      // remaining keywords: Effect's parser.
      return generic(ast)
  }
}

/**
 * Like `ParseResult.decodeUnknownEither(schema)`, faster on the common shapes.
 *
 * @internal
 */
export const decodeUnknownEither = <A, I>(
  schema: Schema.Schema<A, I, never>
): (u: unknown) => Either.Either<A, ParseResult.ParseIssue> => {
  const fast = go(schema.ast)
  const slow = ParseResult.decodeUnknownEither(schema)
  return (u) => {
    const a = fast(u)
    return a !== FAIL ? Either.right(a as A) : slow(u)
  }
}
