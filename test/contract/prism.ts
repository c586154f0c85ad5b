/**
 * Starts the Stainless fork of Prism (`@stainless-api/prism-cli`, the mock the official SDKs test against) on
 * loopback, on a spec derived from `spec/openai-openapi.yaml`, and stops it.
 *
 * Two things are adjusted, both written out here so that nothing is hidden:
 *
 * 1. The spec prism loads is the admin subset of `spec/openai-openapi.yaml`: every operation whose `security`
 *    includes `AdminApiKeyAuth`, verbatim, with every component it references (transitively). Validation of these
 *    operations is the same; loading it takes ~2 s instead of ~30 s for the whole 3 MB spec (whose every `$ref`
 *    prism dereferences at startup). `CONTRACT_FULL_SPEC=1` loads the whole spec instead (same transform below).
 *
 *    Query parameters are described the way the official SDKs send them (Stainless' `qs` with
 *    `arrayFormat: "brackets"`), which the spec's default `style: form` does not say: an array parameter `name`
 *    (or `name[]`) is declared as `name[]` with `explode: true` (so `name[]=a&name[]=b`, every value validated),
 *    an object parameter as `style: deepObject` (so `effective_at[gte]=1`). Without this prism never sees these
 *    parameters at all (it would look for `project_ids=` and `gte=`), so it could not reject a bad value.
 *
 * 2. A preload (`NODE_OPTIONS=--require`) fixes a bug of the CLI: when it logs an example URL for every operation
 *    at startup (`createExamplePath`), it renames the query parameters of the loaded operations in place to
 *    `encodeURI(name)`, so every parameter whose name has `[]` (`event_types[]`, ...) becomes `event_types%5B%5D`
 *    and is never validated again. The preload gives that logging function a copy of the query parameters.
 *
 * Prism's request validation is otherwise the CLI's own: params, body and security (`Authorization: Bearer`);
 * an invalid request is answered with 401, 415 or 422 and a problem+json body listing the violations, and every
 * violation (including warnings and response violations) is also sent in an `sl-violations` header.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import YAML from "yaml"

export const METHODS = ["get", "post", "delete", "put", "patch"] as const

/** The loose shape of the parts of the spec the contract test reads. */
export interface JsonSchema {
  readonly $ref?: string
  readonly type?: string | ReadonlyArray<string>
  readonly enum?: ReadonlyArray<unknown>
  readonly description?: string
  readonly example?: unknown
  readonly default?: unknown
  readonly properties?: Record<string, JsonSchema>
  readonly required?: ReadonlyArray<string>
  readonly items?: JsonSchema
  readonly minItems?: number
  readonly maxItems?: number
  readonly minimum?: number
  readonly maximum?: number
  readonly minLength?: number
  readonly maxLength?: number
  readonly format?: string
  readonly anyOf?: ReadonlyArray<JsonSchema>
  readonly oneOf?: ReadonlyArray<JsonSchema>
  readonly allOf?: ReadonlyArray<JsonSchema>
}
export interface Parameter {
  readonly name: string
  readonly in: string
  readonly required?: boolean
  readonly style?: string
  readonly explode?: boolean
  readonly schema?: JsonSchema
}
export interface Operation {
  readonly operationId?: string
  readonly security?: ReadonlyArray<Record<string, unknown>>
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: {
    readonly required?: boolean
    readonly content: Record<string, { readonly schema?: JsonSchema }>
  }
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema: JsonSchema }> }>
}
export interface Spec {
  readonly paths: Record<string, Record<string, unknown>>
  readonly components: Record<string, Record<string, unknown>> & { readonly schemas: Record<string, JsonSchema> }
  readonly [key: string]: unknown
}

export const isAdminOperation = (op: Operation | undefined): op is Operation =>
  op !== undefined && (op.security ?? []).some((s) => "AdminApiKeyAuth" in s)

export const readSpec = (file: string): Spec => YAML.parse(fs.readFileSync(file, "utf8")) as Spec

const componentRef = /^#\/components\/([^/]+)\/([^/]+)$/

/** The spec reduced to its admin operations (and what they reference), or the whole spec. */
const subset = (spec: Spec, full: boolean): Spec => {
  if (full) return structuredClone(spec)
  const paths: Record<string, Record<string, unknown>> = {}
  for (const [p, item] of Object.entries(spec.paths)) {
    const kept: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(item)) {
      const isMethod = (METHODS as ReadonlyArray<string>).includes(key)
      if (!isMethod || isAdminOperation(value as Operation)) kept[key] = value
    }
    if (METHODS.some((m) => m in kept)) paths[p] = kept
  }
  const components: Record<string, Record<string, unknown>> = {
    securitySchemes: spec.components.securitySchemes ?? {}
  }
  const seen = new Set<string>()
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (typeof node !== "object" || node === null) return
    for (const [key, value] of Object.entries(node)) {
      const match = key === "$ref" && typeof value === "string" ? componentRef.exec(value) : null
      if (match !== null) {
        const [, kind, name] = match as unknown as [string, string, string]
        if (seen.has(value as string)) continue
        seen.add(value as string)
        const target = spec.components[kind]?.[name]
        if (target === undefined) throw new Error(`unresolved ${value as string}`)
        ;(components[kind] ??= {})[name] = target
        visit(target)
      } else {
        visit(value)
      }
    }
  }
  visit(paths)
  const { paths: _paths, components: _components, webhooks: _webhooks, "x-oaiMeta": _meta, ...rest } = spec
  return structuredClone({ ...rest, paths, components } as Spec)
}

const resolveIn = (spec: Spec, schema: JsonSchema | undefined): JsonSchema | undefined => {
  if (schema?.$ref === undefined) return schema
  const match = componentRef.exec(schema.$ref)
  return match === null ? undefined : resolveIn(spec, spec.components[match[1]!]?.[match[2]!] as JsonSchema)
}

/** Declares the query parameters of the admin operations the way the official SDKs encode them (see above). */
const sdkQueryStyle = (spec: Spec): void => {
  for (const item of Object.values(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined
      if (!isAdminOperation(op)) continue
      for (const parameter of (op.parameters ?? []) as Array<{ -readonly [K in keyof Parameter]: Parameter[K] }>) {
        if (parameter.in !== "query") continue
        const type = resolveIn(spec, parameter.schema)?.type
        if (type === "array") {
          parameter.name = `${parameter.name.replace(/\[\]$/, "")}[]`
          parameter.style = "form"
          parameter.explode = true
        } else if (type === "object") {
          parameter.style = "deepObject"
          parameter.explode = true
        }
      }
    }
  }
}

/** Fixes the CLI's in-place renaming of query parameters (see above): `createExamplePath` gets copies. */
const preload = (root: string) => `"use strict";
const paths = require(${JSON.stringify(path.join(root, "node_modules/@stainless-api/prism-cli/dist/util/paths.js"))});
const original = paths.createExamplePath;
paths.createExamplePath = (operation, ...rest) => original(
  operation.request && operation.request.query
    ? { ...operation, request: { ...operation.request, query: operation.request.query.map((q) => ({ ...q })) } }
    : operation,
  ...rest
);
`

export interface Prism {
  readonly url: string
  readonly startupMillis: number
  readonly args: ReadonlyArray<string>
  /** The last lines prism wrote (for failure messages). */
  readonly output: () => string
  readonly stop: () => Promise<void>
}

const ansi = /\u001b\[[0-9;]*m/g

/**
 * Writes the spec prism loads and the preload to a temporary directory, spawns `prism mock` on a free port of
 * 127.0.0.1 (`-p 0`: the OS picks, prism prints it) and resolves when prism prints `Prism is listening on <url>`.
 */
export const start = async (options: {
  readonly root: string
  readonly spec: Spec
  readonly full?: boolean
}): Promise<Prism> => {
  const started = performance.now()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "contract-prism-"))
  const specFile = path.join(dir, "admin-openapi.json")
  const spec = subset(options.spec, options.full ?? false)
  sdkQueryStyle(spec)
  fs.writeFileSync(specFile, JSON.stringify(spec))
  const preloadFile = path.join(dir, "preload.cjs")
  fs.writeFileSync(preloadFile, preload(options.root))
  const bin = path.join(options.root, "node_modules/.bin/prism")
  const args = ["mock", specFile, "-h", "127.0.0.1", "-p", "0"]
  const child: ChildProcess = spawn(bin, args, {
    cwd: options.root,
    env: { ...process.env, NODE_OPTIONS: `--require ${preloadFile}`, FORCE_COLOR: "0", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"]
  })
  const lines: Array<string> = []
  const remember = (line: string) => {
    lines.push(line)
    if (lines.length > 200) lines.shift()
  }
  const killOnExit = () => child.kill("SIGKILL")
  process.once("exit", killOnExit)
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const cleanup = () => {
    process.removeListener("exit", killOnExit)
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const output = () => lines.join("\n")
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = ""
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk
      let newline: number
      while ((newline = buffered.indexOf("\n")) !== -1) {
        const line = buffered.slice(0, newline).replace(ansi, "")
        buffered = buffered.slice(newline + 1)
        remember(line)
        const listening = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)
        if (listening !== null) resolve(listening[1]!)
      }
    })
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => chunk.split("\n").forEach(remember))
    child.once("error", (error) => {
      cleanup()
      reject(error)
    })
    child.once("exit", (code, signal) => {
      cleanup()
      reject(new Error(`prism exited (${code ?? signal}) before listening:\n${output()}`))
    })
  })
  return {
    url,
    startupMillis: performance.now() - started,
    args,
    output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
      await exited
      cleanup()
    }
  }
}
