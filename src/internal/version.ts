/**
 * The package's name and version, sent in the `User-Agent` (checked against package.json by a test).
 *
 * @internal
 */

/** @internal */
export const packageName = "effect-openai-admin"

/** @internal */
export const packageVersion = "0.1.0"
