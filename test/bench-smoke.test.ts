/**
 * Keeps the benchmark (`npm run bench`, bench/run.mjs) from rotting: a tiny smoke run of the whole script,
 * written to a temporary folder (never to the repository's BENCHMARKS.md), must succeed and report every
 * contender and every scenario. The smoke run never fails on the benchmark's goals, only on errors.
 *
 * The diagnostics beside it (bench/timeline.mjs, bench/inprocess.mjs) get a tiny run each too.
 *
 * Also checks the AST-compiled decoder that scenario D measures (bench/compile.mjs) against Effect's own
 * parser on thousands of mutated users: same accepted set, same output, same errors (and, for the
 * validate-only variant, the same accepted set).
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { isDeepStrictEqual } from "node:util"
import { Either, ParseResult } from "effect"
import { afterAll, describe, expect, it } from "vitest"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const bench = (file: string) => pathToFileURL(path.join(root, "bench", file)).href

const run = (args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => (stdout += d))
    child.stderr.on("data", (d) => (stderr += d))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

describe("bench/run.mjs --smoke", () => {
  let out: string | undefined
  afterAll(() => {
    if (out !== undefined) fs.rmSync(out, { recursive: true, force: true })
  })

  it("runs every contender and scenario, and writes the report and the chart to --out only", async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "effect-openai-admin-bench-"))
    const committed = path.join(root, "BENCHMARKS.md")
    const before = fs.existsSync(committed) ? fs.readFileSync(committed, "utf8") : null

    const result = await run([path.join(root, "bench", "run.mjs"), "--smoke", "--out", out])
    expect(result.code, `bench/run.mjs --smoke failed:\n${result.stdout}\n${result.stderr}`).toBe(0)

    const md = fs.readFileSync(path.join(out, "BENCHMARKS.md"), "utf8")
    expect(md).toContain("Smoke run")
    for (const heading of ["## A:", "## B:", "## C:", "## D:", "## Machine"]) expect(md).toContain(heading)
    for (const contender of ["floor: fetch + JSON.parse", "openai 6.49 (official SDK)", "**effect-openai-admin**"]) {
      // one row per contender in each of A, B and C
      expect(md.split("\n").filter((line) => line.startsWith(`| ${contender} |`))).toHaveLength(3)
    }
    expect(md).toContain("Cheapest:")
    expect(md).toContain(`Node | ${process.version}`)
    expect(md).toMatch(/\*\*(PASS|FAIL)\*\*/)

    const svg = fs.readFileSync(path.join(out, "chart.svg"), "utf8")
    expect(svg.startsWith("<svg")).toBe(true)
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true)
    for (const panel of ["A ·", "B ·", "C ·", "D ·"]) expect(svg).toContain(panel)

    // the repository's report is left alone
    expect(fs.existsSync(committed) ? fs.readFileSync(committed, "utf8") : null).toBe(before)
  }, 90_000)
})

describe("bench/timeline.mjs", () => {
  it.each(["lib", "floor"])("times the steps of a listing (%s)", async (contender) => {
    const result = await run([path.join(root, "bench", "timeline.mjs"), "--contender", contender, "--users", "500"])
    expect(result.code, `bench/timeline.mjs failed:\n${result.stdout}\n${result.stderr}`).toBe(0)
    const [summary, header, ...steps] = result.stdout.trim().split("\n")
    expect(summary).toMatch(new RegExp(`^${contender}: 5 pages in \\d+ ms`))
    expect(header).toMatch(/^step\s+count\s+median\s+p90\s+total/)
    // every page's body is read and parsed: 5 of each
    const count = (step: string) =>
      steps.find((line) => line.startsWith(`${step} `))?.slice(step.length).trim().split(/\s+/)[0]
    expect(count("read → body")).toBe("5")
    expect(count("parse → parsed")).toBe("5")
    // every request is seen going out on the socket (undici's diagnostics channel)
    expect(count("send → wire")).toBe("5")
  }, 60_000)
})

describe("bench/inprocess.mjs", () => {
  it.each(["floor", "sdk", "platform", "lib"])("lists every user of an in-memory fetch, checksum checked (%s)", async (contender) => {
    const result = await run([path.join(root, "bench", "inprocess.mjs"), "--contender", contender, "--pages", "5", "--runs", "2"])
    expect(result.code, `bench/inprocess.mjs failed:\n${result.stdout}\n${result.stderr}`).toBe(0)
    expect(result.stdout.trim()).toMatch(
      new RegExp(`^${contender} +µs per page \\(5 pages of 100, 2 runs\\): wall min \\d+ median \\d+; cpu min \\d+ median \\d+$`)
    )
  }, 60_000)
})

describe("bench/compile.mjs", () => {
  it("accepts, outputs and rejects exactly what Effect's parser does", async () => {
    type Decode = (schema: unknown) => (u: unknown) => Either.Either<unknown, ParseResult.ParseIssue>
    const { compileDecodeUnknownEither, compileValidateUnknownEither } = (await import(bench("compile.mjs"))) as {
      compileDecodeUnknownEither: Decode
      compileValidateUnknownEither: Decode
    }
    const S = await import(bench("schemas.mjs"))
    const { makeUser } = await import(bench("users.mjs"))

    // mulberry32: deterministic
    let seed = 0x5eed
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(random() * xs.length)]!
    const values = [null, undefined, 0, 1.5, -1, NaN, 2 ** 60, "", "x", "owner", "organization.user", "user", "list",
      true, false, {}, [], { object: "list", data: [] }, { object: "user", id: "u" }, [{ id: null }]]
    const paths = (u: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> => {
      if (typeof u !== "object" || u === null) return [prefix]
      const keys: Array<string | number> = Array.isArray(u) ? u.map((_, i) => i) : Object.keys(u)
      return [prefix, ...keys.flatMap((k) => paths((u as Record<string | number, unknown>)[k], [...prefix, k]))]
    }
    const mutate = (u: unknown): unknown => {
      const target = pick(paths(u))
      if (target.length === 0) return random() < 0.5 ? pick(values) : u
      let parent = u as Record<string | number, unknown>
      for (const k of target.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>
      const last = target[target.length - 1]!
      if (random() < 0.3 && !Array.isArray(parent)) delete parent[last]
      else parent[last] = structuredClone(pick(values))
      return u
    }

    const schemas = {
      UserStructNullOr: S.UserStructNullOr,
      UserStructNullOrRoleUnion: S.UserStructNullOrRoleUnion,
      UserStructOptionalWith: S.UserStructOptionalWith,
      UserClass: S.UserClass,
      PageStructNullOr: S.PageStructNullOr,
      PageStructOptionalWith: S.PageStructOptionalWith,
      PageLastIdOptionalWith: S.PageLastIdOptionalWith
    }
    let accepted = 0
    let rejected = 0
    for (const [name, schema] of Object.entries(schemas)) {
      const fast = compileDecodeUnknownEither(schema)
      const check = compileValidateUnknownEither(schema)
      const slow = ParseResult.decodeUnknownEither(schema as typeof S.UserStructNullOr)
      for (let i = 0; i < 1500; i++) {
        const isPage = name.startsWith("Page")
        const user = makeUser(Math.floor(random() * 10_000))
        let input: unknown = isPage
          ? { object: "list", data: [user, makeUser(i)], first_id: "a", last_id: "b", has_more: random() < 0.5 }
          : user
        const mutations = i % 10 === 0 ? 0 : 1 + Math.floor(random() * 2)
        for (let m = 0; m < mutations; m++) input = mutate(input)
        const a = fast(input)
        const b = slow(input)
        const c = check(input)
        expect({ name, i, right: Either.isRight(a) }).toEqual({ name, i, right: Either.isRight(b) })
        expect({ name, i, right: Either.isRight(c) }).toEqual({ name, i, right: Either.isRight(b) })
        if (Either.isRight(a) && Either.isRight(b)) {
          accepted++
          expect(isDeepStrictEqual(a.right, b.right)).toBe(true)
          expect(Object.getPrototypeOf(a.right)).toBe(Object.getPrototypeOf(b.right))
        } else if (Either.isLeft(a) && Either.isLeft(b)) {
          rejected++
          expect(ParseResult.TreeFormatter.formatIssueSync(a.left)).toBe(
            ParseResult.TreeFormatter.formatIssueSync(b.left)
          )
        }
      }
    }
    // both sides of the boundary were exercised
    expect(accepted).toBeGreaterThan(1000)
    expect(rejected).toBeGreaterThan(1000)
  }, 60_000)
})
