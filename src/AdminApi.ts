/**
 * The Admin API service: every operation, as a tree that follows the URL (`admin.projects.users.list(...)` is
 * `GET /organization/projects/{project_id}/users`), with its layers.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Chunk from "effect/Chunk"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as AdminApiConfig from "./AdminApiConfig.js"
import type { AdminApiError } from "./AdminApiError.js"
import { InvalidRequestError } from "./AdminApiError.js"
import * as Endpoint from "./Endpoint.js"
import * as Decode from "./internal/decode.js"
import { encodePath, encodeQuery } from "./internal/encode.js"
import { endpoints } from "./internal/endpoints.js"
import { formatIssue } from "./internal/issues.js"
import * as Request from "./internal/request.js"
import * as Pagination from "./Pagination.js"

/**
 * The methods of a list endpoint: `list` streams the items (one Chunk per page), `pages` streams the pages, and
 * `listPage` makes one request. All three take the path ids, then the query parameters, including the cursor
 * (`after`, or `page` for usage and costs) to resume from a `nextCursor`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListMethods<Path extends string, Params, A> {
  readonly list: (
    ...args: [...Endpoint.IdArgs<Path>, ...Endpoint.InputArg<Params>]
  ) => Stream.Stream<A, AdminApiError>
  readonly pages: (
    ...args: [...Endpoint.IdArgs<Path>, ...Endpoint.InputArg<Params>]
  ) => Stream.Stream<Pagination.Page<A>, AdminApiError>
  readonly listPage: (
    ...args: [...Endpoint.IdArgs<Path>, ...Endpoint.InputArg<Params>]
  ) => Effect.Effect<Pagination.Page<A>, AdminApiError>
}

/**
 * The method of a single operation: the path ids in path order, then the query parameters (GET, DELETE) or the
 * body (POST).
 *
 * @since 0.1.0
 * @category models
 */
export type OperationMethod<Path extends string, In, A> = (
  ...args: [...Endpoint.IdArgs<Path>, ...Endpoint.InputArg<In>]
) => Effect.Effect<A, AdminApiError>

/**
 * The methods bound from a tree of endpoint descriptions.
 *
 * @since 0.1.0
 * @category models
 */
export type Client<T> =
  & {
    readonly [K in keyof T as T[K] extends Endpoint.List<string, infer _P, infer _A> ? never : K]: T[K] extends
      Endpoint.Operation<infer Path, infer In, infer A> ? OperationMethod<Path, In, A>
      : Client<T[K]>
  }
  & (T extends { readonly list: Endpoint.List<infer Path, infer Params, infer A> } ? ListMethods<Path, Params, A>
    : unknown)

/**
 * The service: every Admin API operation.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service extends Client<typeof endpoints> {}

/**
 * The service tag: `const admin = yield* AdminApi.AdminApi`.
 *
 * @since 0.1.0
 * @category tags
 */
export class AdminApi extends Context.Tag("effect-openai-admin/AdminApi")<AdminApi, Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export type Options = AdminApiConfig.Options

const invalidInput = (operation: string, issue: Parameters<typeof formatIssue>[0], prefix: string) => {
  const lines = formatIssue(issue)
  const first = lines[0]!
  const separator = first.indexOf(": ")
  const field = separator === -1 ? prefix : first.slice(0, separator)
  return new InvalidRequestError({
    operation,
    field: field === "(root)" ? prefix : prefix === "" ? field : `${prefix}.${field}`,
    reason: lines.map((line) => line.slice(line.indexOf(": ") + 2)).join("; ")
  })
}

const countIds = (path: string): number => (path.match(/\{[^}]+\}/g) ?? []).length

/**
 * A string with a lone surrogate cannot be sent as is: `encodeURIComponent` throws on it (a defect, not a typed
 * error) and `URLSearchParams` silently replaces it with U+FFFD (the server would get another value). Such ids and
 * query values are refused up front, naming the field. JSON bodies need nothing: `JSON.stringify` escapes them.
 */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const illFormed = (operation: string, field: string) =>
  new InvalidRequestError({
    operation,
    field,
    reason: "must be well-formed Unicode (a lone surrogate cannot be sent as is)"
  })

const illFormedId = (
  operation: string,
  path: string,
  ids: ReadonlyArray<unknown>
): InvalidRequestError | undefined => {
  const names = Array.from(path.matchAll(/\{([^}]+)\}/g), (m) => m[1]!)
  for (let i = 0; i < names.length; i++) {
    const id = ids[i]
    // the first bad id is the one reported: one that `encodePath` refuses is left to it
    if (typeof id !== "string" || id === "" || id === "." || id === "..") return undefined
    if (loneSurrogate.test(id)) return illFormed(operation, names[i]!)
  }
  return undefined
}

const illFormedQuery = (
  operation: string,
  query: ReadonlyArray<readonly [string, string]>
): InvalidRequestError | undefined => {
  const bad = query.find(([, value]) => loneSurrogate.test(value))
  return bad === undefined ? undefined : illFormed(operation, bad[0])
}

const bindOperation = (
  requester: Request.Requester,
  operation: string,
  endpoint: Endpoint.Operation<string, unknown, unknown>
) => {
  const idCount = countIds(endpoint.path)
  const encodeInput = endpoint.input === undefined ? undefined : ParseResult.encodeUnknownEither(endpoint.input)
  const decode = Decode.decodeUnknownEither(endpoint.success)
  const spanName = `AdminApi.${operation}`
  return (...args: ReadonlyArray<unknown>): Effect.Effect<unknown, AdminApiError> =>
    Effect.suspend(() => {
      const badId = illFormedId(operation, endpoint.path, args.slice(0, idCount))
      if (badId !== undefined) return Effect.fail(badId)
      const path = encodePath(operation, endpoint.path, args.slice(0, idCount))
      if (Either.isLeft(path)) return Effect.fail(path.left)
      let query: ReadonlyArray<readonly [string, string]> = []
      let body: unknown = undefined
      if (encodeInput !== undefined) {
        const isBody = endpoint.method === "POST"
        const encoded = encodeInput(args[idCount] ?? {})
        if (Either.isLeft(encoded)) {
          return Effect.fail(invalidInput(operation, encoded.left, isBody ? "body" : ""))
        }
        if (isBody) body = encoded.right
        else query = encodeQuery(encoded.right)
      }
      const badQuery = illFormedQuery(operation, query)
      if (badQuery !== undefined) return Effect.fail(badQuery)
      return requester.execute({
        operation,
        method: endpoint.method,
        path: path.right,
        query,
        body,
        decode,
        create: endpoint.create
      }).pipe(
        Effect.map((response) => response.value),
        Effect.withSpan(spanName, {
          kind: "client",
          captureStackTrace: false,
          attributes: { "http.request.method": endpoint.method, "url.template": endpoint.path }
        })
      )
    })
}

interface Prepared {
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly cursor: Option.Option<string>
}

const bindList = (
  requester: Request.Requester,
  resource: string,
  endpoint: Endpoint.List<string, unknown, unknown>
) => {
  const idCount = countIds(endpoint.path)
  const encodeParams = ParseResult.encodeUnknownEither(endpoint.params)
  const decodeEnvelope = Decode.decodeUnknownEither(endpoint.style.envelope(endpoint.item))
  const decode = (json: unknown) => Either.map(decodeEnvelope(json), endpoint.style.toPage)
  const cursorParam = endpoint.style.cursorParam
  const listName = `${resource}.list`
  const range = endpoint.limit

  const prepare = (
    operation: string,
    args: ReadonlyArray<unknown>,
    refuseZero: boolean
  ): Either.Either<Prepared, InvalidRequestError> => {
    const badId = illFormedId(operation, endpoint.path, args.slice(0, idCount))
    if (badId !== undefined) return Either.left(badId)
    const path = encodePath(operation, endpoint.path, args.slice(0, idCount))
    if (Either.isLeft(path)) return Either.left(path.left)
    const encoded = encodeParams(args[idCount] ?? {})
    if (Either.isLeft(encoded)) return Either.left(invalidInput(operation, encoded.left, ""))
    const params = { ...(encoded.right as Record<string, unknown>) }
    const limit = params.limit
    if (typeof limit === "number" && range !== undefined && (limit < range.min || limit > range.max)) {
      return Either.left(
        new InvalidRequestError({ operation, field: "limit", reason: `must be between ${range.min} and ${range.max}` })
      )
    }
    if (refuseZero && limit === 0) {
      return Either.left(
        new InvalidRequestError({
          operation,
          field: "limit",
          reason: "must be at least 1 for list and pages (0 would return empty pages forever)"
        })
      )
    }
    const cursor = params[cursorParam]
    delete params[cursorParam]
    const query = encodeQuery(params)
    const cursorEntry = typeof cursor === "string" ? [[cursorParam, cursor] as const] : []
    const badQuery = illFormedQuery(operation, [...query, ...cursorEntry])
    if (badQuery !== undefined) return Either.left(badQuery)
    return Either.right({
      path: path.right,
      query,
      cursor: typeof cursor === "string" && cursor !== "" ? Option.some(cursor) : Option.none()
    })
  }

  const fetchPage = (operation: string, prepared: Prepared, cursor: Option.Option<string>) =>
    requester.execute({
      operation,
      method: "GET",
      path: prepared.path,
      query: Option.isSome(cursor) ? [...prepared.query, [cursorParam, cursor.value]] : prepared.query,
      body: undefined,
      decode,
      create: false
    })

  const pages = (...args: ReadonlyArray<unknown>): Stream.Stream<Pagination.Page<unknown>, AdminApiError> =>
    Stream.suspend(() => {
      const prepared = prepare(listName, args, true)
      if (Either.isLeft(prepared)) return Stream.fail(prepared.left)
      return Pagination.stream({
        fetch: (cursor, index) =>
          fetchPage(listName, prepared.right, cursor).pipe(
            Effect.tap((response) =>
              Effect.annotateCurrentSpan({
                "page.index": index,
                "page.items": response.value.data.length,
                "request.id": response.requestId ?? ""
              })
            ),
            Effect.map((response) => response.value),
            Effect.withSpan(`AdminApi.${listName}.page`, {
              kind: "client",
              captureStackTrace: false,
              attributes: { "page.index": index }
            })
          ),
        cursor: prepared.right.cursor,
        readAhead: requester.options.readAhead,
        path: endpoint.path
      })
    }).pipe(Stream.withSpan(`AdminApi.${listName}`, {
      captureStackTrace: false,
      attributes: { "url.template": endpoint.path }
    }))

  const list = (...args: ReadonlyArray<unknown>): Stream.Stream<unknown, AdminApiError> =>
    Stream.mapConcatChunk(pages(...args), (page) => Chunk.unsafeFromArray(page.data as Array<unknown>))

  const listPageName = `${resource}.listPage`
  const listPage = (...args: ReadonlyArray<unknown>): Effect.Effect<Pagination.Page<unknown>, AdminApiError> =>
    Effect.suspend(() => {
      const prepared = prepare(listPageName, args, false)
      if (Either.isLeft(prepared)) return Effect.fail(prepared.left)
      return Effect.map(fetchPage(listPageName, prepared.right, prepared.right.cursor), (response) => response.value)
    }).pipe(Effect.withSpan(`AdminApi.${listPageName}`, { kind: "client", captureStackTrace: false }))

  return { list, pages, listPage }
}

const bindTree = (requester: Request.Requester, node: object, path: ReadonlyArray<string>): object => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    const here = [...path, key]
    if (Endpoint.isList(value)) {
      Object.assign(out, bindList(requester, path.join("."), value))
    } else if (Endpoint.isOperation(value)) {
      out[key] = bindOperation(requester, here.join("."), value)
    } else if (typeof value === "object" && value !== null) {
      out[key] = bindTree(requester, value, here)
    }
  }
  return out
}

/**
 * Builds the service from options (validated: an invalid option fails with a `ConfigError` naming it). Needs an
 * `HttpClient.HttpClient`: the library never picks a transport.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<Service, ConfigError.ConfigError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.flatMap(AdminApiConfig.resolve(options), (resolved) =>
    Effect.map(Request.make(resolved), (requester) => bindTree(requester, endpoints, []) as Service))

/**
 * The service from options.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<AdminApi, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.scoped(AdminApi, make(options))

/**
 * The service from `Config`: by default `OPENAI_ADMIN_KEY` (required), `OPENAI_BASE_URL`, `OPENAI_ORG_ID` and
 * `OPENAI_PROJECT_ID` from the current `ConfigProvider`, a blank value counting as unset.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Config.Config.Wrap<Options> = AdminApiConfig.fromEnv
): Layer.Layer<AdminApi, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.scoped(AdminApi, Effect.flatMap(Config.unwrap(options), make))
