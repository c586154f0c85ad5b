/**
 * Progress on stderr, fed by the library's spans: each `AdminApi.<resource>.list.page` span that ends is a page
 * (its `page.items` attribute counts the items) and each `retry` event on a span is a retry (a 429's is a
 * rate-limit wait). One line, redrawn at most every 100 ms, cleared when the command ends. Off when stderr is
 * not a terminal, or with `--quiet`.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Scope from "effect/Scope"
import * as Tracer from "effect/Tracer"
import { beforeWrite } from "./Output.js"

const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

interface State {
  pages: number
  items: number
  retries: number
  listing: string
  note: string
  shown: boolean
  dirty: boolean
  frame: number
}

const pageSpan = /^AdminApi\.(.+)\.list\.page$/

const describeRetry = (attributes: Record<string, unknown> | undefined): string => {
  const status = attributes?.["status"]
  const delay = Number(attributes?.["delayMillis"] ?? 0)
  const wait = Duration.format(Duration.millis(Math.round(delay)))
  const what = status === 429
    ? "rate limited"
    : typeof status === "number"
    ? `HTTP ${status}`
    : String(attributes?.["error"] ?? "error").replace(/Error$/, " error").toLowerCase()
  return `${what}, retrying in ${wait}`
}

/**
 * Wraps the current tracer so that spans feed the progress line, for the scope's lifetime. Does nothing when
 * progress is off.
 */
export const withProgress = <A, E, R>(
  enabled: boolean,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E, Exclude<R, Scope.Scope>> => {
  if (!enabled || !process.stderr.isTTY) return Effect.scoped(effect) as Effect.Effect<A, E, Exclude<R, Scope.Scope>>
  return Effect.scoped(Effect.gen(function*() {
    const state: State = {
      pages: 0,
      items: 0,
      retries: 0,
      listing: "",
      note: "",
      shown: false,
      dirty: false,
      frame: 0
    }
    const clear = () => {
      if (state.shown) {
        process.stderr.write("\r\x1b[2K")
        state.shown = false
        state.dirty = true
      }
    }
    const draw = () => {
      if (!state.dirty && state.shown) return
      state.frame = (state.frame + 1) % frames.length
      const parts = [
        `${frames[state.frame]} ${state.listing === "" ? "listing" : state.listing}`,
        `${state.pages} page${state.pages === 1 ? "" : "s"}`,
        `${state.items} item${state.items === 1 ? "" : "s"}`
      ]
      if (state.retries > 0) parts.push(`${state.retries} retr${state.retries === 1 ? "y" : "ies"}`)
      if (state.note !== "") parts.push(state.note)
      let line = parts.join(" · ")
      const width = (process.stderr.columns || 80) - 1
      if ([...line].length > width) line = [...line].slice(0, Math.max(0, width - 1)).join("") + "…"
      process.stderr.write(`\r\x1b[2K${line}`)
      state.shown = true
      state.dirty = false
    }
    const hook = () => {
      if (process.stdout.isTTY) clear()
    }
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        beforeWrite.push(hook)
        const timer = setInterval(() => {
          state.dirty = true
          draw()
        }, 100)
        timer.unref()
        return timer
      }),
      (timer) =>
        Effect.sync(() => {
          clearInterval(timer)
          const i = beforeWrite.indexOf(hook)
          if (i >= 0) beforeWrite.splice(i, 1)
          clear()
        })
    )
    const base = yield* Effect.tracer
    const tracer = Tracer.make({
      context: (f, fiber) => base.context(f, fiber),
      span: (name, parent, context, links, startTime, kind, options) => {
        const span = base.span(name, parent, context, links, startTime, kind, options)
        if (!name.startsWith("AdminApi.")) return span
        const end = span.end.bind(span)
        const event = span.event.bind(span)
        const match = pageSpan.exec(name)
        const mutable = span as { -readonly [K in keyof Tracer.Span]: Tracer.Span[K] }
        mutable.end = (endTime: bigint, exit: Exit.Exit<unknown, unknown>) => {
          end(endTime, exit)
          if (match !== null && exit._tag === "Success") {
            state.pages++
            state.items += Number(span.attributes.get("page.items") ?? 0)
            state.listing = match[1]!
            state.note = ""
            state.dirty = true
          }
        }
        mutable.event = (eventName: string, time: bigint, attributes?: Record<string, unknown>) => {
          event(eventName, time, attributes)
          if (eventName === "retry") {
            state.retries++
            state.note = describeRetry(attributes)
            state.dirty = true
          }
        }
        return span
      }
    })
    return yield* Effect.withTracer(effect, tracer)
  })) as Effect.Effect<A, E, Exclude<R, Scope.Scope>>
}
