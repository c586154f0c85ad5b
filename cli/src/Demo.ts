/**
 * `--demo`: the library's fake server, started in this process on a loopback port and seeded with a realistic
 * organization, so every command can be tried without a key.
 */
import { FakeAdminServer, Seed } from "effect-openai-admin/testing"
import type * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { demoSize } from "./Client.js"


const DAY = 86_400

/** A stateless hash, so the demo data is the same on every run. */
const hash = (n: number): number => {
  let x = n >>> 0
  x ^= x >>> 16
  x = Math.imul(x, 0x7feb352d)
  x ^= x >>> 15
  x = Math.imul(x, 0x846ca68b)
  x ^= x >>> 16
  return x >>> 0
}

/**
 * The demo organization: `Seed.generate` with a fixed seed, and each user's `api_key_last_used_at` set
 * relative to today (midnight UTC, so the output is stable for a day): about one in ten never used a key,
 * about a quarter have not used one for more than 90 days.
 */
export const seed = (nowSeconds: number = Date.now() / 1000): Seed.Seed => {
  const generated = Seed.generate({ ...demoSize, seed: 7, usageDays: 30 })
  const today = Math.floor(nowSeconds / DAY) * DAY
  const users = generated.users.map((user, i) => {
    const h = hash(i + 1)
    const bucket = h % 100
    const lastUsed = bucket < 10
      ? null
      : bucket < 35
      ? today - (91 + (h >>> 8) % 300) * DAY + ((h >>> 4) % DAY)
      : today - ((h >>> 8) % 90) * DAY + ((h >>> 4) % DAY)
    return { ...user, api_key_last_used_at: lastUsed === null ? null : Math.max(lastUsed, user.added_at) }
  })
  return { ...generated, users: users as ReadonlyArray<Seed.OrgUserJson> }
}

/** Starts the demo server for the scope's lifetime. A little latency makes the streaming visible. */
export const server = (): Effect.Effect<FakeAdminServer.FakeAdminServer, never, Scope.Scope> =>
  FakeAdminServer.make({ seed: seed(), latency: 15 })
