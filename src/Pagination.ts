/**
 * One pagination mechanism for every list of the Admin API. A list endpoint names its style (how to read
 * `hasMore` and the next cursor from the envelope, and which query parameter carries the cursor); `stream`
 * unfolds the pages with the loop guards and read-ahead.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Equivalence from "effect/Equivalence"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { PaginationError } from "./AdminApiError.js"
import { afterPendingWork } from "./internal/scheduling.js"

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
 * Where a listing goes on after a page: read from the envelope as it arrived, before its items are decoded.
 *
 * @since 0.1.0
 * @category models
 */
export interface Cursor {
  readonly hasMore: boolean
  readonly nextCursor: Option.Option<string>
}

/**
 * How a list endpoint pages: the envelope around its items, how to read the next cursor from it, and the query
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
  /** `hasMore` and the next cursor of a decoded envelope. */
  readonly cursor: (envelope: Envelope<unknown>) => Cursor
  /**
   * A guess at the cursor from the body text alone, before it is parsed: the envelope's own fields near its end
   * (where the API puts them), or undefined when they cannot be read that way. Only ever used to ask for the next
   * page early: the decoded page has the final word, and a wrong guess is dropped (see `stream`).
   */
  readonly guess: (text: string) => Cursor | undefined
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

const noMore: Cursor = { hasMore: false, nextCursor: Option.none() }

/**
 * The value of the last `"name":` in `text`, if it is `true`, `false`, `null` or a string without escapes: how an
 * envelope's trailing fields read without parsing the page. Anything else is undefined.
 */
const lastField = (text: string, name: string): string | boolean | null | undefined => {
  const at = text.lastIndexOf(`"${name}"`)
  if (at < 0) return undefined
  let i = at + name.length + 2
  while (text.charCodeAt(i) <= 32) i++
  if (text.charCodeAt(i) !== 58 /* : */) return undefined
  i++
  while (text.charCodeAt(i) <= 32) i++
  if (text.startsWith("true", i)) return true
  if (text.startsWith("false", i)) return false
  if (text.startsWith("null", i)) return null
  if (text.charCodeAt(i) !== 34 /* " */) return undefined
  const close = text.indexOf("\"", i + 1)
  if (close < 0) return undefined
  const escape = text.indexOf("\\", i + 1)
  if (escape >= 0 && escape < close) return undefined
  // A string of its own, not `text.slice(...)`: V8 makes a slice of a long string a view into it, and a cursor so
  // made would keep its whole page's text alive for as long as the listing remembers the cursor.
  return JSON.parse(text.slice(i, close + 1)) as string
}

/** The guess of a style whose cursor is the envelope field `name`. */
const guessFrom = (name: string) => (text: string): Cursor | undefined => {
  const hasMore = lastField(text, "has_more")
  if (hasMore === false) return noMore
  if (hasMore !== true) return undefined
  const cursor = lastField(text, name)
  return typeof cursor === "string" && cursor !== "" ? { hasMore: true, nextCursor: Option.some(cursor) } : undefined
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
  cursor: (envelope) =>
    envelope.has_more
      ? {
        hasMore: true,
        nextCursor: Option.orElse(
          nonEmpty(envelope.last_id),
          () => nonEmpty(itemId(envelope.data[envelope.data.length - 1]))
        )
      }
      : noMore,
  guess: guessFrom("last_id")
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
  cursor: (envelope) => envelope.has_more ? { hasMore: true, nextCursor: nonEmpty(envelope.next) } : noMore,
  guess: guessFrom("next")
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
  cursor: (envelope) => envelope.has_more ? { hasMore: true, nextCursor: nonEmpty(envelope.next_page) } : noMore,
  guess: guessFrom("next_page")
}

/**
 * One page as fetched: the page itself, parsed and decoded only when the consumer takes it, and possibly a guess at
 * where the listing goes on, read from the response as it arrived. The next request can so be on its way while this
 * page is parsed and decoded.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fetched<A, E> {
  /** From the body text alone (`Style.guess`), if known: only ever used to ask for the next page early. */
  readonly guess?: Cursor | undefined
  /** The page, its cursor included: the final word. */
  readonly page: Effect.Effect<Page<A>, E>
}

/**
 * A page request already on its way (`StreamOptions.start`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Started<A, E> {
  /** The page as fetched: the request started, retried as `fetch` would if it fails. */
  readonly page: Effect.Effect<Fetched<A, E>, E>
  /** Stops the request: its page is not wanted any more. */
  readonly interrupt: Effect.Effect<void>
}

/**
 * Starts a fiber at once, from outside of any fiber, and returns it.
 *
 * @since 0.1.0
 * @category models
 */
export type Run<R> = <A, E>(effect: Effect.Effect<A, E, R>) => Fiber.RuntimeFiber<A, E>

/**
 * @since 0.1.0
 * @category models
 */
export interface StreamOptions<A, E, R> {
  /** Fetches one page; `index` counts from 0. Each call is one request, retried on its own. */
  readonly fetch: (cursor: Option.Option<string>, index: number) => Effect.Effect<Fetched<A, E>, E, R>
  /**
   * Reading ahead, starts fetching a page at once, in a fiber that `run` starts. `arrived` is to be called, from
   * anywhere, with the cursor guessed from the page's response as soon as that has arrived (see `Style.guess`), or
   * undefined: the listing may then ask for the next page before this one is parsed. Without `start`, a page is
   * fetched with `fetch` in a fiber of its own, and `arrived` gets `Fetched.guess` once that is done.
   */
  readonly start?: (
    cursor: Option.Option<string>,
    index: number,
    arrived: (guess: Cursor | undefined) => void,
    run: Run<R>
  ) => Started<A, E>
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
 * With `readAhead` = n, up to n pages beyond the one being consumed are requested in the background, at most
 * n + 1 pages held at once; when the consumer stops, requests still in flight are interrupted. Each of them goes
 * out as soon as the page before has arrived, with the cursor guessed from its text (`Style.guess`), before that
 * page is parsed and decoded. Every page is then checked: it must have been asked for with the cursor of the
 * decoded page before it. If a guess was wrong (a server that puts its fields elsewhere), the pages fetched from
 * it are dropped, unseen, and fetching starts again from the right cursor: the result is always what strictly
 * one-after-another fetching gives, possibly at the cost of requests whose answers are never used.
 *
 * @since 0.1.0
 * @category constructors
 */
export const stream = <A, E, R>(options: StreamOptions<A, E, R>): Stream.Stream<Page<A>, E | PaginationError, R> =>
  Stream.unwrapScoped(Effect.map(pull(options), Stream.repeatEffectOption))

/**
 * The items of a listing, page after page: `stream` flattened, one `Chunk` per page.
 *
 * @since 0.1.0
 * @category constructors
 */
export const items = <A, E, R>(options: StreamOptions<A, E, R>): Stream.Stream<A, E | PaginationError, R> =>
  Stream.unwrapScoped(Effect.map(pull(options), (next) =>
    Stream.repeatEffectChunkOption(
      Effect.map(next, (page) => Chunk.unsafeFromArray(page.data as Array<A>))
    )))

/**
 * A listing as a pull: each run of the effect gives the next page, or fails with `None` after the last one. Made
 * in a scope, which holds the page requests started ahead when reading ahead.
 */
const pull = <A, E, R>(
  options: StreamOptions<A, E, R>
): Effect.Effect<Effect.Effect<Page<A>, Option.Option<E | PaginationError>, R>, never, Scope.Scope | R> =>
  Effect.suspend(() => {
    const used = new Set<string>()
    if (Option.isSome(options.cursor)) used.add(options.cursor.value)
    /** The loop guards, on a decoded page: the error that fails the listing instead of emitting it, if any. */
    const guard = (page: Page<A>, index: number): PaginationError | undefined => {
      if (!page.hasMore) return undefined
      if (Option.isNone(page.nextCursor)) {
        return new PaginationError({ path: options.path, reason: "MissingCursor", cursor: null, page: index })
      }
      const next = page.nextCursor.value
      if (used.has(next)) {
        return new PaginationError({ path: options.path, reason: "RepeatedCursor", cursor: next, page: index })
      }
      used.add(next)
      return undefined
    }
    const progress: Progress = { cursor: options.cursor, index: 0, done: false }
    /** The listing fails with `error`, and stops. */
    const stop = (error: E | PaginationError): Effect.Effect<never, Option.Option<E | PaginationError>> => {
      progress.done = true
      return Effect.fail(Option.some(error))
    }
    /** Page `progress.index`, decoded and checked; then the listing goes on after it, or stops. */
    const advance = (page: Effect.Effect<Page<A>, E>): Effect.Effect<Page<A>, Option.Option<E | PaginationError>> => {
      const index = progress.index
      return Effect.matchEffect(page, {
        onFailure: stop,
        onSuccess: (decoded) => {
          const error = guard(decoded, index)
          if (error !== undefined) return stop(error)
          progress.cursor = decoded.nextCursor
          progress.index = index + 1
          progress.done = !decoded.hasMore
          return Effect.succeed(decoded)
        }
      })
    }
    if (options.readAhead > 0) return prefetching(options, progress, advance, stop)
    // Strictly one after another.
    return Effect.succeed(Effect.suspend(() =>
      progress.done
        ? Effect.fail(Option.none())
        : Effect.matchEffect(options.fetch(progress.cursor, progress.index), {
          onFailure: stop,
          onSuccess: (fetched) => advance(fetched.page)
        })
    ))
  })

/** Where a listing's consumer is: the decoded cursor of its next page, that page's index, whether it ended. */
interface Progress {
  cursor: Option.Option<string>
  index: number
  done: boolean
}

const sameCursor = Option.getEquivalence(Equivalence.string)

/** `start` for a listing that has only `fetch`: the page in a fiber of its own, its guess once it is fetched. */
const startWithFetch = <A, E, R>(
  fetch: StreamOptions<A, E, R>["fetch"]
): NonNullable<StreamOptions<A, E, R>["start"]> =>
(cursor, index, arrived, run) => {
  const fiber = run(Effect.tap(fetch(cursor, index), (fetched) => Effect.sync(() => arrived(fetched.guess))))
  return { page: Effect.flatten(Fiber.await(fiber)), interrupt: Fiber.interrupt(fiber) }
}

/** A page asked for, in index order; `started` is set as soon as `start` returns. */
interface Slot<A, E> {
  readonly cursor: Option.Option<string>
  readonly index: number
  started: Started<A, E> | undefined
}

/**
 * The pages, each asked for in a fiber of its own as soon as the response of the page before has arrived, with the
 * cursor guessed from it (`StreamOptions.start`): page k + readAhead may be requested only once the consumer has
 * asked for page k (and so is done with page k - 1), so at most readAhead + 1 pages are held. The consumer awaits,
 * parses and decodes each page, and takes a page only if it was asked for with the decoded cursor of the one before;
 * otherwise (a wrong guess, or no guess) it drops the pages asked for from there on and asks again with the right
 * cursor. The fibers live in the stream's scope: when the consumer stops, a request still in flight is interrupted.
 */
const prefetching = <A, E, R>(
  options: StreamOptions<A, E, R>,
  progress: Progress,
  advance: (page: Effect.Effect<Page<A>, E>) => Effect.Effect<Page<A>, Option.Option<E | PaginationError>>,
  stop: (error: E) => Effect.Effect<never, Option.Option<E | PaginationError>>
): Effect.Effect<Effect.Effect<Page<A>, Option.Option<E | PaginationError>, R>, never, Scope.Scope | R> =>
  Effect.gen(function*() {
    const runtime = yield* Effect.runtime<R>()
    // At once: a page asked for from `arrived` sends its request before the page that arrived is decoded.
    const run: Run<R> = (effect) => Runtime.runFork(runtime, effect, { immediate: true })
    const start = options.start ?? startWithFetch(options.fetch)
    let slots: Array<Slot<A, E>> = []
    /** The page the consumer asked for last. */
    let asked = progress.index
    /** A page guessed at while it could not be asked for yet (readAhead pages ahead already). */
    let waiting: { readonly cursor: Option.Option<string>; readonly index: number } | undefined
    /** Bumped when the pages asked for are dropped: `arrived` from a dropped page is ignored. */
    let generation = 0
    let closed = false

    const ask = (cursor: Option.Option<string>, index: number): void => {
      const slot: Slot<A, E> = { cursor, index, started: undefined }
      slots.push(slot)
      const current = generation
      slot.started = start(cursor, index, (guess) => arrived(current, index, guess), run)
    }
    const arrived = (from: number, index: number, guess: Cursor | undefined): void => {
      if (closed || from !== generation || guess === undefined || !guess.hasMore) return
      if (Option.isNone(guess.nextCursor)) return
      const next = index + 1
      const last = slots[slots.length - 1]
      if (last !== undefined && last.index >= next) return
      if (next > asked + options.readAhead) {
        waiting = { cursor: guess.nextCursor, index: next }
      } else {
        ask(guess.nextCursor, next)
      }
    }
    const drop = (): Effect.Effect<void> => {
      generation++
      waiting = undefined
      const dropped = slots
      slots = []
      return Effect.forEach(dropped, (slot) => slot.started?.interrupt ?? Effect.void, { discard: true })
    }
    yield* Effect.addFinalizer(() =>
      Effect.suspend(() => {
        closed = true
        return drop()
      })
    )

    const pull: Effect.Effect<Page<A>, Option.Option<E | PaginationError>, R> = Effect.suspend(() => {
      if (progress.done) return Effect.fail(Option.none())
      const index = progress.index
      asked = index
      while (slots.length > 0 && slots[0]!.index < index) slots.shift()
      const head = slots[0]
      if (
        head === undefined || head.started === undefined || head.index !== index ||
        !sameCursor(head.cursor, progress.cursor)
      ) {
        // Nothing asked for yet, or asked for on a wrong guess: ask again, from the decoded cursor.
        return Effect.zipRight(
          drop(),
          Effect.suspend(() => {
            ask(progress.cursor, index)
            return pull
          })
        )
      }
      let askedNow = false
      if (waiting !== undefined && waiting.index <= index + options.readAhead) {
        const { cursor, index: next } = waiting
        waiting = undefined
        ask(cursor, next)
        askedNow = true
      }
      return Effect.matchEffect(head.started.page, {
        onFailure: stop,
        // The transport puts a request on the wire over several microtasks. A request asked for from `arrived` is
        // on its way before this fiber resumes (through Effect's scheduler, after those microtasks); one asked for
        // just now, in this same run, is let out first (a turn of the event loop) rather than wait for this page to
        // be parsed and decoded. `bench/timeline.mjs` shows both: `body → send` and `send → wire`.
        onSuccess: (fetched) =>
          askedNow ? Effect.zipRight(afterPendingWork, advance(fetched.page)) : advance(fetched.page)
      })
    })
    return pull
  })
