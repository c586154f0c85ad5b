#!/usr/bin/env node
/**
 * The soak: the property tests (test/Properties.test.ts, and the properties of test/Hardening.test.ts) with many
 * runs and a fresh seed. `npm run soak` runs 3,000 runs of the main property (the others scaled from it); set
 * SOAK_RUNS to change that and SOAK_SEED to replay a seed. Extra arguments go to vitest (e.g. `-t interruption`).
 * Prints the seed, the time and the outcome counts; exits non-zero on any failure.
 */
import { spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import * as Path from "node:path"

const require = createRequire(import.meta.url)
const vitest = Path.join(Path.dirname(require.resolve("vitest/package.json")), "vitest.mjs")
const runs = process.env.SOAK_RUNS ?? "3000"
const seed = process.env.SOAK_SEED ?? String(Math.floor(Math.random() * 0x7fffffff))
const files = ["test/Properties.test.ts", "test/Hardening.test.ts"]

console.log(`[soak] SOAK_RUNS=${runs} SOAK_SEED=${seed}`)
const started = Date.now()
const result = spawnSync(process.execPath, [vitest, "run", ...files, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, SOAK_RUNS: runs, SOAK_SEED: seed }
})
const seconds = ((Date.now() - started) / 1000).toFixed(1)
const outcome = result.status === 0 ? "passed" : "FAILED"
console.log(`[soak] ${outcome}: SOAK_RUNS=${runs} SOAK_SEED=${seed}, ${seconds} s (replay: SOAK_RUNS=${runs} SOAK_SEED=${seed} npm run soak)`)
process.exit(result.status ?? 1)
