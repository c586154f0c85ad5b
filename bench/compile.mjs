// A faster decoder for the common subset of `effect/Schema`, built from the schema's AST:
// a drop-in for `ParseResult.decodeUnknownEither(schema)` that validates exactly as much.
//
// Effect's generic parser interprets the AST for every value: an `Either` per node,
// options merged per call, issue bookkeeping. For the plain shapes API responses are
// made of (structs, arrays, `NullOr`, literals, string / number / boolean, refinements
// such as `Int`, `optionalWith` key transformations), this walks the AST once, up front,
// and returns a tree of small closures that check and copy, with no allocation but the
// output. Nodes outside the subset (other transformations, classes, declarations,
// suspensions, index signatures, parse option annotations, unions of several objects)
// are handed to Effect's own parser, so
// any schema compiles. On failure the whole input is decoded again by Effect's parser,
// so the error (a `ParseIssue`) is exactly Effect's.
//
// Same result as Effect's parser with its default options (`onExcessProperty: "ignore"`,
// `exact: false`, `errors: "first"`): unknown properties are dropped, optional
// properties that are absent stay absent, properties come out in the schema's order.
import { Either, Option, ParseResult, Schema, SchemaAST as AST } from "effect"

const FAIL = Symbol("FAIL")

const hasOwn = Object.prototype.hasOwnProperty
const IntSchemaId = Schema.IntSchemaId

/** Whether `ast` carries an annotation that changes how Effect parses it. */
const hasParseAnnotations = (ast) =>
  Option.isSome(AST.getParseOptionsAnnotation(ast)) || Option.isSome(AST.getDecodingFallbackAnnotation(ast))

/** Effect's own parser for `ast`, as a node of our tree. */
const generic = (ast) => {
  const parse = ParseResult.decodeUnknownEither(Schema.make(ast))
  return (u) => {
    const r = parse(u)
    return Either.isRight(r) ? r.right : FAIL
  }
}

const isObjectLike = (ast) => {
  while (ast._tag === "Refinement") ast = ast.from
  return ast._tag === "TypeLiteral" || ast._tag === "TupleType" || ast._tag === "Declaration" ||
    ast._tag === "Transformation" || ast._tag === "Suspend"
}

const go = (ast) => {
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
      if (AST.getSchemaIdAnnotation(ast).pipe(Option.contains(IntSchemaId))) {
        return (u) => {
          const a = from(u)
          return a !== FAIL && Number.isSafeInteger(a) ? a : FAIL
        }
      }
      const filter = ast.filter
      return (u) => {
        const a = from(u)
        return a !== FAIL && Option.isNone(filter(a, AST.defaultParseOption, ast)) ? a : FAIL
      }
    }
    case "Union": {
      // Effect tries object members by their literal tags first; keep to unions where the
      // order cannot matter: at most one member that is not a primitive.
      if (ast.types.filter(isObjectLike).length > 1) return generic(ast)
      const members = ast.types.map(go)
      if (members.length === 2) {
        const [a, b] = members
        return (u) => {
          const r = a(u)
          return r !== FAIL ? r : b(u)
        }
      }
      return (u) => {
        for (let i = 0; i < members.length; i++) {
          const r = members[i](u)
          if (r !== FAIL) return r
        }
        return FAIL
      }
    }
    case "TupleType": {
      // Arrays only: no fixed elements, one rest element.
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return generic(ast)
      const item = go(ast.rest[0].type)
      return (u) => {
        if (!Array.isArray(u)) return FAIL
        const n = u.length
        const out = new Array(n)
        for (let i = 0; i < n; i++) {
          const v = item(u[i])
          if (v === FAIL) return FAIL
          out[i] = v
        }
        return out
      }
    }
    case "TypeLiteral": {
      if (ast.indexSignatures.length !== 0) return generic(ast)
      if (ast.propertySignatures.length === 0) return (u) => (u !== null && u !== undefined ? u : FAIL)
      const names = ast.propertySignatures.map((ps) => ps.name)
      const optional = ast.propertySignatures.map((ps) => ps.isOptional)
      const parsers = ast.propertySignatures.map((ps) => go(ps.type))
      const n = names.length
      return (u) => {
        if (typeof u !== "object" || u === null || Array.isArray(u)) return FAIL
        const out = {}
        for (let i = 0; i < n; i++) {
          const name = names[i]
          if (optional[i] && !hasOwn.call(u, name)) continue
          const v = parsers[i](u[name])
          if (v === FAIL) return FAIL
          out[name] = v
        }
        return out
      }
    }
    case "Transformation": {
      // Struct-level key transformations (`Schema.optionalWith`, `fromKey`): Effect decodes
      // the encoded side, moves / transforms the keys, then decodes the type side. Other
      // transformations (`Schema.transform`, classes, ...): Effect's parser.
      const t = ast.transformation
      if (t._tag === "TypeLiteralTransformation") return structTransformation(ast) ?? generic(ast)
      if (t._tag === "ComposeTransformation") {
        const from = go(ast.from)
        const to = go(ast.to)
        return (u) => {
          const a = from(u)
          return a === FAIL ? FAIL : to(a)
        }
      }
      return generic(ast)
    }
    default:
      // Declaration (classes, Date, ...), other transformations, Suspend, Enums,
      // TemplateLiteral, the remaining keywords: Effect's parser.
      return generic(ast)
  }
}

/**
 * A `TypeLiteralTransformation` between two plain structs, in one pass and without
 * `delete` (which would turn the object into a slow dictionary). Same result as Effect's
 * three steps: a property whose type-side AST is the very node of its encoded side
 * (nothing in it transforms) is not decoded a second time, since decoding it again could
 * only copy it again. Returns undefined when the shape is not that simple.
 */
const structTransformation = (ast) => {
  const from = ast.from
  const to = ast.to
  if (from._tag !== "TypeLiteral" || to._tag !== "TypeLiteral") return undefined
  if (from.indexSignatures.length !== 0 || to.indexSignatures.length !== 0) return undefined
  if (hasParseAnnotations(from) || hasParseAnnotations(to)) return undefined
  const psts = ast.transformation.propertySignatureTransformations
  // Effect applies them one after the other on the same object: keep to independent ones.
  const touched = new Map()
  for (const pst of psts) {
    for (const key of new Set([pst.from, pst.to])) {
      if (touched.has(key)) return undefined
      touched.set(key, pst)
    }
  }
  const decodeFrom = go(from)
  const fromTypes = new Map(from.propertySignatures.map((ps) => [ps.name, ps.type]))
  const props = to.propertySignatures.map((ps) => {
    const pst = touched.get(ps.name)
    return {
      name: ps.name,
      optional: ps.isOptional,
      // the key some transformation writes (undefined: read as is from the encoded side)
      pst: pst !== undefined && pst.to === ps.name ? pst : undefined,
      // the key some transformation removes without writing it back
      removed: pst !== undefined && pst.to !== ps.name,
      parse: go(ps.type),
      same: pst === undefined && fromTypes.get(ps.name) === ps.type
    }
  })
  const n = props.length
  return (u) => {
    const a = decodeFrom(u)
    if (a === FAIL) return FAIL
    const out = {}
    for (let i = 0; i < n; i++) {
      const p = props[i]
      let present
      let value
      if (p.pst !== undefined) {
        const o = p.pst.decode(hasOwn.call(a, p.pst.from) ? Option.some(a[p.pst.from]) : Option.none())
        present = Option.isSome(o)
        value = present ? o.value : undefined
      } else if (p.removed) {
        present = false
      } else {
        present = hasOwn.call(a, p.name)
        value = present ? a[p.name] : undefined
      }
      if (!present && p.optional) continue
      const v = present && p.same ? value : p.parse(value)
      if (v === FAIL) return FAIL
      out[p.name] = v
    }
    return out
  }
}

/**
 * Like `ParseResult.decodeUnknownEither(schema)`: `Either<A, ParseIssue>`.
 */
export const compileDecodeUnknownEither = (schema) => {
  const fast = go(schema.ast)
  const slow = ParseResult.decodeUnknownEither(schema)
  return (u) => {
    const a = fast(u)
    return a !== FAIL ? Either.right(a) : slow(u)
  }
}

/**
 * Like `Schema.decodeUnknownSync(schema)`: the value, or throws Effect's `ParseError`.
 */
export const compileDecodeUnknownSync = (schema) => {
  const fast = go(schema.ast)
  const slow = Schema.decodeUnknownSync(schema)
  return (u) => {
    const a = fast(u)
    return a !== FAIL ? a : slow(u)
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
