/**
 * Test helpers: a fake OpenAI Admin API server and its seed data.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as FakeAdminServer from "./FakeAdminServer.js"

/** @since 0.1.0 */
export * as Seed from "./Seed.js"
