/**
 * The options every command shares, and the `AdminApi` they configure: from the library's environment
 * variables and the flags, or from the in-process fake server with `--demo`.
 */
import * as Options from "@effect/cli/Options"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { AdminApi, AdminApiConfig } from "effect-openai-admin"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { registerSecret } from "./Errors.js"
import { type Format, formats } from "./Output.js"
import { withProgress } from "./Progress.js"

/** Users, projects and groups of the demo organization. */
export const demoSize = { users: 240, projects: 36, groups: 12 } as const

export interface Common {
  readonly format: Option.Option<Format>
  readonly columns: Option.Option<string>
  readonly quiet: boolean
  readonly demo: boolean
  readonly baseUrl: Option.Option<string>
  readonly organization: Option.Option<string>
  readonly project: Option.Option<string>
  readonly retries: Option.Option<number>
  readonly timeout: Option.Option<number>
}

/** The flags of every listing and report. */
export const common: Options.Options<Common> = Options.all({
  format: Options.choice("format", formats).pipe(
    Options.withDescription("Output format: table (default on a terminal), json, ndjson (default when piped) or csv."),
    Options.optional
  ),
  columns: Options.text("columns").pipe(
    Options.withDescription(
      "Comma-separated columns for table and csv, dot paths allowed (e.g. id,email,role). Default: the fields with a value in the first page."
    ),
    Options.optional
  ),
  quiet: Options.boolean("quiet").pipe(
    Options.withAlias("q"),
    Options.withDescription("No progress line and no notes on stderr.")
  ),
  demo: Options.boolean("demo").pipe(
    Options.withDescription(
      `Run against a built-in fake organization (${demoSize.users} users, ${demoSize.projects} projects), no key needed.`
    )
  ),
  baseUrl: Options.text("base-url").pipe(
    Options.withDescription("API base URL (default: OPENAI_BASE_URL, else https://api.openai.com/v1)."),
    Options.optional
  ),
  organization: Options.text("organization").pipe(
    Options.withDescription("Sent as OpenAI-Organization (default: OPENAI_ORG_ID)."),
    Options.optional
  ),
  project: Options.text("project").pipe(
    Options.withDescription("Sent as OpenAI-Project (default: OPENAI_PROJECT_ID)."),
    Options.optional
  ),
  retries: Options.integer("retries").pipe(
    Options.withDescription("Retries of a failed request (transient errors only; default 2, 0 = none)."),
    Options.optional
  ),
  timeout: Options.float("timeout").pipe(
    Options.withDescription("Seconds per request attempt (default 60)."),
    Options.optional
  )
})

const tuning = (flags: Common): Partial<AdminApiConfig.Options> => {
  const out: { -readonly [K in keyof AdminApiConfig.Options]?: AdminApiConfig.Options[K] } = {}
  if (Option.isSome(flags.retries)) out.retry = flags.retries.value
  if (Option.isSome(flags.timeout)) {
    out.timeout = Number.isFinite(flags.timeout.value) && flags.timeout.value > 0
      ? Duration.millis(flags.timeout.value * 1000)
      : Duration.zero
  }
  return out
}

/** The service from the environment and the flags (flags win). */
const fromEnvironment = (flags: Common): Layer.Layer<AdminApi.AdminApi, ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const env = yield* Config.unwrap(AdminApiConfig.fromEnv)
    registerSecret(Redacted.value(env.apiKey))
    return AdminApi.layer({
      ...env,
      ...(Option.isSome(flags.baseUrl) ? { baseUrl: flags.baseUrl.value } : {}),
      ...(Option.isSome(flags.organization) ? { organization: flags.organization.value } : {}),
      ...(Option.isSome(flags.project) ? { project: flags.project.value } : {}),
      ...tuning(flags)
    })
  })).pipe(Layer.provide(FetchHttpClient.layer))

/** The service on the demo server, started for the layer's lifetime. */
const fromDemo = (flags: Common): Layer.Layer<AdminApi.AdminApi, ConfigError.ConfigError> =>
  Layer.unwrapScoped(Effect.map(
    // Loaded only for --demo: the fake server is not needed otherwise.
    Effect.flatMap(Effect.promise(() => import("./Demo.js")), (Demo) => Demo.server()),
    (server) => {
    registerSecret(server.apiKey)
      return AdminApi.layer({ apiKey: Redacted.make(server.apiKey), baseUrl: server.url, ...tuning(flags) })
    }
  )).pipe(Layer.provide(FetchHttpClient.layer))

/** Runs a command's effect with its `AdminApi` and, unless quiet, the progress line. */
export const execute = <E>(
  flags: Common,
  effect: Effect.Effect<void, E, AdminApi.AdminApi>
): Effect.Effect<void, E | ConfigError.ConfigError> =>
  withProgress(!flags.quiet, Effect.provide(effect, flags.demo ? fromDemo(flags) : fromEnvironment(flags)))

/** Prints a note on stderr, unless quiet. */
export const note = (flags: Common, text: string): Effect.Effect<void> =>
  flags.quiet ? Effect.void : Effect.sync(() => {
    process.stderr.write(`note: ${text}\n`)
  })
