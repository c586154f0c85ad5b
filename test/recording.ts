/**
 * Records everything through which the library could leak a secret: every error and cause a test saw
 * (message, `String`, JSON, `Cause.pretty`), every log line (logfmt and JSON, at every level) and every span
 * (name, attributes, events, exit). `scanForSecrets` then looks for the admin key and for every secret the
 * fake servers minted. Used after every test by test/Properties.test.ts and test/Hardening.test.ts.
 */
import { Cause, Effect, Exit, Inspectable, Logger, LogLevel, Option, Tracer } from "effect"
import type * as FakeAdminServer from "../src/testing/FakeAdminServer.js"

export interface Recorder {
  /** Runs `self` with the recording tracer and logger (debug level); records its failure, if any. */
  readonly observe: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Records an error or a cause explicitly (e.g. one a test caught and inspects). */
  readonly record: (u: unknown) => void
  /** Remembers a server whose key and minted secrets must not appear anywhere. */
  readonly server: (server: FakeAdminServer.FakeAdminServer) => void
  /** Remembers any other secret (e.g. a key a test configured). */
  readonly secret: (secret: string) => void
  /** How many texts have been recorded (to check that a scan is not vacuous). */
  readonly size: () => number
  /**
   * The recorded texts that contain a secret, as `[secret, text]` pairs (empty when nothing leaked), then
   * forgets everything.
   */
  readonly scan: () => ReadonlyArray<readonly [string, string]>
}

const safeJson = (u: unknown): string => {
  try {
    return JSON.stringify(u) ?? ""
  } catch (e) {
    return `<unserialisable: ${String(e)}>`
  }
}

const errorTexts = (u: unknown): Array<string> => {
  if (Cause.isCause(u)) return [Cause.pretty(u), safeJson(u), String(u)]
  const texts = [String(u), safeJson(u), Inspectable.format(u), Cause.pretty(Cause.fail(u))]
  if (typeof u === "object" && u !== null && "message" in u) texts.push(String(u.message))
  return texts
}

export const makeRecorder = (): Recorder => {
  let texts: Array<string> = []
  let servers: Array<FakeAdminServer.FakeAdminServer> = []
  let secrets: Array<string> = []
  const record = (u: unknown) => {
    texts.push(...errorTexts(u))
  }

  const logger = Logger.make((options) => {
    texts.push(Logger.logfmtLogger.log(options), Logger.jsonLogger.log(options))
  })

  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const attributes = new Map<string, unknown>()
      texts.push(name)
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: `span-${texts.length}`,
        traceId: "trace",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes,
        links,
        sampled: true,
        kind,
        end: (_endTime, exit) => {
          texts.push(safeJson([name, [...attributes]]))
          if (Exit.isFailure(exit)) record(exit.cause)
        },
        attribute: (key, value) => {
          attributes.set(key, value)
          texts.push(`${key}=${String(value)}`)
        },
        event: (eventName, _time, eventAttributes) => {
          texts.push(safeJson([eventName, eventAttributes]))
        },
        addLinks: () => {}
      }
      return span
    },
    context: (f) => f()
  })

  return {
    observe: (self) =>
      self.pipe(
        Effect.tapErrorCause((cause) => Effect.sync(() => record(cause))),
        Effect.withTracer(tracer),
        Effect.withTracerEnabled(true),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.All)
      ),
    record,
    server: (server) => {
      servers.push(server)
    },
    secret: (secret) => {
      secrets.push(secret)
    },
    size: () => texts.length,
    scan: () => {
      const all = [...secrets]
      for (const server of servers) {
        all.push(server.apiKey, ...Effect.runSync(server.mintedSecrets))
      }
      const found: Array<readonly [string, string]> = []
      for (const secret of new Set(all)) {
        if (secret.length < 8) continue
        for (const text of texts) if (text.includes(secret)) found.push([secret, text.slice(0, 400)])
      }
      texts = []
      servers = []
      secrets = []
      return found
    }
  }
}

/** `Option` helper for tests: the failure of an exit, if it failed with one. */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): Option.Option<E> =>
  Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : Option.none()
