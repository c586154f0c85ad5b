/**
 * Path and query encoding, checked before anything is sent.
 *
 * @internal
 */
import * as Either from "effect/Either"
import { InvalidRequestError } from "../AdminApiError.js"

/**
 * Fills a path template with ids, each percent-encoded as exactly one segment. An empty id, `.` or `..` is
 * refused.
 *
 * @internal
 */
export const encodePath = (
  operation: string,
  template: string,
  ids: ReadonlyArray<unknown>
): Either.Either<string, InvalidRequestError> => {
  let index = 0
  let failure: InvalidRequestError | undefined
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const id = ids[index++]
    if (failure !== undefined) return ""
    if (typeof id !== "string") {
      failure = new InvalidRequestError({ operation, field: name, reason: "must be a string" })
    } else if (id === "") {
      failure = new InvalidRequestError({ operation, field: name, reason: "must not be empty" })
    } else if (id === "." || id === "..") {
      failure = new InvalidRequestError({ operation, field: name, reason: "must not be \".\" or \"..\"" })
    } else {
      return encodeURIComponent(id)
    }
    return ""
  })
  return failure === undefined ? Either.right(path) : Either.left(failure)
}

const scalar = (value: unknown): string | undefined => {
  switch (typeof value) {
    case "string":
      return value
    case "number":
    case "bigint":
    case "boolean":
      return String(value)
    default:
      return undefined
  }
}

/**
 * Encodes query parameters as the API expects: arrays as repeated `name[]` keys (a name that already ends in
 * `[]` is not bracketed twice), objects as `name[key]`, `null` and `undefined` dropped.
 *
 * @internal
 */
export const encodeQuery = (params: unknown): Array<readonly [string, string]> => {
  const out: Array<readonly [string, string]> = []
  if (typeof params !== "object" || params === null) return out
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue
    if (Array.isArray(value)) {
      const key = name.endsWith("[]") ? name : `${name}[]`
      for (const item of value) {
        const s = scalar(item)
        if (s !== undefined) out.push([key, s])
      }
    } else if (typeof value === "object") {
      for (const [inner, innerValue] of Object.entries(value)) {
        const s = scalar(innerValue)
        if (s !== undefined) out.push([`${name}[${inner}]`, s])
      }
    } else {
      const s = scalar(value)
      if (s !== undefined) out.push([name, s])
    }
  }
  return out
}
