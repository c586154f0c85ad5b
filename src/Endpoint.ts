/**
 * Endpoint descriptions: a resource is data (method, path template, input schema, response schema, pagination
 * style), and `AdminApi.make` turns these descriptions into the tree of methods, once. A description never
 * sends a request itself.
 *
 * @since 0.1.0
 */
import type * as Schema from "effect/Schema"
import type * as Pagination from "./Pagination.js"

/**
 * @since 0.1.0
 * @category models
 */
export type Method = "GET" | "POST" | "DELETE"

/**
 * The names of the `{ids}` of a path template, in path order.
 *
 * @since 0.1.0
 * @category type-level
 */
export type PathIds<Path extends string> = Path extends `${string}{${infer Id}}${infer Rest}` ? [Id, ...PathIds<Rest>]
  : []

/**
 * One string argument per id of the path template.
 *
 * @since 0.1.0
 * @category type-level
 */
export type IdArgs<Path extends string> = Path extends `${string}{${string}}${infer Rest}` ? [string, ...IdArgs<Rest>]
  : []

/**
 * The trailing input argument of a method: none, optional (when every field is optional) or required.
 *
 * @since 0.1.0
 * @category type-level
 */
export type InputArg<In> = [In] extends [void] ? [] : {} extends In ? [input?: In] : [input: In]

/**
 * A schema as a description holds it: decoding starts from `unknown` JSON, and encoding an input yields plain
 * JSON, so the encoded side is kept as `unknown`.
 *
 * @since 0.1.0
 * @category models
 */
export type AnySchema<A> = Schema.Schema<A, unknown, never>

/** A schema seen with its encoded side as `unknown` (what a description stores; the schema itself is unchanged). */
const erase = <A, I>(schema: Schema.Schema<A, I, never>): AnySchema<A> => schema as unknown as AnySchema<A>

const eraseOptional = <A, I>(schema: Schema.Schema<A, I, never> | undefined): AnySchema<A> | undefined =>
  schema === undefined ? undefined : erase(schema)

/**
 * A single request: GET or DELETE with optional query parameters, or POST with a JSON body.
 *
 * @since 0.1.0
 * @category models
 */
export interface Operation<Path extends string, In, A> {
  readonly _tag: "Operation"
  readonly method: Method
  readonly path: Path
  /** Query parameters (GET, DELETE) or the JSON body (POST); undefined when the operation takes none. */
  readonly input: AnySchema<In> | undefined
  readonly success: AnySchema<A>
  /** A POST that creates a resource: retried only when a retry cannot create a duplicate. */
  readonly create: boolean
}

/**
 * A GET on a collection, unfolded page by page with the given style. `Params` includes the cursor parameter,
 * so a listing can start from a `nextCursor`.
 *
 * @since 0.1.0
 * @category models
 */
export interface List<Path extends string, Params, A> {
  readonly _tag: "List"
  readonly method: "GET"
  readonly path: Path
  readonly params: AnySchema<Params>
  readonly item: AnySchema<A>
  readonly style: Pagination.Style
  /** The range of `limit` the endpoint accepts, checked before sending; `list`/`pages` also refuse 0. */
  readonly limit: { readonly min: number; readonly max: number } | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type Any = Operation<string, never, unknown> | List<string, never, unknown>

/**
 * `GET path`, with optional query parameters.
 *
 * @since 0.1.0
 * @category constructors
 */
export const get = <const Path extends string, A, I, In = void, InI = unknown>(
  path: Path,
  options: { readonly success: Schema.Schema<A, I, never>; readonly params?: Schema.Schema<In, InI, never> }
): Operation<Path, In, A> => ({
  _tag: "Operation",
  method: "GET",
  path,
  input: eraseOptional(options.params),
  success: erase(options.success),
  create: false
})

/**
 * `POST path` with a JSON body. `create: true` marks a POST that creates a resource.
 *
 * @since 0.1.0
 * @category constructors
 */
export const post = <const Path extends string, A, I, In = void, InI = unknown>(
  path: Path,
  options: {
    readonly success: Schema.Schema<A, I, never>
    readonly body?: Schema.Schema<In, InI, never>
    readonly create?: boolean
  }
): Operation<Path, In, A> => ({
  _tag: "Operation",
  method: "POST",
  path,
  input: eraseOptional(options.body),
  success: erase(options.success),
  create: options.create ?? false
})

/**
 * `DELETE path`, with optional query parameters.
 *
 * @since 0.1.0
 * @category constructors
 */
export const del = <const Path extends string, A, I, In = void, InI = unknown>(
  path: Path,
  options: { readonly success: Schema.Schema<A, I, never>; readonly params?: Schema.Schema<In, InI, never> }
): Operation<Path, In, A> => ({
  _tag: "Operation",
  method: "DELETE",
  path,
  input: eraseOptional(options.params),
  success: erase(options.success),
  create: false
})

/**
 * `GET path` on a collection: becomes `list` (a Stream of items), `pages` (a Stream of pages) and `listPage`
 * (one request).
 *
 * @since 0.1.0
 * @category constructors
 */
export const list = <const Path extends string, A, I, Params, ParamsI>(
  path: Path,
  options: {
    readonly item: Schema.Schema<A, I, never>
    readonly params: Schema.Schema<Params, ParamsI, never>
    readonly style: Pagination.Style
    readonly limit?: { readonly min: number; readonly max: number }
  }
): List<Path, Params, A> => ({
  _tag: "List",
  method: "GET",
  path,
  params: erase(options.params),
  item: erase(options.item),
  style: options.style,
  limit: options.limit
})

/**
 * @since 0.1.0
 * @category refinements
 */
export const isOperation = (u: unknown): u is Operation<string, unknown, unknown> =>
  typeof u === "object" && u !== null && (u as { readonly _tag?: unknown })._tag === "Operation"

/**
 * @since 0.1.0
 * @category refinements
 */
export const isList = (u: unknown): u is List<string, unknown, unknown> =>
  typeof u === "object" && u !== null && (u as { readonly _tag?: unknown })._tag === "List"
