/**
 * `--demo`: the library's fake server, started in this process on a loopback port and seeded with a realistic
 * organization, so every command can be tried without a key.
 */
import { FakeAdminServer, Seed } from "effect-openai-admin/testing"
import type * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { demoSize } from "./Client.js"

/**
 * The demo organization: `Seed.generate` with a fixed seed, each user's `api_key_last_used_at` set relative to
 * today by `Seed.withKeyUsage` (so `stale-keys` has something to show).
 */
export const seed = (nowSeconds: number = Date.now() / 1000): Seed.Seed =>
  Seed.withKeyUsage(Seed.generate({ ...demoSize, seed: 7, usageDays: 30 }), nowSeconds)

/** Starts the demo server for the scope's lifetime. A little latency makes the streaming visible. */
export const server = (): Effect.Effect<FakeAdminServer.FakeAdminServer, never, Scope.Scope> =>
  FakeAdminServer.make({ seed: seed(), latency: 15 })
