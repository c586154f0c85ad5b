/**
 * Spans only when someone can see them. Effect's built-in tracer records spans in memory and exports nothing: a
 * span made with it is never read by anyone (no code of the caller's runs inside this library's spans). With that
 * tracer the span, its fiber-ref update and its end are skipped; with any other tracer (OpenTelemetry, a test's
 * recorder) every span is made as before.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"

/** The tracer of Effect's default services. */
const builtInTracer = Effect.runSync(Effect.tracer)

/** Whether the fiber's tracer exports spans: any tracer but the built-in one. */
const isTraced = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean => fiber.currentTracer !== builtInTracer

/**
 * `f(span)` inside a span named `name` when a tracer is installed, else `f(undefined)`. The span is the parent of
 * spans made inside `f` only with `asParent: true`; `f` may set attributes on it directly.
 *
 * @internal
 */
export const traced = <A, E, R>(
  name: string,
  options: Tracer.SpanOptions & { readonly asParent?: boolean },
  f: (span: Tracer.Span | undefined) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.withFiberRuntime((fiber) =>
    isTraced(fiber)
      ? Effect.useSpan(name, options, (span) =>
        options.asParent === true ? Effect.withParentSpan(f(span), span) : f(span))
      : f(undefined)
  )

/**
 * `self` in a span named `name` when a tracer is installed (decided when the stream runs), else `self` as it is.
 *
 * @internal
 */
export const tracedStream = <A, E, R>(
  self: Stream.Stream<A, E, R>,
  name: string,
  options: Tracer.SpanOptions
): Stream.Stream<A, E, R> =>
  Stream.unwrap(
    Effect.withFiberRuntime((fiber) =>
      Effect.succeed(isTraced(fiber) ? Stream.withSpan(self, name, options) : self)
    )
  )
