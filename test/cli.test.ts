/**
 * The `openai-admin` CLI, run as a subprocess (the built `cli/dist/bin.js`) against the fake server started in
 * this process: each format's exact output, the exit code of each class of error, that the key is never
 * printed, and a `--demo` run.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { execFile } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { FakeAdminServer, Seed } from "../src/testing/index.js"

const bin = fileURLToPath(new URL("../cli/dist/bin.js", import.meta.url))

/** A key distinctive enough that finding it anywhere in the output is a leak. */
const KEY = "sk-admin-CLI-TEST-SECRET-7f3a9c2e51"

interface Result {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const spawn = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>): Effect.Effect<Result> =>
  Effect.async<Result>((resume) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env.PATH ?? "", ...env }, timeout: 20_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1
        resume(Effect.succeed({ code, stdout: String(stdout), stderr: String(stderr) }))
      }
    )
    return Effect.sync(() => child.kill())
  })

/** Runs the CLI against `server`, and checks that the key appears in neither output. */
const cli = (server: FakeAdminServer.FakeAdminServer, ...args: ReadonlyArray<string>) =>
  Effect.tap(
    spawn(args, { OPENAI_ADMIN_KEY: server.apiKey, OPENAI_BASE_URL: server.url }),
    (result) =>
      Effect.sync(() => {
        expect(result.stdout).not.toContain(server.apiKey)
        expect(result.stderr).not.toContain(server.apiKey)
      })
  )

const small = (options: Omit<FakeAdminServer.Options, "apiKey"> = {}) =>
  FakeAdminServer.make({ apiKey: KEY, seed: Seed.small, ...options })

const lines = (...rows: ReadonlyArray<string>) => rows.map((row) => `${row}\n`).join("")

describe("openai-admin", () => {
  it("is built (npm run build && npm run build -w cli)", () => {
    expect(existsSync(bin)).toBe(true)
  })
})

describe.concurrent("openai-admin formats", () => {
  it.scopedLive("--format table: widths from the first page, deterministic when not a terminal", () =>
    Effect.gen(function*() {
      const server = yield* small()
      const result = yield* cli(server, "users", "list", "--format", "table")
      expect(result).toEqual({
        code: 0,
        stderr: "",
        stdout: lines(
          "ID              NAME               EMAIL                  ROLE    ADDED_AT",
          "user_ada        Ada Lovelace       ada@example.com        owner   2024-01-01 00:00",
          "user_grace      Grace Hopper       grace@example.com      reader  2024-01-01 01:00",
          "user_alan       Alan Turing        alan@example.com       reader  2024-01-01 02:00",
          "user_katherine  Katherine Johnson  katherine@example.com  owner   2024-01-01 03:00",
          "user_edsger     Edsger Dijkstra    edsger@example.com     reader  2024-01-01 04:00"
        )
      })
    }))

  it.scopedLive("--format table over several pages: later cells longer than the first page's are cut with …", () =>
    Effect.gen(function*() {
      const server = yield* small()
      const result = yield* cli(server, "users", "list", "--format", "table", "--limit", "2")
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(lines(
        "ID          NAME          EMAIL              ROLE    ADDED_AT",
        "user_ada    Ada Lovelace  ada@example.com    owner   2024-01-01 00:00",
        "user_grace  Grace Hopper  grace@example.com  reader  2024-01-01 01:00",
        "user_alan   Alan Turing   alan@example.com   reader  2024-01-01 02:00",
        "user_kath…  Katherine J…  katherine@exampl…  owner   2024-01-01 03:00",
        "user_edsg…  Edsger Dijk…  edsger@example.c…  reader  2024-01-01 04:00"
      ))
      const requests = (yield* server.requests).filter((r) => r.path === "/v1/organization/users")
      expect(requests.map((r) => r.query.limit)).toEqual([["2"], ["2"], ["2"]])
    }))

  it.scopedLive("--format json: one array, one item per line", () =>
    Effect.gen(function*() {
      const server = yield* small()
      const result = yield* cli(server, "users", "list", "--format", "json")
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(
        "[\n" +
          [
            `  {"object":"organization.user","id":"user_ada","name":"Ada Lovelace","email":"ada@example.com","role":"owner","added_at":1704067200}`,
            `  {"object":"organization.user","id":"user_grace","name":"Grace Hopper","email":"grace@example.com","role":"reader","added_at":1704070800}`,
            `  {"object":"organization.user","id":"user_alan","name":"Alan Turing","email":"alan@example.com","role":"reader","added_at":1704074400}`,
            `  {"object":"organization.user","id":"user_katherine","name":"Katherine Johnson","email":"katherine@example.com","role":"owner","added_at":1704078000}`,
            `  {"object":"organization.user","id":"user_edsger","name":"Edsger Dijkstra","email":"edsger@example.com","role":"reader","added_at":1704081600}`
          ].join(",\n") +
          "\n]\n"
      )
      expect(JSON.parse(result.stdout)).toEqual(Seed.small.users)
    }))

  it.scopedLive("ndjson is the default when stdout is piped", () =>
    Effect.gen(function*() {
      const server = yield* small()
      const result = yield* cli(server, "projects", "users", "list", "proj_alpha")
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(lines(
        `{"object":"organization.project.user","id":"user_ada","name":"Ada Lovelace","email":"ada@example.com","role":"owner","added_at":1704153600}`,
        `{"object":"organization.project.user","id":"user_grace","name":"Grace Hopper","email":"grace@example.com","role":"member","added_at":1704153660}`,
        `{"object":"organization.project.user","id":"user_alan","name":"Alan Turing","email":"alan@example.com","role":"member","added_at":1704153720}`
      ))
    }))

  it.scopedLive("--format csv: RFC 4180 quoting, formulas defused, ISO times; --email and --role filter", () =>
    Effect.gen(function*() {
      const pat: Seed.OrgUserJson = {
        object: "organization.user",
        id: "user_pat",
        name: "=HYPERLINK(\"x\"), Pat",
        email: "pat@example.com",
        role: "reader",
        added_at: 1704085200
      }
      const server = yield* small({ seed: { ...Seed.small, users: [...Seed.small.users, pat] } })
      const all = yield* cli(server, "users", "list", "--format", "csv")
      expect(all.code).toBe(0)
      expect(all.stdout).toBe(
        [
          "id,name,email,role,added_at",
          "user_ada,Ada Lovelace,ada@example.com,owner,2024-01-01T00:00:00Z",
          "user_grace,Grace Hopper,grace@example.com,reader,2024-01-01T01:00:00Z",
          "user_alan,Alan Turing,alan@example.com,reader,2024-01-01T02:00:00Z",
          "user_katherine,Katherine Johnson,katherine@example.com,owner,2024-01-01T03:00:00Z",
          "user_edsger,Edsger Dijkstra,edsger@example.com,reader,2024-01-01T04:00:00Z",
          `user_pat,"'=HYPERLINK(""x""), Pat",pat@example.com,reader,2024-01-01T05:00:00Z`,
          ""
        ].join("\r\n")
      )
      const filtered = yield* cli(
        server,
        "users",
        "list",
        "--format",
        "csv",
        "--columns",
        "id,email",
        "--email",
        "alan@example.com",
        "--email",
        "katherine@example.com",
        "--role",
        "owner"
      )
      expect(filtered.stdout).toBe("id,email\r\nuser_katherine,katherine@example.com\r\n")
      const request = (yield* server.requests).at(-1)!
      expect(request.query["emails[]"]).toEqual(["alan@example.com", "katherine@example.com"])
    }))

  it.scopedLive("access-report: one row per membership, project by project", () =>
    Effect.gen(function*() {
      const server = yield* small()
      const result = yield* cli(server, "access-report", "--format", "csv", "--concurrency", "2")
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(
        [
          "project_id,project_name,user_id,email,name,role,added_at",
          "proj_alpha,Alpha,user_ada,ada@example.com,Ada Lovelace,owner,2024-01-02T00:00:00Z",
          "proj_alpha,Alpha,user_grace,grace@example.com,Grace Hopper,member,2024-01-02T00:01:00Z",
          "proj_alpha,Alpha,user_alan,alan@example.com,Alan Turing,member,2024-01-02T00:02:00Z",
          "proj_beta,Beta,user_katherine,katherine@example.com,Katherine Johnson,owner,2024-01-03T00:00:00Z",
          "proj_beta,Beta,user_edsger,edsger@example.com,Edsger Dijkstra,member,2024-01-03T00:01:00Z",
          ""
        ].join("\r\n")
      )
    }))

  it.scopedLive("stale-keys: users whose keys are unused for --days days, where the API reports it", () =>
    Effect.gen(function*() {
      const DAY = 86_400
      const now = Math.floor(Date.now() / 1000)
      const at = (days: number) => Math.floor(now - (days + 0.5) * DAY)
      const lastUsed: Record<string, number | null> = {
        user_ada: at(10),
        user_grace: at(100),
        user_alan: null,
        user_katherine: at(200)
        // user_edsger: not reported
      }
      const users = Seed.small.users.map((user) =>
        user.id in lastUsed ? { ...user, api_key_last_used_at: lastUsed[user.id] } : user
      ) as ReadonlyArray<Seed.OrgUserJson>
      const server = yield* FakeAdminServer.make({ apiKey: KEY, seed: { ...Seed.small, users } })
      const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z")

      const org = yield* cli(server, "stale-keys", "--days", "90", "--format", "csv")
      expect(org.code).toBe(0)
      expect(org.stdout).toBe(
        [
          "kind,id,name,email,project_id,role,last_used_at,idle_days",
          `user,user_grace,Grace Hopper,grace@example.com,,reader,${iso(at(100))},100`,
          "user,user_alan,Alan Turing,alan@example.com,,reader,,",
          `user,user_katherine,Katherine Johnson,katherine@example.com,,owner,${iso(at(200))},200`,
          ""
        ].join("\r\n")
      )
      expect(org.stderr).toContain("note: 1 user skipped: the API did not report api_key_last_used_at\n")

      const project = yield* cli(server, "stale-keys", "proj_alpha", "--days", "90", "--format", "csv", "--quiet")
      expect(project).toEqual({
        code: 0,
        stderr: "",
        stdout: [
          "kind,id,name,email,project_id,role,last_used_at,idle_days",
          `user,user_grace,Grace Hopper,grace@example.com,proj_alpha,member,${iso(at(100))},100`,
          "user,user_alan,Alan Turing,alan@example.com,proj_alpha,member,,",
          ""
        ].join("\r\n")
      })
    }))

  it.scopedLive("--help and shell completions", () =>
    Effect.gen(function*() {
      const server = yield* small()
      const help = yield* cli(server, "projects", "users", "list", "--help")
      expect(help.code).toBe(0)
      expect(help.stdout).toContain("GET /organization/projects/{project_id}/users")
      expect(help.stdout).toContain("--format")
      const completions = yield* cli(server, "--completions", "bash")
      expect(completions.code).toBe(0)
      expect(completions.stdout).toContain("openai__admin__users__list")
    }))

  it.live("--demo: the in-process fake organization, no key needed", () =>
    Effect.gen(function*() {
      const result = yield* spawn(["users", "list", "--demo", "--format", "csv", "--columns", "id,email,role"], {})
      expect(result.code).toBe(0)
      const rows = result.stdout.trimEnd().split("\r\n")
      expect(rows[0]).toBe("id,email,role")
      expect(rows).toHaveLength(241)
      expect(rows.slice(1).every((row) => /^user_\w+,[^,]+@example\.com,(owner|reader)$/.test(row))).toBe(true)
    }))
})

describe.concurrent("openai-admin errors: one line, an exit code per class, never the key", () => {
  const expectError = (result: Result, code: number, line: string | RegExp) => {
    expect(result.code).toBe(code)
    expect(result.stdout).toBe("")
    const stderr = result.stderr.trimEnd().split("\n")
    expect(stderr).toHaveLength(1)
    if (typeof line === "string") expect(stderr[0]).toBe(line)
    else expect(stderr[0]).toMatch(line)
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/) // no stack trace
  }

  it.scopedLive("usage: a bad flag value, a missing argument → 2", () =>
    Effect.gen(function*() {
      const server = yield* small()
      const badFormat = yield* cli(server, "users", "list", "--format", "xml")
      expect(badFormat.code).toBe(2)
      expect(badFormat.stdout).toBe("")
      expect(badFormat.stderr).toContain("table, json, ndjson, csv")
      const missing = yield* cli(server, "projects", "users", "list")
      expect(missing.code).toBe(2)
      expect(missing.stderr).toContain("PROJECT_ID")
      expect(yield* server.requests).toHaveLength(0)
    }))

  it.scopedLive("invalid request (refused before sending) → 2", () =>
    Effect.gen(function*() {
      const server = yield* small()
      expectError(
        yield* cli(server, "users", "list", "--limit", "0"),
        2,
        "error: invalid request: users.list: invalid limit: must be between 1 and 100"
      )
      expect(yield* server.requests).toHaveLength(0)
    }))

  it.live("configuration: no key, plain http to a remote host → 2", () =>
    Effect.gen(function*() {
      expectError(
        yield* spawn(["users", "list"], {}),
        2,
        "error: configuration: OPENAI_ADMIN_KEY is not set (export an admin key, or try --demo)"
      )
      const remote = yield* spawn(["users", "list"], { OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: "http://example.com/v1" })
      expectError(remote, 2, /^error: configuration: invalid OPENAI_BASE_URL \/ --base-url: must use https/)
      expect(remote.stderr).not.toContain(KEY)
    }))

  it.scopedLive("authentication (401) and permission (403) → 3", () =>
    Effect.gen(function*() {
      const server = yield* small()
      const wrongKey = yield* spawn(["users", "list"], { OPENAI_ADMIN_KEY: "sk-admin-wrong", OPENAI_BASE_URL: server.url })
      expectError(wrongKey, 3, "error: authentication failed (401): check OPENAI_ADMIN_KEY (request req_1)")
      expect(wrongKey.stderr).not.toContain("sk-admin-wrong")
      yield* server.fault([{ _tag: "Status", status: 403 }])
      expectError(
        yield* cli(server, "users", "list"),
        3,
        "error: permission denied (403): You are not allowed to perform this action. (request req_2)"
      )
    }))

  it.scopedLive("not found (404) → 4", () =>
    Effect.gen(function*() {
      const server = yield* small()
      expectError(
        yield* cli(server, "projects", "users", "list", "proj_missing"),
        4,
        "error: not found (404): No such project: proj_missing (request req_1)"
      )
    }))

  it.scopedLive("rate limit (429) with a long Retry-After, not waited out → 5", () =>
    Effect.gen(function*() {
      const server = yield* small()
      yield* server.fault([{ _tag: "Status", status: 429, headers: { "retry-after": "3600" } }])
      expectError(
        yield* cli(server, "users", "list"),
        5,
        "error: rate limited (429): Rate limit reached for requests. Please try again later.; retry after 1h (request req_1)"
      )
    }))

  it.scopedLive("connection reset → 6", () =>
    Effect.gen(function*() {
      const server = yield* small()
      yield* server.fault([{ _tag: "ResetBeforeHeaders" }])
      expectError(
        yield* cli(server, "users", "list", "--retries", "0"),
        6,
        /^error: connection failed \(GET \/organization\/users\): .+; check OPENAI_BASE_URL$/
      )
    }))

  it.scopedLive("server error, malformed body → 7; a key echoed by the server is not printed", () =>
    Effect.gen(function*() {
      const server = yield* small()
      yield* server.fault([{
        _tag: "Status",
        status: 500,
        body: { error: { message: `upstream rejected ${KEY}`, type: "server_error", code: null, param: null } }
      }])
      expectError(
        yield* cli(server, "users", "list", "--retries", "0"),
        7,
        "error: server error (500): upstream rejected <redacted> (request req_1)"
      )
      yield* server.fault([{ _tag: "Malformed" }])
      expectError(
        yield* cli(server, "users", "list"),
        7,
        "error: unexpected response (GET /organization/users): body: expected JSON (request req_2)"
      )
    }))

  it.scopedLive("a failure after the first page: the rows so far, then the error", () =>
    Effect.gen(function*() {
      const server = yield* small()
      yield* server.fault([{ _tag: "Pass" }, { _tag: "Status", status: 503 }], { path: "/v1/organization/users" })
      const result = yield* cli(server, "users", "list", "--limit", "2", "--retries", "0", "--format", "csv")
      expect(result.code).toBe(7)
      expect(result.stdout).toBe(
        "id,name,email,role,added_at\r\nuser_ada,Ada Lovelace,ada@example.com,owner,2024-01-01T00:00:00Z\r\n" +
          "user_grace,Grace Hopper,grace@example.com,reader,2024-01-01T01:00:00Z\r\n"
      )
      expect(result.stderr).toBe("error: server error (503): The server is overloaded or not ready yet. (request req_2)\n")
    }))
})
