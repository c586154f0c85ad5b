/**
 * The Admin API service: every operation, as a tree that follows the URL (`admin.projects.users.list(...)` is
 * `GET /organization/projects/{project_id}/users`), with its layers.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
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
import type * as Tracer from "effect/Tracer"
import * as AdminApiConfig from "./AdminApiConfig.js"
import type { AdminApiError } from "./AdminApiError.js"
import { InvalidRequestError } from "./AdminApiError.js"
import * as Endpoint from "./Endpoint.js"
import * as Decode from "./internal/decode.js"
import { countIds, encodePath, encodeQuery } from "./internal/encode.js"
import { endpoints } from "./internal/endpoints.js"
import { describeIssue } from "./internal/issues.js"
import * as Request from "./internal/request.js"
import { traced, tracedStream } from "./internal/tracing.js"
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

const invalidInput = (operation: string, issue: ParseResult.ParseIssue, prefix: string) => {
  const problems = describeIssue(issue)
  const field = problems[0]!.path
  return new InvalidRequestError({
    operation,
    field: field === "" ? prefix : prefix === "" ? field : `${prefix}.${field}`,
    reason: problems.map(({ problem }) => problem).join("; ")
  })
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
  const isBody = endpoint.method === "POST"
  return (...args: ReadonlyArray<unknown>): Effect.Effect<unknown, AdminApiError> =>
    Effect.suspend(() => {
      const prepared = Either.gen(function*() {
        const path = yield* encodePath(operation, endpoint.path, args.slice(0, idCount))
        if (encodeInput === undefined) return { path, query: [], body: undefined }
        const input = yield* Either.mapLeft(
          encodeInput(args[idCount] ?? {}),
          (issue) => invalidInput(operation, issue, isBody ? "body" : "")
        )
        return isBody
          ? { path, query: [], body: input }
          : { path, query: yield* encodeQuery(operation, input), body: undefined }
      })
      if (Either.isLeft(prepared)) return Effect.fail(prepared.left)
      const { body, path, query } = prepared.right
      return traced(spanName, {
        kind: "client",
        captureStackTrace: false,
        asParent: true,
        attributes: { "http.request.method": endpoint.method, "url.template": endpoint.path }
      }, () =>
        Effect.map(
          requester.execute({ operation, method: endpoint.method, path, query, body, decode, create: endpoint.create }),
          (response) => response.value
        ))
    })
}

interface Prepared {
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly cursor: Option.Option<string>
}

/** A page's body text until it is parsed. */
interface Body {
  text: string | undefined
}

const bindList = (
  requester: Request.Requester,
  resource: string,
  endpoint: Endpoint.List<string, unknown, unknown>
) => {
  const idCount = countIds(endpoint.path)
  const encodeParams = ParseResult.encodeUnknownEither(endpoint.params)
  const decodeEnvelope = Decode.decodeUnknownEither(endpoint.style.envelope(endpoint.item))
  const style = endpoint.style
  const cursorParam = style.cursorParam
  const listName = `${resource}.list`
  const range = endpoint.limit

  const prepare = (
    operation: string,
    args: ReadonlyArray<unknown>,
    refuseZero: boolean
  ): Either.Either<Prepared, InvalidRequestError> =>
    Either.gen(function*() {
      const path = yield* encodePath(operation, endpoint.path, args.slice(0, idCount))
      const encoded = yield* Either.mapLeft(encodeParams(args[idCount] ?? {}), (issue) => invalidInput(operation, issue, ""))
      const { [cursorParam]: cursor, ...params } = encoded as Record<string, unknown>
      const limit = params.limit
      if (typeof limit === "number" && range !== undefined && (limit < range.min || limit > range.max)) {
        return yield* Either.left(
          new InvalidRequestError({ operation, field: "limit", reason: `must be between ${range.min} and ${range.max}` })
        )
      }
      if (refuseZero && limit === 0) {
        return yield* Either.left(
          new InvalidRequestError({
            operation,
            field: "limit",
            reason: "must be at least 1 for list and pages (0 would return empty pages forever)"
          })
        )
      }
      const query = yield* encodeQuery(operation, params)
      yield* encodeQuery(operation, { [cursorParam]: cursor })
      return {
        path,
        query,
        cursor: typeof cursor === "string" && cursor !== "" ? Option.some(cursor) : Option.none()
      }
    })

  /** What parsing a page's body needs: its decoder, and the method and path that name it in a decoding error. */
  const pageDecoding = (prepared: Prepared) => ({ method: "GET", path: prepared.path, decode: decodeEnvelope }) as const

  /**
   * The request for one page: its body text is kept as it is, in a box, to be parsed by whoever takes the page. The
   * box is emptied then: the objects that handed the text over from fiber to fiber (exits, resumptions) are kept by
   * V8 until its next full collection, the text with them unless it is taken out.
   */
  const requestPage = (
    operation: string,
    prepared: Prepared,
    cursor: Option.Option<string>,
    onBody?: (text: string) => void
  ): Request.Call<Body> => ({
    operation,
    method: "GET",
    path: prepared.path,
    query: Option.isSome(cursor) ? [...prepared.query, [cursorParam, cursor.value]] : prepared.query,
    body: undefined,
    decode: (text) => Either.right({ text: text as string }),
    raw: true,
    create: false,
    onBody
  })

  /** The page of a response to `requestPage`: parsed and decoded when taken. */
  const fetched = (decoding: ReturnType<typeof pageDecoding>, span: Tracer.Span | undefined) =>
  (response: Request.Response<Body>): Pagination.Fetched<unknown, AdminApiError> => {
    const body = response.value
    span?.attribute("request.id", response.requestId ?? "")
    return {
      page: Effect.suspend(() => {
        const text = body.text ?? ""
        body.text = undefined
        return Either.match(Request.decodeBody(decoding, response.status, response.requestId, text), {
          onLeft: Effect.fail,
          onRight: (envelope) => Effect.succeed({ data: envelope.data, ...style.cursor(envelope) })
        })
      })
    }
  }

  const pageSpanName = `AdminApi.${listName}.page`
  const pageSpan = <A>(index: number, f: (span: Tracer.Span | undefined) => Effect.Effect<A, AdminApiError>) =>
    traced(pageSpanName, {
      kind: "client",
      captureStackTrace: false,
      asParent: true,
      attributes: { "page.index": index }
    }, f)
  const streamOptions = (args: ReadonlyArray<unknown>) =>
    Either.map(prepare(listName, args, true), (prepared): Pagination.StreamOptions<unknown, AdminApiError, never> => {
      const decoding = pageDecoding(prepared)
      return {
        fetch: (cursor, index) =>
          pageSpan(index, (span) =>
            Effect.map(requester.execute(requestPage(listName, prepared, cursor)), fetched(decoding, span))),
        // The next page is asked for from the response body, as soon as it has arrived (`Call.onBody`).
        start: (cursor, index, arrived, run) => {
          const started = requester.start(
            requestPage(listName, prepared, cursor, (text) => arrived(style.guess(text))),
            run
          )
          return {
            page: pageSpan(index, (span) => Effect.map(started.response, fetched(decoding, span))),
            interrupt: started.interrupt
          }
        },
        cursor: prepared.cursor,
        readAhead: requester.options.readAhead,
        path: endpoint.path
      }
    })

  /** A listing stream: `Pagination.stream` (pages) or `Pagination.items`, in the listing's span when traced. */
  const listing = <A>(
    make: (options: Pagination.StreamOptions<unknown, AdminApiError, never>) => Stream.Stream<A, AdminApiError>
  ) =>
  (...args: ReadonlyArray<unknown>): Stream.Stream<A, AdminApiError> =>
    tracedStream(
      Stream.suspend(() => Either.match(streamOptions(args), { onLeft: Stream.fail, onRight: make })),
      `AdminApi.${listName}`,
      { captureStackTrace: false, attributes: { "url.template": endpoint.path } }
    )
  const pages = listing(Pagination.stream)
  const list = listing(Pagination.items)

  const listPageName = `${resource}.listPage`
  const listPage = (...args: ReadonlyArray<unknown>): Effect.Effect<Pagination.Page<unknown>, AdminApiError> =>
    Effect.suspend(() => {
      const prepared = prepare(listPageName, args, false)
      if (Either.isLeft(prepared)) return Effect.fail(prepared.left)
      return Effect.flatMap(
        requester.execute(requestPage(listPageName, prepared.right, prepared.right.cursor)),
        (response) => fetched(pageDecoding(prepared.right), undefined)(response).page
      )
    }).pipe((effect) =>
      traced(`AdminApi.${listPageName}`, { kind: "client", captureStackTrace: false, asParent: true }, () => effect)
    )

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
