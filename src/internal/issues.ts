/**
 * Turns a schema `ParseIssue` into lines that name the field path and the expected type, and never the value
 * that was received (it may be a secret, or personal data).
 *
 * @internal
 */
import type * as ParseResult from "effect/ParseResult"
import type * as AST from "effect/SchemaAST"

const maxLines = 10

const renderPath = (path: ReadonlyArray<PropertyKey>): string => {
  let out = ""
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`
    else out += out === "" ? String(key) : `.${String(key)}`
  }
  return out
}

const expected = (ast: AST.AST | AST.Type): string => {
  const text = String(ast)
  return text.length > 160 ? `${text.slice(0, 157)}...` : text
}

/**
 * What is wrong, field by field: `path` is the field path (`data[3].email`, or "" for the value itself), `problem`
 * the expected type. Never the received value.
 *
 * @internal
 */
export interface Problem {
  readonly path: string
  readonly problem: string
}

/** @internal */
export const describeIssue = (issue: ParseResult.ParseIssue): Array<Problem> => {
  const lines: Array<Problem> = []
  const push = (path: ReadonlyArray<PropertyKey>, problem: string) => lines.push({ path: renderPath(path), problem })
  const go = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>): void => {
    if (lines.length >= maxLines) return
    switch (issue._tag) {
      case "Pointer": {
        const keys = Array.isArray(issue.path) ? issue.path : [issue.path]
        return go(issue.issue, [...path, ...keys])
      }
      case "Composite": {
        const issues = Array.isArray(issue.issues) ? issue.issues : [issue.issues as ParseResult.ParseIssue]
        if (issue.ast._tag === "Union" && issues.every((i) => i._tag === "Type")) {
          push(path, `expected ${expected(issue.ast)}`)
          return
        }
        for (const inner of issues) go(inner, path)
        return
      }
      case "Refinement":
        if (issue.kind === "From") return go(issue.issue, path)
        push(path, `expected ${expected(issue.ast)}`)
        return
      case "Transformation":
        return go(issue.issue, path)
      case "Type":
        push(path, `expected ${expected(issue.ast)}`)
        return
      case "Missing":
        push(path, `is missing (expected ${expected(issue.ast)})`)
        return
      case "Unexpected":
        push(path, `is not allowed`)
        return
      case "Forbidden":
        push(path, `cannot be decoded here`)
        return
    }
  }
  go(issue, [])
  return lines.length > 0 ? lines : [{ path: "", problem: "invalid" }]
}

/**
 * The problems as lines, `path: problem` (the value itself is `(root)`).
 *
 * @internal
 */
export const formatIssue = (issue: ParseResult.ParseIssue): Array<string> =>
  describeIssue(issue).map(({ path, problem }) => `${path === "" ? "(root)" : path}: ${problem}`)
