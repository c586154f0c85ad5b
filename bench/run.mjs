#!/usr/bin/env node
// The benchmark orchestrator (`npm run bench`).
//
//   node bench/run.mjs [--smoke] [--out DIR] [--scenarios A,B,C,D] [--runs N] [--strict]
//
// For each scenario it starts the fake server (bench/server.mjs) in its own child process,
// runs every contender (bench/contender.mjs) several times, interleaved and each in a
// fresh process, and prints the median, the spread and each goal's ratio with PASS/FAIL.
// Scenario D runs each decoding candidate (bench/decode.mjs) in fresh processes too.
// Then it writes BENCHMARKS.md (repo root by default) and the chart (bench/chart.svg by
// default, an SVG drawn here, no plotting dependency). With `--out DIR` both go to DIR.
//
// --smoke       tiny counts, one run each: checks that the benchmark still works (npm test)
// --scenarios   a subset, e.g. `--scenarios A,D`
// --runs N      runs per contender for A and B (default 5; C: 2)
// --contenders  a subset, e.g. `--contenders floor,sdk` (goals that need a missing one are skipped)
// --strict      exit 1 when a goal FAILS (by default only errors fail the run)
import { spawn } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, "..")

// ---------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------
const argv = process.argv.slice(2)
const flag = (name) => argv.includes("--" + name)
const option = (name) => {
  const i = argv.indexOf("--" + name)
  if (i < 0) return undefined
  if (i + 1 >= argv.length) throw new Error(`--${name} needs a value`)
  return argv[i + 1]
}
const smoke = flag("smoke")
const strict = flag("strict")
const outDir = option("out")
const mdPath = outDir ? path.resolve(outDir, "BENCHMARKS.md") : path.join(root, "BENCHMARKS.md")
const svgPath = outDir ? path.resolve(outDir, "chart.svg") : path.join(here, "chart.svg")
const only = (option("scenarios") ?? "A,B,C,D").split(",").map((s) => s.trim().toUpperCase())
const runsOption = option("runs") === undefined ? undefined : Number(option("runs"))
const KEY = "sk-admin-bench-" + process.pid

const ALL_CONTENDERS = [
  { id: "floor", name: "floor: fetch + JSON.parse", short: "floor" },
  { id: "sdk", name: "openai 6.49 (official SDK)", short: "openai SDK" },
  { id: "platform", name: "reference: Effect + FetchHttpClient loop, validating nothing", short: "Effect + FetchHttpClient" },
  { id: "lib", name: "effect-openai-admin", short: "effect-openai-admin" }
]
const selected = (option("contenders") ?? "floor,sdk,platform,lib").split(",").map((s) => s.trim())
const CONTENDERS = ALL_CONTENDERS.filter((c) => selected.includes(c.id))
if (CONTENDERS.length === 0) throw new Error("--contenders: none of floor, sdk, platform, lib")
const has = (...ids) => ids.every((id) => CONTENDERS.some((c) => c.id === id))
const contenderName = (id) => CONTENDERS.find((c) => c.id === id).name

const SCENARIOS = smoke
  ? {
    A: { users: 300, latency: 0, work: 0, runs: 1 },
    B: { users: 300, latency: 2, work: 2, runs: 1 },
    C: { users: 2_000, sampleEvery: 500, runs: 1 },
    D: { processes: 1 } // all candidates in one process
  }
  : {
    A: { users: 100_000, latency: 0, work: 0, runs: runsOption ?? 5 },
    B: { users: 20_000, latency: 20, work: 20, runs: runsOption ?? 5 },
    C: { users: 1_000_000, sampleEvery: 50_000, runs: Math.min(runsOption ?? 2, 3) },
    D: { processes: 3 }
  }
const LIMIT = 100

const GOALS = {
  A_vsSdk: 1.0, // lib at least as fast as the SDK: sdk / lib >= 1
  A_vsFloor: 1.25, // lib / floor <= 1.25
  B_vsSdk: 1.8, // sdk / lib >= 1.8
  C_growthMB: 16, // max heap - heap at the start < 16 MB
  C_slopeMBper100k: 0.5 // |least-squares slope| <= 0.5 MB per 100k items (5 bytes per item)
}

// ---------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------
const childEnv = () => {
  const env = { ...process.env }
  for (const k of Object.keys(env)) if (k.startsWith("OPENAI_")) delete env[k]
  delete env.NODE_OPTIONS
  return env
}

/** Runs `node args`, resolves with the last JSON line it printed; rejects on failure. */
const runNode = (args, { timeoutMs }) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
      killSignal: "SIGKILL"
    })
    let out = ""
    let err = ""
    child.stdout.on("data", (d) => (out += d))
    child.stderr.on("data", (d) => (err += d))
    child.on("error", reject)
    child.on("close", (code, signal) => {
      const line = out.trim().split("\n").filter(Boolean).pop()
      let json
      try {
        json = line ? JSON.parse(line) : undefined
      } catch {
        json = undefined
      }
      if (code === 0 && json !== undefined && !json.error) return resolve(json)
      reject(
        new Error(
          `node ${args.join(" ")} failed (code ${code}${signal ? ", signal " + signal : ""}):\n` +
            (json?.error ?? out) +
            (err ? "\n" + err : "")
        )
      )
    })
  })

/** Starts bench/server.mjs; resolves with { port, stop }. */
const startServer = ({ users, latency }) =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(here, "server.mjs"), "--users", String(users), "--latency", String(latency ?? 0), "--key", KEY,
        "--max-seconds", smoke ? "120" : "1200"],
      { cwd: root, env: childEnv(), stdio: ["pipe", "pipe", "inherit"] }
    )
    let buf = ""
    let started = false
    const stop = () =>
      new Promise((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res()
        child.once("exit", () => res())
        child.stdin.end()
        setTimeout(() => child.kill("SIGTERM"), 2_000).unref()
      })
    child.on("error", reject)
    child.on("exit", (code) => {
      if (!started) reject(new Error(`server exited with code ${code} before listening`))
    })
    child.stdout.on("data", (d) => {
      buf += d
      const nl = buf.indexOf("\n")
      if (!started && nl >= 0) {
        started = true
        resolve({ port: JSON.parse(buf.slice(0, nl)).port, stop })
      }
    })
  })

// ---------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const n = s.length
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}
const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length })
/** Least-squares slope of y over x. */
const slope = (points) => {
  const n = points.length
  if (n < 2) return 0
  const mx = points.reduce((a, p) => a + p[0], 0) / n
  const my = points.reduce((a, p) => a + p[1], 0) / n
  let num = 0
  let den = 0
  for (const [x, y] of points) {
    num += (x - mx) * (y - my)
    den += (x - mx) ** 2
  }
  return den === 0 ? 0 : num / den
}
const MB = 1024 * 1024
const rotate = (xs, k) => xs.map((_, i) => xs[(i + k) % xs.length])

// ---------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------
const log = (...xs) => console.log(...xs)
const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1))
const pass = (ok) => (ok ? "PASS" : "FAIL")

/** Counts the contender runs of the whole benchmark, in the order they ran (for the raw log). */
let sequence = 0

const runContenders = async (scenario, cfg) => {
  const server = await startServer(cfg)
  const results = Object.fromEntries(CONTENDERS.map((c) => [c.id, []]))
  try {
    for (let r = 0; r < cfg.runs; r++) {
      for (const c of rotate(CONTENDERS, r)) {
        const args = [
          ...(cfg.sampleEvery ? ["--expose-gc"] : []),
          path.join(here, "contender.mjs"),
          "--contender", c.id, "--scenario", scenario, "--port", String(server.port), "--users", String(cfg.users),
          "--limit", String(LIMIT), "--work", String(cfg.work ?? 0), "--key", KEY,
          ...(cfg.sampleEvery ? ["--sample-every", String(cfg.sampleEvery)] : [])
        ]
        const res = await runNode(args, { timeoutMs: smoke ? 60_000 : 600_000 })
        results[c.id].push({ ...res, seq: sequence++ })
        log(`  ${scenario} run ${r + 1}/${cfg.runs}  ${c.short.padEnd(20)} ${fmtMs(res.wallMs).padStart(7)} ms` +
          `  (cpu ${fmtMs(res.cpuMs)} ms)`)
      }
    }
  } finally {
    await server.stop()
  }
  return results
}

const wallTable = (results) =>
  Object.fromEntries(CONTENDERS.map((c) => [c.id, summary(results[c.id].map((r) => r.wallMs))]))

const scenarioA = async () => {
  const cfg = SCENARIOS.A
  log(`\nA: ${cfg.users.toLocaleString("en-US")} users, pages of ${LIMIT}, no latency, ${cfg.runs} runs each`)
  const results = await runContenders("A", cfg)
  const wall = wallTable(results)
  const goals = []
  if (has("lib", "sdk")) {
    const vsSdk = wall.sdk.median / wall.lib.median
    goals.push({ text: `effect-openai-admin vs official SDK: ${vsSdk.toFixed(2)}x as fast (goal >= ${GOALS.A_vsSdk.toFixed(2)}x)`,
      ok: vsSdk >= GOALS.A_vsSdk })
  }
  if (has("lib", "floor")) {
    const vsFloor = wall.lib.median / wall.floor.median
    goals.push({ text: `effect-openai-admin vs floor: ${vsFloor.toFixed(2)}x the floor's wall time (goal <= ${GOALS.A_vsFloor}x)`,
      ok: vsFloor <= GOALS.A_vsFloor })
  }
  return { cfg, results, wall, goals, rounds: perRound(results, cfg.runs) }
}

/**
 * The ratios of each round alone (the contenders run back to back, in rotating order): how much of a goal's margin
 * the machine's drift from round to round can take. Information only: the goals use each contender's median.
 */
const perRound = (results, runs) => {
  const ratio = (a, b) =>
    has(a, b) ? Array.from({ length: runs }, (_, r) => results[a][r].wallMs / results[b][r].wallMs) : []
  return [
    { name: "library ÷ floor", ratios: ratio("lib", "floor") },
    { name: "SDK ÷ library", ratios: ratio("sdk", "lib") }
  ].filter((x) => x.ratios.length > 0)
}
const roundsText = (rounds) =>
  rounds.map(({ name, ratios }) =>
    `${name} ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} (median ${median(ratios).toFixed(2)})`
  ).join("; ")

const scenarioB = async () => {
  const cfg = SCENARIOS.B
  log(`\nB: ${cfg.users.toLocaleString("en-US")} users, pages of ${LIMIT}, ${cfg.latency} ms latency, ` +
    `${cfg.work} ms work per page, ${cfg.runs} runs each`)
  const results = await runContenders("B", cfg)
  const wall = wallTable(results)
  const pages = Math.ceil(cfg.users / LIMIT)
  const limitMs = Math.max(cfg.latency, cfg.work) * pages
  const sequentialMs = (cfg.latency + cfg.work) * pages
  const goals = []
  if (has("lib", "sdk")) {
    const vsSdk = wall.sdk.median / wall.lib.median
    goals.push({ text: `effect-openai-admin vs official SDK: ${vsSdk.toFixed(2)}x as fast (goal >= ${GOALS.B_vsSdk}x)`,
      ok: vsSdk >= GOALS.B_vsSdk })
  }
  return { cfg, results, wall, pages, limitMs, sequentialMs, goals }
}

const scenarioC = async () => {
  const cfg = SCENARIOS.C
  log(`\nC: ${cfg.users.toLocaleString("en-US")} users streamed, heap after gc() every ` +
    `${cfg.sampleEvery.toLocaleString("en-US")} items, ${cfg.runs} run(s) each`)
  const results = await runContenders("C", { ...cfg, latency: 0, work: 0 })
  const heap = {}
  for (const c of CONTENDERS) {
    const runs = results[c.id].map((r) => {
      const s = r.heapSamples.map(([n, b]) => [n, b / MB])
      const start = s[0][1]
      const steady = s.filter(([n]) => n >= cfg.sampleEvery)
      const first = (steady[0] ?? s[0])[1]
      const last = s[s.length - 1][1]
      const max = Math.max(...s.map(([, mb]) => mb))
      return {
        samples: s,
        startMB: start,
        firstMB: first,
        lastMB: last,
        maxMB: max,
        growthMB: max - start,
        lastMinusFirstMB: last - first,
        slopeMBper100k: slope(steady.length >= 2 ? steady : s) * 100_000
      }
    })
    const pick = (k) => median(runs.map((r) => r[k]))
    heap[c.id] = {
      runs,
      startMB: pick("startMB"),
      firstMB: pick("firstMB"),
      lastMB: pick("lastMB"),
      maxMB: pick("maxMB"),
      growthMB: pick("growthMB"),
      lastMinusFirstMB: pick("lastMinusFirstMB"),
      slopeMBper100k: pick("slopeMBper100k"),
      wall: summary(results[c.id].map((r) => r.wallMs))
    }
  }
  const lib = heap.lib
  const sdkNote = (k, d) => (heap.sdk ? `; official SDK: ${heap.sdk[k].toFixed(d)}` : "")
  const goals = !lib ? [] : [
    { text: `effect-openai-admin heap growth over the run: ${lib.growthMB.toFixed(2)} MB (goal < ${GOALS.C_growthMB} MB` +
      `${sdkNote("growthMB", 2)} MB)`, ok: lib.growthMB < GOALS.C_growthMB },
    { text: `effect-openai-admin heap slope: ${lib.slopeMBper100k.toFixed(3)} MB per 100k items (goal: flat, ` +
      `|slope| <= ${GOALS.C_slopeMBper100k}${sdkNote("slopeMBper100k", 3)})`,
      ok: Math.abs(lib.slopeMBper100k) <= GOALS.C_slopeMBper100k }
  ]
  return { cfg, results, heap, goals }
}

const scenarioD = async () => {
  const cfg = SCENARIOS.D
  log(`\nD: decoding one page of ${LIMIT} spec-complete users, ${cfg.processes} fresh process(es) per candidate`)
  const names = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, "decode.mjs"), "--list"], { cwd: root, env: childEnv() })
    let out = ""
    child.stdout.on("data", (d) => (out += d))
    child.on("error", reject)
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error("decode.mjs --list failed"))))
  })
  const raw = Object.fromEntries(names.map((n) => [n, []]))
  if (smoke) {
    // one process for every candidate: this checks that each still decodes and validates
    const all = await runNode([path.join(here, "decode.mjs"), "--all", "--smoke"], { timeoutMs: 60_000 })
    for (const res of all) raw[res.candidate].push(res)
  }
  for (let p = 0; p < (smoke ? 0 : cfg.processes); p++) {
    for (const name of rotate(names, p)) {
      const res = await runNode(
        [path.join(here, "decode.mjs"), "--candidate", name, ...(smoke ? ["--smoke"] : [])],
        { timeoutMs: smoke ? 60_000 : 120_000 }
      )
      raw[name].push(res)
      log(`  D ${p + 1}/${cfg.processes}  ${res.decodeUsPerItem.toFixed(2).padStart(6)} µs/item  ` +
        `${res.ratio.toFixed(2).padStart(5)}x JSON.parse  ${name}`)
    }
  }
  const rows = names.map((name) => {
    const rs = raw[name]
    const decode = rs.map((r) => r.decodeUsPerItem)
    const parse = rs.map((r) => r.parseUsPerItem)
    return {
      name,
      short: rs[0].short,
      form: rs[0].form,
      output: rs[0].output,
      usPerItem: median(decode),
      min: Math.min(...decode),
      max: Math.max(...decode),
      parseUsPerItem: median(parse),
      // each process times parse and decode in alternating batches: the ratio is the figure
      // that survives a busy machine best
      ratio: median(rs.map((r) => r.ratio)),
      ratioMin: Math.min(...rs.map((r) => r.ratio)),
      ratioMax: Math.max(...rs.map((r) => r.ratio))
    }
  })
  const parseUsPerItem = median(rows.map((r) => r.parseUsPerItem))
  const byRatio = (xs) => [...xs].sort((a, b) => a.ratio - b.ratio)
  const cheapest = byRatio(rows)[0]
  const cheapestExact = byRatio(rows.filter((r) => r.output === "copy"))[0]
  const cheapestEffect = byRatio(rows.filter((r) => !r.name.includes("compiled") && !r.name.includes("library")))[0]
  return { cfg, rows, parseUsPerItem, cheapest, cheapestExact, cheapestEffect }
}

// ---------------------------------------------------------------------------------------
// Report: BENCHMARKS.md
// ---------------------------------------------------------------------------------------
const version = (pkg) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")).version
  } catch {
    return "?"
  }
}
const machine = () => {
  const cpus = os.cpus()
  return {
    cpu: `${cpus[0]?.model ?? "?"} × ${cpus.length}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    node: process.version,
    v8: process.versions.v8
  }
}

const ms = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1))
const pct = (s) => `±${((100 * (s.max - s.min)) / 2 / s.median).toFixed(1)}%`
const row = (cells) => `| ${cells.join(" | ")} |`

const ratio = (a, b) => (a === undefined || b === undefined ? "–" : `${(a / b).toFixed(2)}x`)
const wallRows = (wall, users, extra = () => []) => [
  row(["contender", "median (ms)", "min–max (ms)", "spread", "µs / user", "time ÷ floor", "time ÷ SDK", ...extra(null)]),
  row(["---", "---:", "---:", "---:", "---:", "---:", "---:", ...extra(null).map(() => "---:")]),
  ...CONTENDERS.map((c) =>
    row([
      c.id === "lib" ? `**${c.name}**` : c.name,
      ms(wall[c.id].median),
      `${ms(wall[c.id].min)}–${ms(wall[c.id].max)}`,
      pct(wall[c.id]),
      ((wall[c.id].median * 1000) / users).toFixed(2),
      ratio(wall[c.id].median, wall.floor?.median),
      ratio(wall[c.id].median, wall.sdk?.median),
      ...extra(c.id)
    ])
  )
]

const goalLines = (goals) => goals.map((g) => `- **${pass(g.ok)}** ${g.text}`)

const writeMarkdown = (report) => {
  const m = machine()
  const rel = path.relative(path.dirname(mdPath), svgPath).split(path.sep).join("/")
  const L = []
  L.push("# Benchmarks")
  L.push("")
  if (smoke) {
    L.push("> **Smoke run** (`--smoke`): tiny counts, one run each. These numbers only show that the benchmark")
    L.push("> still works; they measure nothing. Run `npm run bench` for the real figures.")
    L.push("")
  }
  L.push("Streaming an organization's users, side by side in one run, against the same fake server")
  L.push("(`bench/server.mjs`, its own child process, users generated on the fly, every field of the spec's")
  L.push("`User` filled in, about 650 bytes each). Each contender runs in a fresh Node process")
  L.push("(`bench/contender.mjs`), the runs interleaved; tables give the median and the spread (half the")
  L.push("min–max range, relative to the median). Wall time is from the first request to the last item.")
  L.push("")
  L.push("Contenders:")
  L.push("")
  L.push("1. **floor**: a hand-written `fetch` + `JSON.parse` loop following `last_id`, validating nothing: the limit.")
  L.push(`2. **openai ${version("openai")}**, the official SDK: \`for await\` over \`client.admin.organization.users.list({ limit: 100 })\`; validates nothing.`)
  L.push("3. **effect-openai-admin**: `admin.users.list({ limit: 100 })` with its defaults and `FetchHttpClient`,")
  L.push("   run to the end with `Stream.runForEachChunk`; decodes and validates every user.")
  L.push("")
  L.push(`Re-run with \`npm run bench\` (\`node bench/run.mjs\`, needs \`npm run build\` first); it rewrites this file and`)
  L.push(`[the chart](${rel}). ${smoke ? "" : `The full run took ${(report.elapsedMs / 60000).toFixed(1)} minutes.`}`)
  L.push("")
  L.push(`![Benchmark chart](${rel})`)
  L.push("")
  L.push("## Machine")
  L.push("")
  L.push(row(["", ""]))
  L.push(row(["---", "---"]))
  L.push(row(["CPU", m.cpu]))
  L.push(row(["memory", m.memory]))
  L.push(row(["OS", m.os]))
  L.push(row(["Node", `${m.node} (V8 ${m.v8})`]))
  L.push(row(["packages", `effect ${version("effect")}, @effect/platform ${version("@effect/platform")}, openai ${version("openai")}, effect-openai-admin ${report.libVersion}`]))
  L.push(row(["date", report.date]))
  L.push(row(["load average (1 min)", `${report.loadStart.toFixed(2)} at the start, ${report.loadEnd.toFixed(2)} at the end (${os.cpus().length} cores)`]))
  L.push("")
  L.push("The fake server and the contender share the machine, so every figure includes the server's own work;")
  L.push("anything else running on it (see the load average) adds noise, which the interleaved runs spread evenly.")
  L.push("")

  const { A, B, C, D } = report
  if (A) {
    L.push(`## A: ${A.cfg.users.toLocaleString("en-US")} users, pages of ${LIMIT}, no server latency`)
    L.push("")
    L.push(`${A.cfg.runs} runs per contender. Goal: at least as fast as the official SDK, and within ${GOALS.A_vsFloor}x of`)
    L.push("the floor's wall time, while validating every item.")
    L.push("")
    L.push(...wallRows(A.wall, A.cfg.users, (id) => (id === null ? ["CPU (ms)"] : [ms(median(A.results[id].map((r) => r.cpuMs)))])))
    L.push("")
    L.push(...goalLines(A.goals))
    L.push("")
    if (A.rounds.length > 0) {
      L.push(`Round by round (the contenders back to back, in rotating order), for the spread only (the goals compare`)
      L.push(`medians): ${roundsText(A.rounds)}.`)
      L.push("")
    }
    L.push(...A_NOTES)
    L.push("")
  }
  if (B) {
    L.push(`## B: ${B.cfg.users.toLocaleString("en-US")} users, ${B.cfg.latency} ms server latency, ${B.cfg.work} ms consumer work per page`)
    L.push("")
    L.push(`${B.cfg.runs} runs per contender, ${B.pages} pages. The floor and the SDK fetch strictly one page after`)
    L.push(`another: (latency + work) × pages = ${ms(B.sequentialMs)} ms at best. The limit is max(latency, work) × pages`)
    L.push(`= **${ms(B.limitMs)} ms**. Goal: at least ${GOALS.B_vsSdk}x faster than the official SDK.`)
    L.push("")
    L.push(...wallRows(B.wall, B.cfg.users, (id) => (id === null ? ["time ÷ limit"] : [`${(B.wall[id].median / B.limitMs).toFixed(2)}x`])))
    L.push(row([`*limit: max(latency, work) × pages*`, ms(B.limitMs), "", "", ((B.limitMs * 1000) / B.cfg.users).toFixed(2),
      ratio(B.limitMs, B.wall.floor?.median), ratio(B.limitMs, B.wall.sdk?.median), "1.00x"]))
    if (B.wall.floor) {
      // The floor's run minus its work: what fetching alone takes, one request after another.
      const chainMs = Math.max(B.limitMs, B.wall.floor.median - B.cfg.work * B.pages)
      L.push(row([`*fetch chain alone: floor − work × pages*`, ms(chainMs), "", "", ((chainMs * 1000) / B.cfg.users).toFixed(2),
        ratio(chainMs, B.wall.floor.median), ratio(chainMs, B.wall.sdk?.median), ratio(chainMs, B.limitMs)]))
      L.push("")
      L.push("Cursor pagination cannot ask for page k + 1 before page k's response names its `last_id`, so however far")
      L.push("ahead a client reads, the requests form one chain: each costs the latency plus the time to turn a")
      L.push(`response into the next request. The floor's run minus its work (${ms(chainMs)} ms, ` +
        `${((chainMs / B.pages) - B.cfg.latency).toFixed(1)} ms per page beyond the latency) measures that chain at its leanest:`)
      L.push(`a reading-ahead client can approach it, not the ${ms(B.limitMs)} ms limit.`)
    }
    L.push("")
    L.push(...goalLines(B.goals))
    L.push("")
  }
  if (C) {
    L.push(`## C: ${C.cfg.users.toLocaleString("en-US")} users streamed, flat memory`)
    L.push("")
    L.push(`\`node --expose-gc\`; \`heapUsed\` after \`gc()\` before the first request and every ${C.cfg.sampleEvery.toLocaleString("en-US")} items;`)
    L.push(`${C.cfg.runs} run(s) per contender, medians. *growth* is the highest sample minus the first (before any request);`)
    L.push(`*slope* is the least-squares slope of the samples from ${C.cfg.sampleEvery.toLocaleString("en-US")} items on.`)
    L.push(`Goal: a flat slope (|slope| ≤ ${GOALS.C_slopeMBper100k} MB per 100k items, i.e. under 5 bytes kept per item) and under ${GOALS.C_growthMB} MB growth.`)
    L.push("")
    L.push(row(["contender", "start (MB)", `at ${C.cfg.sampleEvery.toLocaleString("en-US")} (MB)`, "end (MB)", "max (MB)",
      "growth (MB)", "end − first (MB)", "slope (MB / 100k items)", "wall (ms)"]))
    L.push(row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]))
    for (const c of CONTENDERS) {
      const h = C.heap[c.id]
      L.push(row([c.id === "lib" ? `**${c.name}**` : c.name, h.startMB.toFixed(2), h.firstMB.toFixed(2), h.lastMB.toFixed(2),
        h.maxMB.toFixed(2), h.growthMB.toFixed(2), h.lastMinusFirstMB.toFixed(2), h.slopeMBper100k.toFixed(3), ms(h.wall.median)]))
    }
    L.push("")
    L.push(...goalLines(C.goals))
    L.push("")
  }
  if (D) {
    L.push(`## D: decoding alone, one page of ${LIMIT} spec-complete users`)
    L.push("")
    L.push(smoke ? "Every candidate in one process (smoke run), timed over 20 different pages"
      : `Each candidate in ${D.cfg.processes} fresh processes (\`bench/decode.mjs\`), timed over 20 different pages`)
    L.push("after a warm-up, beside `JSON.parse` of the same pages in the same process (median " +
      `${D.parseUsPerItem.toFixed(2)} µs per user). Before timing, each candidate must accept every generated user and`)
    L.push("unknown fields, and reject each of 25 invalid users, so none is cheaper for validating less.")
    L.push("Schemas: `bench/schemas.mjs`; `Int` for the integer fields, `Literal` for the `object` tags.")
    L.push("")
    L.push(row(["candidate", "output", "µs / user", "min–max", "÷ JSON.parse"]))
    L.push(row(["---", "---", "---:", "---:", "---:"]))
    const OUTPUT = {
      copy: "new objects, unknown fields dropped",
      nulls: "new objects, null fields removed",
      class: "class instances",
      input: "the parsed JSON as is"
    }
    for (const r of [...D.rows].sort((a, b) => a.ratio - b.ratio)) {
      const name = r === D.cheapest || r === D.cheapestExact ? `**${r.name}**` : r.name
      L.push(row([name, OUTPUT[r.output] ?? r.output, r.usPerItem.toFixed(2), `${r.min.toFixed(2)}–${r.max.toFixed(2)}`,
        `${r.ratio.toFixed(2)}x`]))
    }
    L.push(row(["*`JSON.parse` of the page (reference)*", "", D.parseUsPerItem.toFixed(2), "", "1.00x"]))
    L.push("")
    L.push("Ranked by the ratio to `JSON.parse` (median over processes), which a busy machine moves least.")
    L.push("")
    const cite = (r) => `${r.name}: ${r.usPerItem.toFixed(2)} µs per user, ${r.ratio.toFixed(2)}x \`JSON.parse\``
    L.push(`- Cheapest: **${cite(D.cheapest)}**.`)
    if (D.cheapestExact !== D.cheapest) {
      L.push(`- Cheapest with exactly the output of Effect's parser: **${cite(D.cheapestExact)}**.`)
    }
    L.push(`- Cheapest with Effect's own parser: ${cite(D.cheapestEffect)}.`)
    L.push("")
    L.push("The library's decoder (`src/internal/decode.ts`, which `bench/compile.mjs` imports) turns the schema's AST")
    L.push("into code once: a generated function per struct and per array (closures where `new Function` is not")
    L.push("allowed), and Effect's parser for any node outside plain structs, arrays, unions, literals, keywords and")
    L.push("refinements, and for the error on failure. The compiled guard is an experiment of `bench/compile.mjs`")
    L.push("(closures, no output built). `test/bench-smoke.test.ts` and `test/decode.test.ts` check them against")
    L.push("Effect's parser on thousands of mutated users (same accepted set, same output, same error).")
    L.push("")
  }
  L.push("## Raw runs")
  L.push("")
  L.push("<details><summary>Every run, in the order it ran</summary>")
  L.push("")
  L.push("```")
  for (const [s, rep] of Object.entries({ A, B, C })) {
    if (!rep) continue
    const all = CONTENDERS.flatMap((c) => rep.results[c.id].map((r, i) => ({ ...r, i })))
    all.sort((a, b) => a.seq - b.seq)
    for (const r of all) {
      L.push(`${s} run ${r.i + 1} ${r.contender.padEnd(6)} wall ${ms(r.wallMs).padStart(7)} ms  cpu ${ms(r.cpuMs).padStart(7)} ms  ` +
        `${r.items} items / ${r.pages} pages`)
    }
  }
  L.push("```")
  L.push("")
  L.push("</details>")
  L.push("")
  fs.mkdirSync(path.dirname(mdPath), { recursive: true })
  fs.writeFileSync(mdPath, L.join("\n"))
}

// ---------------------------------------------------------------------------------------
// Report: the chart, an SVG drawn by hand
// ---------------------------------------------------------------------------------------
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
const COLORS = { floor: "#8c8c8c", sdk: "#d9822b", platform: "#9f7aea", lib: "#2b6cb0" }
const niceMax = (x) => {
  if (!(x > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(x))
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= x) return m * p
  return 10 * p
}
const ticks = (max, n = 5) => Array.from({ length: n + 1 }, (_, i) => (max * i) / n)
const fmtTick = (v) => (v === 0 ? "0" : v >= 1000 ? `${+(v / 1000).toFixed(2)}k` : `${+v.toFixed(2)}`)

/** How the library gets its A figure, and what bounds it (static text: the numbers are in the table above). */
const A_NOTES = [
  "How the library streams: the request for page k + 1 is started as soon as page k's body has arrived, from the",
  "response handling itself, with the cursor read from the end of that body (`has_more`, `last_id`); meanwhile the",
  "consumer parses, decodes (generated code, see D) and checks page k, and takes a page only if it was asked for with",
  "the decoded cursor of the one before, so a wrong guess costs a request, never an item. Each request still goes",
  "through `@effect/platform`'s `HttpClient`: the reference row (the floor's loop on Effect + `FetchHttpClient`,",
  "validating nothing) shows what that transport costs on its own. The library reads a fetch response's body from its",
  "web `Response` directly (src/internal/body.ts), not through the platform's body getters (`text`, `arrayBuffer`),",
  "each an `Effect.cached` built per response: the reference pays that (`text`), about 100 µs of CPU per page with an",
  "in-memory fetch. Reading ahead hides the library's parsing, decoding and checking behind the server's work, not the",
  "transport's own cost, which is on the chain of requests. `node bench/timeline.mjs [--contender lib|floor]` times",
  "each step of a page (request sent, on the wire, headers, body, parse, items) to show where it goes."
]

/** A panel of horizontal bars with min–max whiskers and optional reference lines. */
const barPanel = ({ x, y, w, title, subtitle, unit, bars, refs = [], labelW = 180 }) => {
  const rowH = 26
  const top = y + 60
  const plotW = w - labelW - 120
  const max = niceMax(Math.max(...bars.map((b) => b.max ?? b.value), ...refs.map((r) => r.value)) * 1.05)
  const sx = (v) => x + labelW + (v / max) * plotW
  const h = 60 + bars.length * rowH + 34
  const o = []
  o.push(`<text x="${x}" y="${y + 16}" class="title">${esc(title)}</text>`)
  if (subtitle) o.push(`<text x="${x}" y="${y + 33}" class="sub">${esc(subtitle)}</text>`)
  for (const t of ticks(max)) {
    o.push(`<line x1="${sx(t)}" y1="${top - 4}" x2="${sx(t)}" y2="${top + bars.length * rowH}" class="grid"/>`)
    o.push(`<text x="${sx(t)}" y="${top + bars.length * rowH + 14}" class="tick" text-anchor="middle">${fmtTick(t)}</text>`)
  }
  o.push(`<text x="${x + labelW + plotW}" y="${top + bars.length * rowH + 28}" class="tick" text-anchor="end">${esc(unit)}</text>`)
  bars.forEach((b, i) => {
    const by = top + i * rowH
    o.push(`<text x="${x + labelW - 8}" y="${by + 16}" class="label" text-anchor="end">${esc(b.label)}</text>`)
    o.push(`<rect x="${sx(0)}" y="${by + 4}" width="${Math.max(1, sx(b.value) - sx(0))}" height="${rowH - 9}" fill="${b.color}"/>`)
    if (b.min !== undefined && b.max !== undefined) {
      o.push(`<line x1="${sx(b.min)}" y1="${by + rowH / 2}" x2="${sx(b.max)}" y2="${by + rowH / 2}" class="whisker"/>`)
      o.push(`<line x1="${sx(b.min)}" y1="${by + 7}" x2="${sx(b.min)}" y2="${by + rowH - 7}" class="whisker"/>`)
      o.push(`<line x1="${sx(b.max)}" y1="${by + 7}" x2="${sx(b.max)}" y2="${by + rowH - 7}" class="whisker"/>`)
    }
    o.push(`<text x="${sx(Math.max(b.value, b.max ?? 0)) + 6}" y="${by + 16}" class="value">${esc(b.text)}</text>`)
  })
  for (const r of refs) {
    o.push(`<line x1="${sx(r.value)}" y1="${top - 8}" x2="${sx(r.value)}" y2="${top + bars.length * rowH}" class="ref"/>`)
    o.push(`<text x="${sx(r.value)}" y="${top - 11}" class="reftext" text-anchor="middle">${esc(r.label)}</text>`)
  }
  return { svg: o.join("\n"), h }
}

/** A panel of heap lines over items. */
const heapPanel = ({ x, y, w, title, subtitle, series }) => {
  const left = 60
  const plotW = w - left - 250
  const plotH = 170
  const top = y + 50
  const maxX = Math.max(...series.flatMap((s) => s.points.map((p) => p[0])), 1)
  const maxY = niceMax(Math.max(...series.flatMap((s) => s.points.map((p) => p[1])), 1) * 1.1)
  const minY = Math.min(0, ...series.flatMap((s) => s.points.map((p) => p[1])))
  const sx = (v) => x + left + (v / maxX) * plotW
  const sy = (v) => top + plotH - ((Math.max(v, minY) - minY) / (maxY - minY)) * plotH
  const o = []
  o.push(`<text x="${x}" y="${y + 16}" class="title">${esc(title)}</text>`)
  if (subtitle) o.push(`<text x="${x}" y="${y + 33}" class="sub">${esc(subtitle)}</text>`)
  for (const t of ticks(maxY, 4)) {
    o.push(`<line x1="${sx(0)}" y1="${sy(t)}" x2="${sx(maxX)}" y2="${sy(t)}" class="grid"/>`)
    o.push(`<text x="${sx(0) - 6}" y="${sy(t) + 4}" class="tick" text-anchor="end">${fmtTick(t)}</text>`)
  }
  for (const t of ticks(maxX, 5)) {
    o.push(`<text x="${sx(t)}" y="${top + plotH + 16}" class="tick" text-anchor="middle">${fmtTick(t)}</text>`)
  }
  o.push(`<text x="${sx(0) - 6}" y="${top - 8}" class="tick" text-anchor="end">+MB</text>`)
  o.push(`<text x="${sx(maxX)}" y="${top + plotH + 30}" class="tick" text-anchor="end">items streamed</text>`)
  series.forEach((s, i) => {
    const d = s.points.map((p, k) => `${k === 0 ? "M" : "L"}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(" ")
    o.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2.5"/>`)
    for (const p of s.points) o.push(`<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="2.5" fill="${s.color}"/>`)
    const ly = top + 10 + i * 54
    o.push(`<rect x="${sx(maxX) + 16}" y="${ly - 9}" width="12" height="12" fill="${s.color}"/>`)
    o.push(`<text x="${sx(maxX) + 34}" y="${ly + 1}" class="label">${esc(s.label)}</text>`)
    s.note.forEach((line, k) => o.push(`<text x="${sx(maxX) + 34}" y="${ly + 16 + 14 * k}" class="sub">${esc(line)}</text>`))
  })
  return { svg: o.join("\n"), h: 50 + plotH + 40 }
}

const writeChart = (report) => {
  const W = 960
  const pad = 24
  const panels = []
  let y = pad
  const add = (p) => {
    panels.push(p.svg)
    y += p.h + 22
  }
  const { A, B, C, D } = report
  const wallBars = (rep) =>
    CONTENDERS.map((c) => ({
      label: c.short,
      value: rep.wall[c.id].median,
      min: rep.wall[c.id].min,
      max: rep.wall[c.id].max,
      color: COLORS[c.id],
      text: `${ms(rep.wall[c.id].median)} ms`
    }))
  if (A) {
    add(barPanel({
      x: pad, y, w: W - 2 * pad,
      title: `A · ${A.cfg.users.toLocaleString("en-US")} users, pages of ${LIMIT}, no latency: wall time (lower is better)`,
      subtitle: `median of ${A.cfg.runs} fresh-process runs, whiskers min–max; goal: ≤ SDK and ≤ ${GOALS.A_vsFloor}× floor`,
      unit: "ms",
      bars: wallBars(A),
      refs: A.wall.floor ? [{ value: A.wall.floor.median * GOALS.A_vsFloor, label: `${GOALS.A_vsFloor}× floor` }] : []
    }))
  }
  if (B) {
    add(barPanel({
      x: pad, y, w: W - 2 * pad,
      title: `B · ${B.cfg.users.toLocaleString("en-US")} users, ${B.cfg.latency} ms latency + ${B.cfg.work} ms work per page: wall time`,
      subtitle: `median of ${B.cfg.runs} runs; dashed: the limit max(latency, work) × ${B.pages} pages`,
      unit: "ms",
      bars: wallBars(B),
      refs: [{ value: B.limitMs, label: `limit ${ms(B.limitMs)} ms` }]
    }))
  }
  if (C) {
    add(heapPanel({
      x: pad, y, w: W - 2 * pad,
      title: `C · ${C.cfg.users.toLocaleString("en-US")} users streamed: heapUsed after gc(), minus its value before the first request`,
      subtitle: `the last run of each contender; goal: flat, < ${GOALS.C_growthMB} MB growth`,
      series: CONTENDERS.map((c) => {
        const last = C.heap[c.id].runs[C.heap[c.id].runs.length - 1]
        return {
          label: c.short,
          color: COLORS[c.id],
          points: last.samples.map(([n, mb]) => [n, mb - last.startMB]),
          note: [`start ${C.heap[c.id].startMB.toFixed(1)} MB, growth ${C.heap[c.id].growthMB.toFixed(1)} MB`,
            `slope ${C.heap[c.id].slopeMBper100k.toFixed(2)} MB / 100k items`]
        }
      })
    }))
  }
  if (D) {
    const rows = [...D.rows].sort((a, b) => a.ratio - b.ratio)
    add(barPanel({
      x: pad, y, w: W - 2 * pad,
      title: `D · decoding one page of ${LIMIT} users: time ÷ JSON.parse of the same page (lower is better)`,
      subtitle: "median over fresh processes, whiskers min–max; µs per user in brackets",
      unit: "× JSON.parse",
      labelW: 330,
      bars: rows.map((r) => ({
        label: r.short,
        value: r.ratio,
        min: r.ratioMin,
        max: r.ratioMax,
        color: r === D.cheapest || r === D.cheapestExact ? COLORS.lib : "#7aa6d6",
        text: `${r.ratio.toFixed(2)}× (${r.usPerItem.toFixed(2)} µs)`
      })),
      refs: [{ value: 1, label: "JSON.parse" }]
    }))
  }
  const H = y + pad
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif">`,
    `<style>
  .title { font-size: 15px; font-weight: 600; fill: #1a202c }
  .sub { font-size: 11.5px; fill: #5a6270 }
  .label { font-size: 12px; fill: #1a202c }
  .value { font-size: 11.5px; fill: #1a202c }
  .tick { font-size: 10.5px; fill: #5a6270 }
  .grid { stroke: #e3e7ed; stroke-width: 1 }
  .whisker { stroke: #1a202c; stroke-width: 1.2 }
  .ref { stroke: #c53030; stroke-width: 1.5; stroke-dasharray: 5 4 }
  .reftext { font-size: 11px; fill: #c53030 }
</style>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...panels,
    `<text x="${W - pad}" y="${H - 8}" class="tick" text-anchor="end">${esc(`${machine().cpu} · Node ${process.version} · ${report.date}${smoke ? " · SMOKE RUN" : ""}`)}</text>`,
    `</svg>`
  ].join("\n")
  fs.mkdirSync(path.dirname(svgPath), { recursive: true })
  fs.writeFileSync(svgPath, svg + "\n")
}

// ---------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------
const main = async () => {
  const t0 = Date.now()
  if (has("lib") && !fs.existsSync(path.join(root, "dist", "index.js"))) {
    throw new Error("dist/index.js is missing: run `npm run build` first")
  }
  const libVersion = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version
  log(`effect-openai-admin benchmarks${smoke ? " (smoke run)" : ""} · Node ${process.version} · ${machine().cpu}`)
  const report = { date: new Date().toISOString().replace(/\.\d+Z$/, "Z"), libVersion, smoke, loadStart: os.loadavg()[0] }
  if (only.includes("A")) report.A = await scenarioA()
  if (only.includes("B")) report.B = await scenarioB()
  if (only.includes("C")) report.C = await scenarioC()
  if (only.includes("D")) report.D = await scenarioD()
  report.elapsedMs = Date.now() - t0
  report.loadEnd = os.loadavg()[0]

  log("\nResults")
  const goals = []
  const printWall = (s, rep, extra = "") => {
    log(`\n${s}${extra}`)
    for (const c of CONTENDERS) {
      const w = rep.wall[c.id]
      log(`  ${contenderName(c.id).padEnd(30)} median ${ms(w.median).padStart(7)} ms  (${ms(w.min)}–${ms(w.max)}, ${pct(w)})`)
    }
  }
  if (report.A) printWall("A", report.A)
  if (report.A) for (const g of report.A.goals) (goals.push(g), log(`  ${pass(g.ok)}  ${g.text}`))
  if (report.A && report.A.rounds.length > 0) log(`  round by round: ${roundsText(report.A.rounds)}`)
  if (report.B) printWall("B", report.B, `  (limit max(latency, work) × pages = ${ms(report.B.limitMs)} ms)`)
  if (report.B) for (const g of report.B.goals) (goals.push(g), log(`  ${pass(g.ok)}  ${g.text}`))
  if (report.C) {
    log("\nC")
    for (const c of CONTENDERS) {
      const h = report.C.heap[c.id]
      log(`  ${contenderName(c.id).padEnd(30)} growth ${h.growthMB.toFixed(2).padStart(6)} MB  slope ` +
        `${h.slopeMBper100k.toFixed(3).padStart(7)} MB/100k  (start ${h.startMB.toFixed(1)} MB, max ${h.maxMB.toFixed(1)} MB)`)
    }
    for (const g of report.C.goals) (goals.push(g), log(`  ${pass(g.ok)}  ${g.text}`))
  }
  if (report.D) {
    log(`\nD  (JSON.parse: ${report.D.parseUsPerItem.toFixed(2)} µs per user)`)
    for (const r of [...report.D.rows].sort((a, b) => a.ratio - b.ratio)) {
      log(`  ${r.usPerItem.toFixed(2).padStart(6)} µs/user  ${r.ratio.toFixed(2).padStart(5)}x JSON.parse  ${r.name}`)
    }
    log(`  cheapest: ${report.D.cheapest.name}`)
    log(`  cheapest with Effect's exact output: ${report.D.cheapestExact.name}`)
  }

  writeMarkdown(report)
  writeChart(report)
  log(`\nwrote ${path.relative(process.cwd(), mdPath) || mdPath} and ${path.relative(process.cwd(), svgPath) || svgPath}` +
    ` in ${(report.elapsedMs / 1000).toFixed(0)} s`)
  const failed = goals.filter((g) => !g.ok)
  if (failed.length > 0) log(`${failed.length} goal(s) FAIL${smoke ? " (smoke run: goals are not checked)" : ""}`)
  if (strict && !smoke && failed.length > 0) process.exitCode = 1
}

main().catch((error) => {
  console.error(error?.stack ?? String(error))
  process.exitCode = 1
})
