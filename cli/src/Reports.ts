/**
 * The reports: `access-report` (who has access to what) and `stale-keys` (who has not used a key lately).
 * Both reach the service by path at runtime, so a resource missing from this version of the library is
 * reported (or skipped with a note) instead of breaking the build.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { AdminApi, type AdminApiError } from "effect-openai-admin"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { common, execute, note } from "./Client.js"
import { CliFailure, ExitCode } from "./Errors.js"
import { columnSpec } from "./Listings.js"
import { type ColumnSpec, defaultFormat, render } from "./Output.js"
import { type ListNode, lookup } from "./Surface.js"

type Row = Record<string, unknown>

const DAY = 86_400

const str = (u: unknown): string | null => typeof u === "string" ? u : null
const num = (u: unknown): number | null => typeof u === "number" && Number.isFinite(u) ? u : null
const field = (row: unknown, key: string): unknown =>
  typeof row === "object" && row !== null ? (row as Row)[key] : undefined

const required = (names: ReadonlyArray<string>, times: ReadonlyArray<string> = []): ColumnSpec["candidates"] =>
  names.map((name) => ({ name, time: times.includes(name), optional: false }))

const need = (admin: unknown, tree: ReadonlyArray<string>, command: string) =>
  Option.match(Option.fromNullable(lookup(admin, tree)), {
    onNone: () =>
      Effect.fail(
        new CliFailure({
          message: `${command} needs ${tree.join(".")}.list, which this version of effect-openai-admin does not have`,
          code: ExitCode.unexpected
        })
      ),
    onSome: Effect.succeed
  })

/** Every item of a listing, as one array (for one project's members or keys: bounded by the project). */
const collect = (stream: Stream.Stream<{ readonly data: ReadonlyArray<unknown> }, AdminApiError.AdminApiError>) =>
  Effect.map(Stream.runCollect(stream), (pages) => Chunk.toReadonlyArray(pages).flatMap((page) => page.data))

const projectIds = (projects: ListNode, params: Row) =>
  Stream.mapConcat(projects.pages(params), (page) => page.data)

// ---------------------------------------------------------------------------------------------
// access-report
// ---------------------------------------------------------------------------------------------

const accessColumns = required(
  ["project_id", "project_name", "user_id", "email", "name", "role", "added_at"],
  ["added_at"]
)

export const accessReport = Command.make("access-report", {
  common,
  concurrency: Options.integer("concurrency").pipe(
    Options.withDescription("Projects listed at once (1–16)."),
    Options.withDefault(4)
  ),
  includeArchived: Options.boolean("include-archived").pipe(
    Options.withDescription("Include archived projects.")
  )
}, (input) =>
  execute(
    input.common,
    Effect.gen(function*() {
      if (!Number.isInteger(input.concurrency) || input.concurrency < 1 || input.concurrency > 16) {
        return yield* new CliFailure({ message: "--concurrency: must be between 1 and 16", code: ExitCode.usage })
      }
      const admin = yield* AdminApi.AdminApi
      const projects = yield* need(admin, ["projects"], "access-report")
      const members = yield* need(admin, ["projects", "users"], "access-report")
      const rows = projectIds(projects, input.includeArchived ? { include_archived: true } : {}).pipe(
        Stream.mapEffect((project) =>
          Effect.map(collect(members.pages(field(project, "id"))), (users): ReadonlyArray<Row> =>
            users.map((user) => ({
              project_id: field(project, "id"),
              project_name: field(project, "name"),
              user_id: field(user, "id"),
              email: field(user, "email") ?? null,
              name: field(user, "name") ?? null,
              role: field(user, "role") ?? null,
              added_at: field(user, "added_at") ?? null
            }))), { concurrency: input.concurrency })
      )
      yield* render(
        Option.getOrElse(input.common.format, defaultFormat),
        columnSpec(input.common, accessColumns),
        rows
      )
    })
  )).pipe(
    Command.withDescription(
      "One row per (user, project, role) membership, project by project, a few projects in flight at once."
    )
  )

// ---------------------------------------------------------------------------------------------
// stale-keys
// ---------------------------------------------------------------------------------------------

const staleColumns = required(
  ["kind", "id", "name", "email", "project_id", "role", "last_used_at", "idle_days"],
  ["last_used_at"]
)

const idleDays = (now: number, last: number | null): number | null =>
  last === null ? null : Math.max(0, Math.floor((now - last) / DAY))

export const staleKeys = Command.make("stale-keys", {
  common,
  days: Options.integer("days").pipe(
    Options.withDescription("Stale after this many days without a key being used."),
    Options.withDefault(90)
  ),
  concurrency: Options.integer("concurrency").pipe(
    Options.withDescription("Projects checked at once (1–16), for service accounts."),
    Options.withDefault(4)
  ),
  project: Args.text({ name: "PROJECT_ID" }).pipe(
    Args.withDescription("Only the members and service accounts of this project."),
    Args.optional
  )
}, (input) =>
  execute(
    input.common,
    Effect.gen(function*() {
      if (!Number.isInteger(input.days) || input.days < 0) {
        return yield* new CliFailure({ message: "--days: must be an integer ≥ 0", code: ExitCode.usage })
      }
      if (!Number.isInteger(input.concurrency) || input.concurrency < 1 || input.concurrency > 16) {
        return yield* new CliFailure({ message: "--concurrency: must be between 1 and 16", code: ExitCode.usage })
      }
      const flags = input.common
      const admin = yield* AdminApi.AdminApi
      const users = yield* need(admin, ["users"], "stale-keys")
      const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      const cutoff = now - input.days * DAY
      const projectId = Option.getOrUndefined(input.project)
      const isStale = (last: number | null) => last === null || last < cutoff

      // Users: the organization's `api_key_last_used_at`, where the API reports it.
      let unreported = 0
      const membership: Map<string, unknown> | undefined = projectId === undefined ? undefined : new Map(
        (yield* collect((yield* need(admin, ["projects", "users"], "stale-keys")).pages(projectId))).map(
          (member) => [String(field(member, "id")), field(member, "role")] as const
        )
      )
      const userRows = Stream.map(users.pages({}), (page): ReadonlyArray<Row> =>
        page.data.flatMap((user) => {
          const id = String(field(user, "id"))
          if (membership !== undefined && !membership.has(id)) return []
          const raw = field(user, "api_key_last_used_at")
          if (raw === undefined) {
            unreported++
            return []
          }
          const last = num(raw)
          if (!isStale(last)) return []
          return [{
            kind: "user",
            id,
            name: str(field(user, "name")),
            email: str(field(user, "email")),
            project_id: projectId ?? null,
            role: membership?.get(id) ?? field(user, "role") ?? null,
            last_used_at: last,
            idle_days: idleDays(now, last)
          }]
        }))

      // Service accounts: the last use of their project API keys, where the library lists project keys.
      const apiKeys = lookup(admin, ["projects", "apiKeys"])
      const projects = lookup(admin, ["projects"])
      let skippedProjects = 0
      const accountRows: Stream.Stream<ReadonlyArray<Row>, AdminApiError.AdminApiError> =
        apiKeys === undefined || (projectId === undefined && projects === undefined)
          ? Stream.empty
          : (projectId === undefined ? projectIds(projects!, {}) : Stream.make({ id: projectId })).pipe(
            Stream.mapEffect((project) => {
              const pid = String(field(project, "id"))
              return collect(apiKeys.pages(pid)).pipe(
                Effect.map((keys): ReadonlyArray<Row> => {
                  const accounts = new Map<string, { name: unknown; role: unknown; last: number | null }>()
                  for (const key of keys) {
                    const owner = field(key, "owner")
                    if (field(owner, "type") !== "service_account") continue
                    const account = field(owner, "service_account")
                    const id = String(field(account, "id"))
                    const last = num(field(key, "last_used_at"))
                    const seen = accounts.get(id)
                    const newest = seen === undefined
                      ? last
                      : seen.last === null
                      ? last
                      : last === null
                      ? seen.last
                      : Math.max(seen.last, last)
                    accounts.set(id, { name: field(account, "name"), role: field(account, "role"), last: newest })
                  }
                  return [...accounts].filter(([, a]) => isStale(a.last)).map(([id, a]) => ({
                    kind: "service_account",
                    id,
                    name: str(a.name),
                    email: null,
                    project_id: pid,
                    role: a.role ?? null,
                    last_used_at: a.last,
                    idle_days: idleDays(now, a.last)
                  }))
                }),
                Effect.catchTag("NotFoundError", () =>
                  Effect.sync((): ReadonlyArray<Row> => {
                    skippedProjects++
                    return []
                  }))
              )
            }, { concurrency: input.concurrency })
          )

      yield* render(
        Option.getOrElse(flags.format, defaultFormat),
        columnSpec(flags, staleColumns),
        Stream.concat(userRows, accountRows)
      )
      if (unreported > 0) {
        yield* note(flags, `${unreported} user${unreported === 1 ? "" : "s"} skipped: the API did not report api_key_last_used_at`)
      }
      if (apiKeys === undefined) {
        yield* note(flags, "service accounts not checked: this version of effect-openai-admin has no projects.apiKeys.list")
      } else if (projectId === undefined && projects === undefined) {
        yield* note(flags, "service accounts not checked: this version of effect-openai-admin has no projects.list")
      } else if (skippedProjects > 0) {
        yield* note(flags, `service accounts not checked in ${skippedProjects} project${skippedProjects === 1 ? "" : "s"}: their API keys could not be listed (404)`)
      }
    })
  )).pipe(
    Command.withDescription(
      "Users and service accounts whose keys have not been used for --days days (or never), where the API reports it."
    )
  )
