/**
 * One pagination mechanism for every list of the Admin API. A list endpoint names its style (how to read
 * `hasMore` and the next cursor from the envelope, and which query parameter carries the cursor); `stream`
 * unfolds the pages with the loop guards and read-ahead.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { PaginationError } from "./AdminApiError.js"

/**
 * One page of a listing, the same for every pagination style. Passing `nextCursor` back as the cursor
 * parameter (`after`, or `page` for usage and costs) resumes the listing after this page.
 *
 * @since 0.1.0
 * @category models
 */
export interface Page<A> {
  readonly data: ReadonlyArray<A>
  readonly hasMore: boolean
  readonly nextCursor: Option.Option<string>
}

/**
 * How a list endpoint pages: the envelope around its items, how to read a `Page` from it, and the query
 * parameter that carries the cursor.
 *
 * @since 0.1.0
 * @category models
 */
export interface Style {
  readonly _tag: "CursorId" | "CursorNext" | "PageToken"
  /** The query parameter that carries the cursor. */
  readonly cursorParam: "after" | "page"
  /** The envelope schema for items of schema `item`. */
  readonly envelope: <A, I, R>(item: Schema.Schema<A, I, R>) => Schema.Schema<Envelope<A>, unknown, R>
  /** The page, with its next cursor, from a decoded envelope. */
  readonly toPage: <A>(envelope: Envelope<A>) => Page<A>
}

/**
 * The decoded envelope, with the fields any style reads.
 *
 * @since 0.1.0
 * @category models
 */
export interface Envelope<A> {
  readonly data: ReadonlyArray<A>
  readonly has_more: boolean
  readonly last_id?: string | null | undefined
  readonly next?: string | null | undefined
  readonly next_page?: string | null | undefined
}

const nonEmpty = (s: string | null | undefined): Option.Option<string> =>
  s === null || s === undefined || s === "" ? Option.none() : Option.some(s)

const itemId = (item: unknown): string | undefined => {
  if (typeof item === "object" && item !== null && "id" in item) {
    const id = (item as { readonly id: unknown }).id
    return typeof id === "string" ? id : undefined
  }
  return undefined
}

const envelopeWith = (cursorField: "last_id" | "next" | "next_page") =>
<A, I, R>(item: Schema.Schema<A, I, R>): Schema.Schema<Envelope<A>, unknown, R> =>
  Schema.Struct({
    data: Schema.Array(item),
    has_more: Schema.Boolean,
    [cursorField]: Schema.optional(Schema.NullOr(Schema.String))
  }) as unknown as Schema.Schema<Envelope<A>, unknown, R>

/**
 * `{ object: "list", data, first_id, last_id, has_more }`: the next page is `after = last_id`, or the last
 * item's `id` when `last_id` is absent.
 *
 * @since 0.1.0
 * @category styles
 */
export const cursorId: Style = {
  _tag: "CursorId",
  cursorParam: "after",
  envelope: envelopeWith("last_id"),
  toPage: (envelope) => ({
    data: envelope.data,
    hasMore: envelope.has_more,
    nextCursor: envelope.has_more
      ? Option.orElse(nonEmpty(envelope.last_id), () => nonEmpty(itemId(envelope.data[envelope.data.length - 1])))
      : Option.none()
  })
}

/**
 * `{ object: "list", data, has_more, next }` (groups and roles): the next page is `after = next`.
 *
 * @since 0.1.0
 * @category styles
 */
export const cursorNext: Style = {
  _tag: "CursorNext",
  cursorParam: "after",
  envelope: envelopeWith("next"),
  toPage: (envelope) => ({
    data: envelope.data,
    hasMore: envelope.has_more,
    nextCursor: envelope.has_more ? nonEmpty(envelope.next) : Option.none()
  })
}

/**
 * `{ object: "page", data, has_more, next_page }` (usage and costs): the next page is `page = next_page`.
 *
 * @since 0.1.0
 * @category styles
 */
export const pageToken: Style = {
  _tag: "PageToken",
  cursorParam: "page",
  envelope: envelopeWith("next_page"),
  toPage: (envelope) => ({
    data: envelope.data,
    hasMore: envelope.has_more,
    nextCursor: envelope.has_more ? nonEmpty(envelope.next_page) : Option.none()
  })
}

/**
 * @since 0.1.0
 * @category models
 */
export interface StreamOptions<A, E, R> {
  /** Fetches one page; `index` counts from 0. Each call is one request, retried on its own. */
  readonly fetch: (cursor: Option.Option<string>, index: number) => Effect.Effect<Page<A>, E, R>
  /** Where to start (a `nextCursor` from an earlier listing), or none for the beginning. */
  readonly cursor: Option.Option<string>
  /** Pages requested beyond the one being consumed (0: strictly one after another). */
  readonly readAhead: number
  /** Names the listing in a `PaginationError`. */
  readonly path: string
}

/**
 * The pages of a listing, one after another, until a page says `hasMore: false`. An empty page that still has a
 * cursor is followed. `hasMore` without a cursor, or a cursor this listing has already used, fails with
 * `PaginationError` before that page is emitted, so a server that repeats itself cannot loop forever or make the
 * stream emit an item twice.
 *
 * With `readAhead` = n, up to n pages beyond the one being consumed are requested in the background, so at most
 * n + 1 pages are held at once; when the consumer stops, requests still in flight are interrupted.
 *
 * @since 0.1.0
 * @category constructors
 */
export const stream = <A, E, R>(options: StreamOptions<A, E, R>): Stream.Stream<Page<A>, E | PaginationError, R> =>
  Stream.suspend(() => {
    const used = new Set<string>()
    if (Option.isSome(options.cursor)) used.add(options.cursor.value)
    type Step = Option.Option<readonly [Page<A>, State]>
    /** One page, checked against the loop guards; none once a page said `hasMore: false`. */
    const step = (state: State): Effect.Effect<Step, E | PaginationError, R> => {
      if (state.done) return Effect.succeed(Option.none())
      return Effect.flatMap(options.fetch(state.cursor, state.index), (page): Effect.Effect<Step, PaginationError> => {
        if (!page.hasMore) {
          return Effect.succeed(Option.some([page, { cursor: Option.none(), index: state.index + 1, done: true }]))
        }
        if (Option.isNone(page.nextCursor)) {
          return Effect.fail(
            new PaginationError({ path: options.path, reason: "MissingCursor", cursor: null, page: state.index })
          )
        }
        const next = page.nextCursor.value
        if (used.has(next)) {
          return Effect.fail(
            new PaginationError({ path: options.path, reason: "RepeatedCursor", cursor: next, page: state.index })
          )
        }
        used.add(next)
        return Effect.succeed(Option.some([page, { cursor: page.nextCursor, index: state.index + 1, done: false }]))
      })
    }
    const initial: State = { cursor: options.cursor, index: 0, done: false }
    return options.readAhead <= 0 ? Stream.unfoldEffect(initial, step) : readingAhead(initial, step, options.readAhead)
  })

interface State {
  readonly cursor: Option.Option<string>
  readonly index: number
  readonly done: boolean
}

/**
 * The pages, fetched by a producer fiber up to `readAhead` pages ahead of the consumer: page k + readAhead may be
 * requested only once the consumer has asked for page k (and so is done with page k - 1), so at most
 * readAhead + 1 pages are held. The producer lives in the stream's scope: when the consumer stops, a request
 * still in flight is interrupted.
 */
const readingAhead = <A, E, R>(
  initial: State,
  step: (state: State) => Effect.Effect<Option.Option<readonly [Page<A>, State]>, E, R>,
  readAhead: number
): Stream.Stream<Page<A>, E, R> =>
  Stream.unwrapScoped(Effect.gen(function*() {
    const permits = yield* Effect.makeSemaphore(readAhead + 1)
    const queue = yield* Effect.acquireRelease(
      Queue.unbounded<Exit.Exit<Option.Option<Page<A>>, E>>(),
      Queue.shutdown
    )
    const produce = (state: State): Effect.Effect<void, never, R> =>
      Effect.flatMap(Effect.zipRight(permits.take(1), Effect.exit(step(state))), (exit) => {
        if (Exit.isFailure(exit)) return Queue.offer(queue, Exit.failCause(exit.cause))
        const next = exit.value
        return Option.isNone(next)
          ? Queue.offer(queue, Exit.succeed(Option.none()))
          : Effect.zipRight(Queue.offer(queue, Exit.succeed(Option.some(next.value[0]))), produce(next.value[1]))
      })
    yield* Effect.forkScoped(produce(initial))
    let first = true
    return Stream.repeatEffectOption(Effect.suspend(() => {
      const release = first ? Effect.void : permits.release(1)
      first = false
      return Effect.zipRight(
        release,
        Effect.flatMap(Queue.take(queue), (exit): Effect.Effect<Page<A>, Option.Option<E>> =>
          Exit.isFailure(exit)
            ? Effect.mapError(Effect.failCause(exit.cause), Option.some)
            : Option.match(exit.value, { onNone: () => Effect.fail(Option.none()), onSome: Effect.succeed }))
      )
    }))
  }))
