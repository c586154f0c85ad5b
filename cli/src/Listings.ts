/**
 * `RESOURCE list` commands, one per list endpoint of the library, built from the descriptions in `Surface`.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import { AdminApi } from "effect-openai-admin"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { type Common, common, execute } from "./Client.js"
import { CliFailure, ExitCode } from "./Errors.js"
import { type ColumnSpec, defaultFormat, render } from "./Output.js"
import { type Listing, lookup, type Param } from "./Surface.js"

/** `1704067200`, `2024-01-01` or `2024-01-01T12:00:00Z` → unix seconds. */
export const parseTime = (text: string): number | undefined => {
  const trimmed = text.trim()
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed)
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed
  const millis = Date.parse(iso)
  return Number.isNaN(millis) ? undefined : Math.floor(millis / 1000)
}

const timeOption = (flag: string) =>
  Options.text(flag).pipe(
    Options.mapEffect((text) => {
      const seconds = parseTime(text)
      return seconds === undefined
        ? Effect.fail(
          ValidationError.invalidValue(
            HelpDoc.p(`--${flag}: expected unix seconds or a date such as 2024-01-31, got '${text}'`)
          )
        )
        : Effect.succeed(seconds)
    })
  )

const describe = (listing: Listing, param: Param): string => {
  if (param.key === "limit") {
    const range = listing.limit === undefined ? "" : ` (${listing.limit.min}–${listing.limit.max})`
    return `Items per request${range}; every page is still listed.`
  }
  const parts: Array<string> = [`Query parameter ${param.key}.`]
  if (param.description !== undefined) parts.push(param.description)
  if (param.time) parts.push("Unix seconds or a date (2024-01-31).")
  if (param.kind._tag === "Strings" || param.kind._tag === "Choices") parts.push("Repeat for several values.")
  return parts.join(" ")
}

/** The flag of a query parameter: its value is `Option.none()` when the flag is not given. */
const paramOption = (listing: Listing, param: Param): Options.Options<Option.Option<unknown>> => {
  const described = <A>(o: Options.Options<A>) => Options.withDescription(o, describe(listing, param))
  const optional = <A>(o: Options.Options<A>): Options.Options<Option.Option<unknown>> =>
    param.optional ? Options.optional(described(o)) : Options.map(described(o), Option.some)
  const nonEmpty = (o: Options.Options<ReadonlyArray<string>>) =>
    Options.map(described(o), (values) => values.length === 0 ? Option.none() : Option.some(values))
  switch (param.kind._tag) {
    case "String":
      return optional(Options.text(param.flag))
    case "Int":
      return optional(param.time ? timeOption(param.flag) : Options.integer(param.flag))
    case "Number":
      return optional(Options.float(param.flag))
    case "Boolean":
      return Options.map(described(Options.boolean(param.flag)), (b) => b ? Option.some(true) : Option.none())
    case "Choice":
      return optional(Options.choice(param.flag, param.kind.choices))
    case "Strings":
      return nonEmpty(Options.repeated(Options.text(param.flag)))
    case "Choices":
      return nonEmpty(Options.repeated(Options.choice(param.flag, param.kind.choices)))
  }
}

/** The columns of a listing, or the explicit `--columns`. */
export const columnSpec = (
  flags: Common,
  candidates: ColumnSpec["candidates"]
): ColumnSpec => ({
  candidates,
  explicit: Option.match(flags.columns, {
    onNone: () => undefined,
    onSome: (text) => text.split(",").map((s) => s.trim()).filter((s) => s !== "")
  })
})

/** Whether the listing gets a client-side `--role` filter: its items have a `role` and the API has no such parameter. */
const hasRoleFilter = (listing: Listing): boolean =>
  listing.fields.some((f) => f.name === "role") && !listing.params.some((p) => p.flag === "role")

const ROLE_KEY = "__role"

/** The `list` command of one listing. */
export const listCommand = (listing: Listing) => {
  const flags: Record<string, Options.Options<unknown>> = {}
  const byKey = new Map(listing.params.map((param) => [param.key, param] as const))
  for (const param of listing.params) flags[param.key] = paramOption(listing, param)
  const roleFilter = hasRoleFilter(listing)
  if (roleFilter) {
    flags[ROLE_KEY] = Options.text("role").pipe(
      Options.repeated,
      Options.withDescription("Only items with this role (filtered here, not by the API). Repeat for several roles.")
    )
  }
  const ids = listing.ids.map((id) =>
    Args.text({ name: id.toUpperCase() }).pipe(Args.withDescription(`The ${id.replace(/_/g, " ")}.`))
  )
  const name = [...listing.words, "list"].join(" ")
  const explode = listing.explode
  const candidates = [
    ...listing.fields.filter((f) => f.name !== "object" && f.path[0] !== explode?.field),
    ...(explode?.fields ?? []).filter((f) => f.name !== "object" && !listing.fields.some((p) => p.name === f.name))
  ]
  const toRows = explode === undefined
    ? undefined
    : (items: ReadonlyArray<unknown>): ReadonlyArray<unknown> =>
      items.flatMap((item) => {
        const results = (item as Record<string, unknown>)[explode.field]
        return Array.isArray(results) && results.length > 0
          ? results.map((result) => ({ ...(item as object), ...(result as object) }))
          : [item]
      })
  return Command.make("list", {
    common,
    params: Options.all(flags),
    ids: ids.length === 0 ? Args.none : Args.all(ids)
  }, (input) => {
    const flagsIn = input.common
    const params: Record<string, unknown> = {}
    let roles: ReadonlyArray<string> = []
    for (const [key, value] of Object.entries(input.params)) {
      if (key === ROLE_KEY) roles = value as ReadonlyArray<string>
      else if (Option.isOption(value) && Option.isSome(value)) {
        const path = byKey.get(key)?.path ?? [key]
        let target = params
        for (const segment of path.slice(0, -1)) {
          target = (target[segment] ??= {}) as Record<string, unknown>
        }
        target[path[path.length - 1]!] = value.value
      }
    }
    const idValues: ReadonlyArray<unknown> = Array.isArray(input.ids) ? input.ids : []
    return execute(
      flagsIn,
      Effect.gen(function*() {
        const admin = yield* AdminApi.AdminApi
        const node = lookup(admin, listing.tree)
        if (node === undefined) {
          return yield* new CliFailure({
            message: `${name}: not available in this version of effect-openai-admin`,
            code: ExitCode.unexpected
          })
        }
        yield* render(
          Option.getOrElse(flagsIn.format, defaultFormat),
          columnSpec(flagsIn, candidates),
          Stream.map(node.pages(...idValues, params), (page) => page.data),
          {
            toRows,
            keep: roles.length === 0
              ? undefined
              : (item) => roles.includes(String((item as { readonly role?: unknown }).role))
          }
        )
      })
    )
  }).pipe(
    Command.withDescription(
      `List ${listing.words.join(" ")}: GET ${listing.path}, every page, streamed.${
        roleFilter ? " --role filters on the client." : ""
      }`
    )
  )
}
