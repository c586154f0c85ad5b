/**
 * The listings the CLI offers, derived from the library's public surface: every exported resource module
 * carries its `endpoints` descriptions, and every `Endpoint.List` among them becomes a `RESOURCE list` command.
 * Nothing here is written per resource: the command path comes from the URL (as the service tree does), the
 * positional arguments from the path's `{ids}`, the flags from the simple query parameters, and the table and
 * CSV columns from the item schema.
 */
import * as Lib from "effect-openai-admin"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

/** How a query parameter is given on the command line. */
export type ParamKind =
  | { readonly _tag: "String" }
  | { readonly _tag: "Int" }
  | { readonly _tag: "Number" }
  | { readonly _tag: "Boolean" }
  | { readonly _tag: "Choice"; readonly choices: ReadonlyArray<string> }
  | { readonly _tag: "Strings" }
  | { readonly _tag: "Choices"; readonly choices: ReadonlyArray<string> }

export interface Param {
  /** The key in the params object, e.g. `emails` or `start_time`, or `effective_at.gte` for a nested one. */
  readonly key: string
  /** Where the value goes in the params object: `["emails"]`, `["effective_at", "gte"]`. */
  readonly path: ReadonlyArray<string>
  /** The flag name without dashes, e.g. `email` or `start-time`. */
  readonly flag: string
  readonly kind: ParamKind
  readonly optional: boolean
  /** An integer that holds a unix time in seconds: the flag also takes a date. */
  readonly time: boolean
  readonly description: string | undefined
}

export interface Field {
  /** The column name: the path joined with dots, e.g. `amount.value`. */
  readonly name: string
  /** Where the value is in an item. */
  readonly path: ReadonlyArray<string>
  readonly optional: boolean
  /** Unix seconds: shown as a date in tables and CSV. */
  readonly time: boolean
}

export interface Listing {
  /** The path template, e.g. `/organization/projects/{project_id}/users`. */
  readonly path: string
  /** The keys of the node in the service tree, e.g. `["projects", "users"]`. */
  readonly tree: ReadonlyArray<string>
  /** The command words before `list`, e.g. `["projects", "users"]`. */
  readonly words: ReadonlyArray<string>
  /** The names of the path's ids, in path order, e.g. `["project_id"]`. */
  readonly ids: ReadonlyArray<string>
  readonly params: ReadonlyArray<Param>
  readonly limit: { readonly min: number; readonly max: number } | undefined
  /** The scalar fields of an item (and of its nested objects, one level down), in schema order. */
  readonly fields: ReadonlyArray<Field>
  /**
   * An item that is a bucket of results (`{ start_time, end_time, results: [...] }`): tables and CSV show one
   * row per result, with the bucket's fields, so these are the fields of a result.
   */
  readonly explode: { readonly field: string; readonly fields: ReadonlyArray<Field> } | undefined
}

const camel = (segment: string): string => segment.replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase())

const kebab = (segment: string): string => segment.replace(/_/g, "-")

/** `emails` → `email`, `project_ids` → `project_id`, `categories` → `category`. */
const singular = (name: string): string =>
  name.endsWith("ies") ? `${name.slice(0, -3)}y` : /[^s]s$/.test(name) ? name.slice(0, -1) : name

// ---------------------------------------------------------------------------------------------
// schema introspection
// ---------------------------------------------------------------------------------------------

const members = (ast: AST.AST): Array<AST.AST> => {
  switch (ast._tag) {
    case "Union":
      return ast.types.flatMap(members)
    case "Transformation":
      return members(ast.to)
    case "Suspend":
      return members(ast.f())
    case "UndefinedKeyword":
      return []
    case "Literal":
      return ast.literal === null ? [] : [ast]
    default:
      return [ast]
  }
}

const isInt = (ast: AST.AST): boolean => {
  let current: AST.AST = ast
  while (current._tag === "Refinement") {
    if (current.annotations[AST.SchemaIdAnnotationId] === Schema.IntSchemaId) return true
    current = current.from
  }
  return false
}

const base = (ast: AST.AST): AST.AST => {
  let current = ast
  while (current._tag === "Refinement" || current._tag === "Transformation") {
    current = current._tag === "Refinement" ? current.from : current.to
  }
  return current
}

const stringChoices = (asts: ReadonlyArray<AST.AST>): Array<string> | undefined => {
  const out: Array<string> = []
  for (const ast of asts) {
    const b = base(ast)
    if (b._tag === "Literal" && typeof b.literal === "string") out.push(b.literal)
    else if (b._tag === "Enums" && b.enums.every(([, v]) => typeof v === "string")) {
      out.push(...b.enums.map(([, v]) => String(v)))
    } else return undefined
  }
  return out.length > 0 ? out : undefined
}

const isStringish = (ast: AST.AST): boolean => {
  const b = base(ast)
  return b._tag === "StringKeyword" || b._tag === "TemplateLiteral" ||
    (b._tag === "Literal" && typeof b.literal === "string")
}

const scalarKind = (asts: ReadonlyArray<AST.AST>): ParamKind | undefined => {
  if (asts.length === 0) return undefined
  const choices = stringChoices(asts)
  if (choices !== undefined) return { _tag: "Choice", choices }
  if (asts.every(isStringish)) return { _tag: "String" }
  if (asts.length !== 1) return undefined
  const ast = asts[0]!
  const b = base(ast)
  switch (b._tag) {
    case "NumberKeyword":
      return isInt(ast) ? { _tag: "Int" } : { _tag: "Number" }
    case "BooleanKeyword":
      return { _tag: "Boolean" }
    default:
      return undefined
  }
}

const paramKind = (ast: AST.AST): ParamKind | undefined => {
  const asts = members(ast)
  if (asts.length === 1) {
    const b = base(asts[0]!)
    if (b._tag === "TupleType") {
      if (b.elements.length !== 0 || b.rest.length !== 1) return undefined
      const element = scalarKind(members(b.rest[0]!.type))
      if (element === undefined) return undefined
      if (element._tag === "Choice") return { _tag: "Choices", choices: element.choices }
      if (element._tag === "String") return { _tag: "Strings" }
      return undefined
    }
  }
  return scalarKind(asts)
}

const genericDescriptions = new Set(["a string", "an integer", "a number", "a boolean", "undefined"])

const descriptionOf = (annotated: ReadonlyArray<AST.Annotated>): string | undefined => {
  for (const a of annotated) {
    const d = AST.getDescriptionAnnotation(a)
    if (Option.isSome(d) && !genericDescriptions.has(d.value)) return d.value
  }
  return undefined
}

const isTimeDescription = (ast: AST.AST): boolean =>
  members(ast).some((m) => {
    let current: AST.AST = m
    for (;;) {
      const d = AST.getDescriptionAnnotation(current)
      if (Option.isSome(d) && /unix time/i.test(d.value)) return true
      if (current._tag === "Refinement") current = current.from
      else if (current._tag === "Transformation") current = current.to
      else return false
    }
  })

const timeName = (name: string): boolean => /(^|_)(created|time)$|_at$|_time$/.test(name)

/** The property signatures of a struct, or of every struct of a union (then optional unless in all of them). */
const propertySignatures = (ast: AST.AST): Array<AST.PropertySignature> => {
  const structs = members(ast).map(base).filter((b): b is AST.TypeLiteral => b._tag === "TypeLiteral")
  const out: Array<AST.PropertySignature> = []
  const seen = new Set<string>()
  for (const struct of structs) {
    for (const ps of struct.propertySignatures) {
      if (typeof ps.name !== "string" || seen.has(ps.name)) continue
      seen.add(ps.name)
      const everywhere = structs.every((s) => s.propertySignatures.some((other) => other.name === ps.name))
      out.push(everywhere ? ps : new AST.PropertySignature(ps.name, ps.type, true, ps.isReadonly, ps.annotations))
    }
  }
  return out
}

const isNullable = (ps: AST.PropertySignature): boolean =>
  ps.isOptional || members(ps.type).length < flatCount(ps.type)

const structOf = (ast: AST.AST): AST.AST | undefined => {
  const asts = members(ast)
  if (asts.length === 0) return undefined
  const bases = asts.map(base)
  return bases.every((b) => b._tag === "TypeLiteral" && b.indexSignatures.length === 0 && b.propertySignatures.length > 0)
    ? ast
    : undefined
}

const arrayElement = (ast: AST.AST): AST.AST | undefined => {
  const asts = members(ast)
  if (asts.length !== 1) return undefined
  const b = base(asts[0]!)
  return b._tag === "TupleType" && b.elements.length === 0 && b.rest.length === 1 ? b.rest[0]!.type : undefined
}

const fieldsAt = (ast: AST.AST, prefix: ReadonlyArray<string>, optional: boolean, depth: number): Array<Field> =>
  propertySignatures(ast).flatMap((ps): Array<Field> => {
    const name = ps.name as string
    const path = [...prefix, name]
    const nullable = optional || isNullable(ps)
    const kind = scalarKind(members(ps.type))
    if (kind !== undefined) {
      const numeric = kind._tag === "Int" || kind._tag === "Number"
      return [{
        name: path.join("."),
        path,
        optional: nullable,
        time: numeric && (isTimeDescription(ps.type) || timeName(name))
      }]
    }
    const element = arrayElement(ps.type)
    if (element !== undefined && scalarKind(members(element)) !== undefined) {
      return [{ name: path.join("."), path, optional: nullable, time: false }]
    }
    const struct = structOf(ps.type)
    if (struct !== undefined && depth > 0) return fieldsAt(struct, path, nullable, depth - 1)
    return []
  })

const fieldsOf = (item: AST.AST): Array<Field> => fieldsAt(AST.typeAST(item), [], false, 1)

const explodeOf = (item: AST.AST): Listing["explode"] => {
  const arrays = propertySignatures(AST.typeAST(item)).flatMap((ps) => {
    const element = arrayElement(ps.type)
    return element !== undefined && structOf(element) !== undefined && !isNullable(ps)
      ? [{ field: ps.name as string, element }]
      : []
  })
  if (arrays.length !== 1) return undefined
  return { field: arrays[0]!.field, fields: fieldsAt(AST.typeAST(arrays[0]!.element), [], false, 1) }
}

/** How many union members a type has before removing `null` and `undefined`. */
const flatCount = (ast: AST.AST): number =>
  ast._tag === "Union" ? ast.types.reduce((n, t) => n + flatCount(t), 0) : 1

/** Flags every listing command has; a query parameter with one of these names gets a `param-` prefix. */
export const reservedFlags: ReadonlySet<string> = new Set([
  "format",
  "columns",
  "quiet",
  "demo",
  "base-url",
  "organization",
  "project",
  "retries",
  "timeout",
  "help",
  "version",
  "wizard",
  "completions",
  "log-level",
  "role"
])

const flagOf = (name: string, kind: ParamKind): string => {
  const bare = name.replace(/\[\]$/, "")
  const flag = kebab(kind._tag === "Strings" || kind._tag === "Choices" ? singular(bare) : bare)
  return reservedFlags.has(flag) && !(flag === "role" && kind._tag !== "Boolean") ? `param-${flag}` : flag
}

const paramsOf = (params: AST.AST, cursorParam: string): Array<Param> =>
  propertySignatures(AST.typeAST(params)).flatMap((ps): Array<Param> => {
    const key = ps.name as string
    if (key === cursorParam) return []
    const kind = paramKind(ps.type)
    if (kind === undefined) {
      // An object of simple values (`effective_at: { gt, gte, lt, lte }`): one flag per value.
      const struct = structOf(ps.type)
      if (struct === undefined) return []
      return propertySignatures(struct).flatMap((inner): Array<Param> => {
        const innerKind = paramKind(inner.type)
        if (innerKind === undefined || innerKind._tag === "Strings" || innerKind._tag === "Choices") return []
        const sub = inner.name as string
        return [{
          key: `${key}.${sub}`,
          path: [key, sub],
          flag: flagOf(`${key}_${sub}`, innerKind),
          kind: innerKind,
          optional: ps.isOptional || inner.isOptional,
          time: innerKind._tag === "Int" && (isTimeDescription(inner.type) || timeName(key)),
          description: descriptionOf([inner, inner.type, ps])
        }]
      })
    }
    const bare = key.replace(/\[\]$/, "")
    return [{
      key,
      path: [key],
      flag: flagOf(key, kind),
      kind,
      optional: ps.isOptional,
      time: kind._tag === "Int" && (isTimeDescription(ps.type) || timeName(bare)),
      description: descriptionOf([ps, ps.type])
    }]
  })

// ---------------------------------------------------------------------------------------------
// discovery
// ---------------------------------------------------------------------------------------------

const collectLists = (node: unknown, out: Array<Lib.Endpoint.List<string, unknown, unknown>>, depth = 0): void => {
  if (depth > 8 || typeof node !== "object" || node === null) return
  if (Lib.Endpoint.isList(node)) {
    out.push(node)
    return
  }
  if (Lib.Endpoint.isOperation(node)) return
  for (const value of Object.values(node)) collectLists(value, out, depth + 1)
}

/** Builds the description of one list endpoint. */
export const fromEndpoint = (endpoint: Lib.Endpoint.List<string, unknown, unknown>): Listing => {
  const segments = endpoint.path.replace(/^\/organization(?=\/|$)/, "").split("/").filter((s) => s !== "")
  const fixed = segments.filter((s) => !s.startsWith("{"))
  return {
    path: endpoint.path,
    tree: fixed.map(camel),
    words: fixed.map(kebab),
    ids: segments.filter((s) => s.startsWith("{")).map((s) => s.slice(1, -1)),
    params: paramsOf(endpoint.params.ast, endpoint.style.cursorParam),
    limit: endpoint.limit,
    fields: fieldsOf(endpoint.item.ast),
    explode: explodeOf(endpoint.item.ast)
  }
}

/**
 * Every list endpoint of the library's public surface, sorted by command path. A module is a resource module
 * when it exports `endpoints`; the same path found twice is kept once.
 */
export const discover = (modules: Readonly<Record<string, unknown>> = Lib): ReadonlyArray<Listing> => {
  const lists: Array<Lib.Endpoint.List<string, unknown, unknown>> = []
  for (const module of Object.values(modules)) {
    if (typeof module === "object" && module !== null && "endpoints" in module) {
      collectLists((module as { readonly endpoints: unknown }).endpoints, lists)
    }
  }
  const byPath = new Map<string, Listing>()
  for (const list of lists) if (!byPath.has(list.path)) byPath.set(list.path, fromEndpoint(list))
  return [...byPath.values()].sort((a, b) => a.words.join(" ").localeCompare(b.words.join(" ")))
}

/** The node of the bound service at `tree` (`admin.projects.users`), if it has list methods. */
export const lookup = (service: unknown, tree: ReadonlyArray<string>): ListNode | undefined => {
  let node: unknown = service
  for (const key of tree) {
    if (typeof node !== "object" || node === null) return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return typeof node === "object" && node !== null && typeof (node as ListNode).pages === "function"
    ? node as ListNode
    : undefined
}

/** The list methods of a node of the service, untyped: the CLI reaches them by path at runtime. */
export interface ListNode {
  readonly pages: (...args: ReadonlyArray<unknown>) => import("effect/Stream").Stream<
    Lib.Pagination.Page<unknown>,
    Lib.AdminApiError.AdminApiError
  >
}
