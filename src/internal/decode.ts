/**
 * A faster decoder for the plain shapes API responses are made of, compiled once from a schema's AST: the same
 * result as `ParseResult.decodeUnknownEither(schema)`, validating exactly as much.
 *
 * Effect's parser interprets the AST for every value (an `Either` per node, options merged per call, issue
 * bookkeeping); for structs, arrays, unions, literals, keywords and refinements this walks the AST once and builds
 * code that checks, and copies only what must change (an object with unknown keys, a transformed value): an input
 * that is already exactly the output is returned as is, so a page of plain users allocates nothing. That code is a
 * generated function per struct, array and union where the runtime allows `new Function`, else a tree of small
 * closures (see below). Every other node
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
 * Whether `input` has no enumerable string keys, own or inherited, but the `count` declared ones that were read:
 * then the input itself is exactly the output Effect's parser would build, and is returned as is. An inherited
 * enumerable key counts like an unknown one (the input is copied). Counting, not asking `hasOwnProperty` of each
 * key: that call per key was half of the decoding time of a page of users (an unknown key makes the count too
 * high all the same). Inputs are parsed JSON, which has no symbol keys.
 */
const onlyKeys = (input: object, count: number): boolean => {
  let keys = 0
  for (const _ in input) keys++
  return keys === count
}

/**
 * The copy a struct's value starts as when it cannot be its input: its present declared properties before index
 * `upTo`, as they are in `input` (their values were their inputs), then `value` at `upTo`.
 */
const copier = (ast: AST.TypeLiteral) => {
  const names = ast.propertySignatures.map((ps) => ps.name)
  const optional = ast.propertySignatures.map((ps) => ps.isOptional)
  const n = names.length
  return (input: Record<PropertyKey, unknown>, upTo: number, value: unknown): Record<PropertyKey, unknown> => {
    const out: Record<PropertyKey, unknown> = {}
    for (let i = 0; i < upTo; i++) {
      const name = names[i]!
      if (!optional[i] || hasOwn.call(input, name)) out[name] = input[name]
    }
    if (upTo < n) out[names[upTo]!] = value
    return out
  }
}

const isObjectLike = (ast: AST.AST): boolean => {
  while (ast._tag === "Refinement") ast = ast.from
  return ast._tag === "TypeLiteral" || ast._tag === "TupleType" || ast._tag === "Declaration" ||
    ast._tag === "Transformation" || ast._tag === "Suspend"
}

/**
 * Whether a union can be decoded by trying its members in order: Effect tries object members by their literal tags
 * first, so keep to unions with at most one member that is not a primitive, where the order cannot matter.
 */
const inOrder = (ast: AST.Union): boolean => ast.types.filter(isObjectLike).length <= 1

/** Whether a value of the refinement's base type passes its filter. */
const holds = (refinement: AST.Refinement) => (a: unknown): boolean =>
  Option.isNone(refinement.filter(a, AST.defaultParseOption, refinement))

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
      const passes = holds(ast)
      return (u) => {
        const a = from(u)
        return a !== FAIL && passes(a) ? a : FAIL
      }
    }
    case "Union": {
      if (!inOrder(ast)) return generic(ast)
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
      const copy = copier(ast)
      // Nothing is allocated while every value is its input: an input with no other keys is then returned as is,
      // and one with unknown keys is copied without parsing anything again. The first changed value starts the copy
      // (the values before it are their inputs).
      return (u) => {
        // Effect also accepts arrays here; those go to its parser through the fallback.
        if (typeof u !== "object" || u === null || Array.isArray(u)) return FAIL
        const input = u as Record<PropertyKey, unknown>
        let out: Record<PropertyKey, unknown> | undefined
        let present = 0
        for (let i = 0; i < n; i++) {
          const name = names[i]!
          if (optional[i] && !hasOwn.call(input, name)) continue
          const x = input[name]
          const v = parsers[i]!(x)
          if (v === FAIL) return FAIL
          present++
          if (out !== undefined) out[name] = v
          else if (v !== x) out = copy(input, i, v)
        }
        if (out !== undefined) return out
        return onlyKeys(input, present) ? input : copy(input, n, undefined)
      }
    }
    default:
      // Transformations (Redacted, optionalWith, ...), declarations, Suspend, Enums, TemplateLiteral and the
      // remaining keywords: Effect's parser.
      return generic(ast)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Generated code. The closures above share one body per kind of node, so the property reads of every struct go
// through the same few call sites, which V8 then sees with every shape at once (megamorphic). Where the runtime
// allows `new Function` (not under a strict Content-Security-Policy, say), each struct and array gets a function of
// its own instead, with its property names and simple checks written in: the same checks in the same order, the same
// copy rules, but each read sees one shape. Anything else is one of the closures above, called from the generated
// code.
// ---------------------------------------------------------------------------------------------------------------

const canGenerate = (() => {
  try {
    return new Function("a", "return a + 1")(1) === 2
  } catch {
    return false
  }
})()

/** The values a generated function refers to, passed in as arguments `r0`, `r1`, ... */
interface Refs {
  readonly values: Array<unknown>
}

const ref = (refs: Refs, value: unknown): string => {
  refs.values.push(value)
  return `r${refs.values.length - 1}`
}

const simpleKeywords: Partial<Record<AST.AST["_tag"], string>> = {
  StringKeyword: `typeof x === "string"`,
  NumberKeyword: `typeof x === "number"`,
  BooleanKeyword: `typeof x === "boolean"`,
  UndefinedKeyword: `x === undefined`,
  VoidKeyword: `x === undefined`,
  UnknownKeyword: `true`,
  AnyKeyword: `true`
}

/**
 * A JS condition on `x` that holds exactly when the node accepts `x` and decodes it to `x` itself, or undefined
 * for nodes that are not such plain checks.
 */
const condition = (ast: AST.AST, refs: Refs): string | undefined => {
  if (hasParseAnnotations(ast)) return undefined
  const keyword = simpleKeywords[ast._tag]
  if (keyword !== undefined) return keyword
  switch (ast._tag) {
    case "Literal":
      return ast.literal === null
        ? "x === null"
        : typeof ast.literal === "string" || typeof ast.literal === "boolean"
        ? `x === ${JSON.stringify(ast.literal)}`
        : typeof ast.literal === "number" && Number.isFinite(ast.literal) && !Object.is(ast.literal, -0)
        ? `x === ${String(ast.literal)}`
        : undefined
    case "Union": {
      const members = ast.types.map((member) => condition(member, refs))
      return members.every((c) => c !== undefined) ? `(${members.join(" || ")})` : undefined
    }
    case "Refinement": {
      const from = condition(ast.from, refs)
      if (from === undefined) return undefined
      return `(${from} && ${ref(refs, holds(ast))}(x))`
    }
    default:
      return undefined
  }
}

/** Statements that set `v` to the decoded `x`, or to `F` when the node rejects it. */
const valueOf = (ast: AST.AST, refs: Refs): string => {
  const plain = condition(ast, refs)
  if (plain !== undefined) return `v = ${plain} ? x : F;`
  if (!hasParseAnnotations(ast)) {
    if (ast._tag === "Union" && inOrder(ast)) {
      // The members in order, the first that accepts wins (as in the closures).
      return "v = F;" + ast.types.map((member) => {
        const c = condition(member, refs)
        return c !== undefined ? `if (v === F && ${c}) v = x;` : `if (v === F) v = ${ref(refs, compiled(member))}(x);`
      }).join("")
    }
    if (ast._tag === "Refinement") {
      return `v = ${ref(refs, compiled(ast.from))}(x); if (v !== F && !${ref(refs, holds(ast))}(v)) v = F;`
    }
  }
  return `v = ${ref(refs, compiled(ast))}(x);`
}

const build = (refs: Refs, body: string): Parser => {
  const names = refs.values.map((_, i) => `r${i}`)
  return new Function("F", "hasOwn", ...names, `"use strict"; return function (u) { ${body} }`)(
    FAIL,
    hasOwn,
    ...refs.values
  ) as Parser
}

/** A struct: its properties in order, then the same copy rules as the closure. */
const struct = (ast: AST.TypeLiteral): Parser | undefined => {
  if (ast.indexSignatures.length !== 0 || hasParseAnnotations(ast)) return undefined
  if (ast.propertySignatures.some((ps) => typeof ps.name !== "string")) return undefined
  const refs: Refs = { values: [] }
  const copy = ref(refs, copier(ast))
  const n = ast.propertySignatures.length
  const properties = ast.propertySignatures.map((ps, i) => {
    const key = JSON.stringify(ps.name)
    const plain = condition(ps.type, refs)
    const read = plain !== undefined
      ? `x = u[${key}]; if (!(${plain})) return F; present++; if (out !== undefined) out[${key}] = x;`
      : `x = u[${key}]; ${valueOf(ps.type, refs)} if (v === F) return F; present++;` +
        `if (out !== undefined) out[${key}] = v; else if (v !== x) out = ${copy}(u, ${i}, v);`
    return ps.isOptional ? `if (hasOwn.call(u, ${key})) { ${read} }` : read
  })
  return build(
    refs,
    `if (typeof u !== "object" || u === null || Array.isArray(u)) return F;
    let out, x, v, present = 0;
    ${properties.join("\n")}
    if (out !== undefined) return out;
    let keys = 0;
    for (const k in u) keys++;
    return keys === present ? u : ${copy}(u, ${n}, undefined);`
  )
}

/** An array (no fixed elements, one rest element): copied from the first item that is not its input. */
const array = (ast: AST.TupleType): Parser | undefined => {
  if (ast.elements.length !== 0 || ast.rest.length !== 1 || hasParseAnnotations(ast)) return undefined
  const refs: Refs = { values: [] }
  const item = valueOf(ast.rest[0]!.type, refs)
  return build(
    refs,
    `if (!Array.isArray(u)) return F;
    const n = u.length;
    let out, x, v;
    for (let i = 0; i < n; i++) {
      x = u[i];
      ${item}
      if (v === F) return F;
      if (out !== undefined) out.push(v); else if (v !== x) { out = u.slice(0, i); out.push(v); }
    }
    return out === undefined ? u : out;`
  )
}

/** The generated function of a struct, an array, a union or a refinement (nested too), else the closure. */
const compiled = (ast: AST.AST): Parser => {
  switch (ast._tag) {
    case "TypeLiteral":
      return struct(ast) ?? go(ast)
    case "TupleType":
      return array(ast) ?? go(ast)
    case "Union":
    case "Refinement": {
      // `valueOf` writes these out member by member (`Schema.optional(Schema.NullOr(S))` is a union in a union).
      if (hasParseAnnotations(ast) || (ast._tag === "Union" && !inOrder(ast))) return go(ast)
      const refs: Refs = { values: [] }
      const body = valueOf(ast, refs)
      return build(refs, `const x = u; let v; ${body} return v;`)
    }
    default:
      return go(ast)
  }
}

/**
 * Like `ParseResult.decodeUnknownEither(schema)`, faster on the common shapes. `generate: false` keeps to the
 * closures (what a runtime without `new Function` gets).
 *
 * @internal
 */
export const decodeUnknownEither = <A, I>(
  schema: Schema.Schema<A, I, never>,
  options?: { readonly generate?: boolean }
): (u: unknown) => Either.Either<A, ParseResult.ParseIssue> => {
  const fast = (options?.generate ?? canGenerate) ? compiled(schema.ast) : go(schema.ast)
  const slow = ParseResult.decodeUnknownEither(schema)
  return (u) => {
    const a = fast(u)
    return a !== FAIL ? Either.right(a as A) : slow(u)
  }
}
