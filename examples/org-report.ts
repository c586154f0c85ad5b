/**
 * Streams every organization user and every member of one project, and prints counts by role and the owners.
 *
 * With `OPENAI_ADMIN_KEY` set it talks to the real Admin API (and `OPENAI_BASE_URL`, `OPENAI_ORG_ID` are read
 * too); without it, it starts the library's fake Admin API server in-process, seeded with a made-up
 * organization, so it runs anywhere with no key. `PROJECT_ID` picks the project (default: the first one).
 */
import { FetchHttpClient } from "@effect/platform"
import { Console, Effect, Option, Redacted, Stream } from "effect"
import { AdminApi } from "effect-openai-admin"
import { FakeAdminServer, Seed } from "effect-openai-admin/testing"

const countBy = <A>(items: Iterable<A>, key: (a: A) => string) => {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1)
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)))
}

const report = Effect.gen(function*() {
  const admin = yield* AdminApi.AdminApi

  // Every user, page after page (the next page is fetched while this one is consumed).
  const roles = new Map<string, number>()
  const owners: Array<string> = []
  yield* admin.users.list({ limit: 100 }).pipe(
    Stream.runForEach((user) =>
      Effect.sync(() => {
        const role = user.role ?? "unknown"
        roles.set(role, (roles.get(role) ?? 0) + 1)
        if (role === "owner") owners.push(`${user.name ?? "(no name)"} <${user.email ?? "no email"}>`)
      })
    )
  )
  const total = [...roles.values()].reduce((a, b) => a + b, 0)
  yield* Console.log(`Organization users: ${total}`)
  yield* Console.log(`  by role: ${JSON.stringify(Object.fromEntries(roles))}`)
  yield* Console.log(`  owners (${owners.length}):`)
  for (const owner of owners) yield* Console.log(`    ${owner}`)

  // One project: PROJECT_ID, or the first project of the organization.
  const projectId = process.env.PROJECT_ID !== undefined && process.env.PROJECT_ID !== ""
    ? Option.some(process.env.PROJECT_ID)
    : Option.map(yield* Stream.runHead(admin.projects.list({ limit: 1 })), (project) => project.id)
  if (Option.isNone(projectId)) return yield* Console.log("No project in this organization.")
  const members = yield* Stream.runCollect(admin.projects.users.list(projectId.value, { limit: 100 }))
  yield* Console.log(`Project ${projectId.value}: ${members.length} members`)
  yield* Console.log(`  by role: ${JSON.stringify(countBy(members, (m) => m.role))}`)
})

const key = process.env.OPENAI_ADMIN_KEY
const program = key !== undefined && key.trim() !== ""
  ? report.pipe(Effect.provide(AdminApi.layerConfig()))
  : Effect.gen(function*() {
    const server = yield* FakeAdminServer.make({ seed: Seed.generate({ users: 250, projects: 12, seed: 2026 }) })
    yield* Console.log(`(no OPENAI_ADMIN_KEY: using the fake Admin API at ${server.url})\n`)
    yield* report.pipe(
      Effect.provide(AdminApi.layer({ apiKey: Redacted.make(server.apiKey), baseUrl: server.url }))
    )
  }).pipe(Effect.scoped)

program.pipe(
  Effect.provide(FetchHttpClient.layer),
  Effect.catchAll((error) => Effect.sync(() => {
    console.error(`error: ${error.message}`)
    process.exitCode = 1
  })),
  Effect.runPromise
)
