/**
 * Path and query encoding, checked before anything is sent.
 *
 * @internal
 */
import * as Either from "effect/Either"
import { InvalidRequestError } from "../AdminApiError.js"

/**
 * A string with a lone surrogate cannot be sent as is: `encodeURIComponent` throws on it (a defect, not a typed
 * error) and `URLSearchParams` silently replaces it with U+FFFD (the server would get another value). Such ids and
 * query values are refused, naming the field. JSON bodies need nothing: `JSON.stringify` escapes them.
 */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const illFormed = "must be well-formed Unicode (a lone surrogate cannot be sent as is)"

/** A path template's id placeholders, e.g. `{project_id}`. */
const placeholder = /\{([^}]+)\}/g

/**
 * How many ids a path template takes: the number of placeholders `encodePath` fills.
 *
 * @internal
 */
export const countIds = (template: string): number => (template.match(placeholder) ?? []).length

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
  const path = template.replace(placeholder, (_, name: string) => {
    const id = ids[index++]
    if (failure !== undefined) return ""
    if (typeof id !== "string") {
      failure = new InvalidRequestError({ operation, field: name, reason: "must be a string" })
    } else if (id === "") {
      failure = new InvalidRequestError({ operation, field: name, reason: "must not be empty" })
    } else if (id === "." || id === "..") {
      failure = new InvalidRequestError({ operation, field: name, reason: "must not be \".\" or \"..\"" })
    } else if (loneSurrogate.test(id)) {
      failure = new InvalidRequestError({ operation, field: name, reason: illFormed })
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
 * `[]` is not bracketed twice), objects as `name[key]`, `null` and `undefined` dropped. A value that is not
 * well-formed Unicode is refused.
 *
 * @internal
 */
export const encodeQuery = (
  operation: string,
  params: unknown
): Either.Either<Array<readonly [string, string]>, InvalidRequestError> => {
  const out: Array<readonly [string, string]> = []
  if (typeof params !== "object" || params === null) return Either.right(out)
  const push = (key: string, value: unknown) => {
    const s = scalar(value)
    if (s !== undefined) out.push([key, s])
  }
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue
    if (Array.isArray(value)) {
      const key = name.endsWith("[]") ? name : `${name}[]`
      for (const item of value) push(key, item)
    } else if (typeof value === "object") {
      for (const [inner, innerValue] of Object.entries(value)) push(`${name}[${inner}]`, innerValue)
    } else {
      push(name, value)
    }
  }
  const bad = out.find(([, value]) => loneSurrogate.test(value))
  return bad === undefined
    ? Either.right(out)
    : Either.left(new InvalidRequestError({ operation, field: bad[0], reason: illFormed }))
}
