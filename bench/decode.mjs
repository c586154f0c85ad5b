#!/usr/bin/env node
// Scenario D: decoding alone. Measures ONE candidate representation in THIS (fresh)
// process and prints one JSON line: µs per item for decoding pages of 100 spec-complete
// users, beside `JSON.parse` of the same pages measured in the same process.
//
//   node bench/decode.mjs --candidate NAME [--smoke]
//   node bench/decode.mjs --list            (prints the candidate names, one JSON array)
//   node bench/decode.mjs --all --smoke     (every candidate in one process, one JSON array)
//
// Before timing, every candidate must accept every generated user and reject each of a
// list of invalid ones, so that no candidate gets cheaper by validating less.
import { Either, ParseResult, Schema } from "effect"
import * as S from "./schemas.mjs"
import { makePage, makeUser } from "./users.mjs"
import { compileDecodeUnknownEither, compileDecodeUnknownSync, compileValidateUnknownEither } from "./compile.mjs"

/**
 * name -> { short, output, form, make(): (body) => users[] }
 * `body` is the parsed page envelope; `make()` returns a function that returns the decoded
 * users or throws. `output`: "copy" (new objects, unknown fields dropped: what Effect's
 * parser gives for a plain Struct), "nulls" (copy, null fields removed), "class" (class
 * instances), "input" (the parsed JSON itself, unknown fields kept).
 */
const eitherOrThrow = (e) => {
  if (Either.isLeft(e)) throw new Error(String(e.left))
  return e.right
}
const perItem = (decode) => (body) => {
  const data = body.data
  const out = new Array(data.length)
  for (let i = 0; i < data.length; i++) out[i] = decode(data[i])
  return out
}

export const candidates = {
  "Struct+NullOr · Schema.decodeUnknownSync · per item": {
    output: "copy",
    short: "Struct · decodeUnknownSync · item",
    form: "Schema.Struct, optional(NullOr(X)), role: String",
    make: () => perItem(Schema.decodeUnknownSync(S.UserStructNullOr))
  },
  "Struct+NullOr · Schema.decodeUnknownEither · per item": {
    output: "copy",
    short: "Struct · Schema.decodeUnknownEither · item",
    form: "Schema.Struct, optional(NullOr(X)), role: String",
    make: () => {
      const d = Schema.decodeUnknownEither(S.UserStructNullOr)
      return perItem((u) => eitherOrThrow(d(u)))
    }
  },
  "Struct+NullOr · ParseResult.decodeUnknownEither · per item": {
    output: "copy",
    short: "Struct · ParseResult.decodeUnknownEither · item",
    form: "Schema.Struct, optional(NullOr(X)), role: String",
    make: () => {
      const d = ParseResult.decodeUnknownEither(S.UserStructNullOr)
      return perItem((u) => eitherOrThrow(d(u)))
    }
  },
  "Struct+NullOr, role Union(Literal,String) · decodeUnknownSync · per item": {
    output: "copy",
    short: "Struct, role Union · decodeUnknownSync · item",
    form: "Schema.Struct, optional(NullOr(X)), role: Union(Literal('owner','reader'), String)",
    make: () => perItem(Schema.decodeUnknownSync(S.UserStructNullOrRoleUnion))
  },
  "Struct+optionalWith(nullable) · decodeUnknownSync · per item": {
    output: "nulls",
    short: "Struct optionalWith · decodeUnknownSync · item",
    form: "Schema.Struct, optionalWith(X, {nullable: true}), role: String",
    make: () => perItem(Schema.decodeUnknownSync(S.UserStructOptionalWith))
  },
  "Class+NullOr · decodeUnknownSync · per item": {
    output: "class",
    short: "Class · decodeUnknownSync · item",
    form: "Schema.Class, optional(NullOr(X)), role: String",
    make: () => perItem(Schema.decodeUnknownSync(S.UserClass))
  },
  "Struct+NullOr · Schema.is (validate, keep input) · per item": {
    output: "input",
    short: "Struct · Schema.is · item",
    form: "Schema.is(Schema.Struct optional(NullOr(X))): validates, returns the input object as is",
    make: () => {
      const is = Schema.is(S.UserStructNullOr)
      const d = Schema.decodeUnknownSync(S.UserStructNullOr)
      return perItem((u) => (is(u) ? u : d(u)))
    }
  },
  "Struct+NullOr · decodeUnknownSync · Schema.Array(User) per page": {
    output: "copy",
    short: "Array(Struct) · decodeUnknownSync · page",
    form: "Schema.Array(Schema.Struct optional(NullOr(X)))",
    make: () => {
      const d = Schema.decodeUnknownSync(Schema.Array(S.UserStructNullOr))
      return (body) => d(body.data)
    }
  },
  "Struct+NullOr · ParseResult.decodeUnknownEither · Schema.Array(User) per page": {
    output: "copy",
    short: "Array(Struct) · ParseResult.decodeUnknownEither",
    form: "Schema.Array(Schema.Struct optional(NullOr(X)))",
    make: () => {
      const d = ParseResult.decodeUnknownEither(Schema.Array(S.UserStructNullOr))
      return (body) => eitherOrThrow(d(body.data))
    }
  },
  "Struct+NullOr · decodeUnknownSync · whole envelope": {
    output: "copy",
    short: "envelope · decodeUnknownSync",
    form: "Schema.Struct({object, data: Array(User), first_id, last_id, has_more})",
    make: () => {
      const d = Schema.decodeUnknownSync(S.PageStructNullOr)
      return (body) => d(body).data
    }
  },
  "Struct+NullOr · ParseResult.decodeUnknownEither · whole envelope": {
    output: "copy",
    short: "envelope · ParseResult.decodeUnknownEither",
    form: "Schema.Struct({object, data: Array(User), first_id, last_id, has_more})",
    make: () => {
      const d = ParseResult.decodeUnknownEither(S.PageStructNullOr)
      return (body) => eitherOrThrow(d(body)).data
    }
  },
  "Struct+optionalWith(nullable) · decodeUnknownSync · whole envelope": {
    output: "nulls",
    short: "envelope optionalWith · decodeUnknownSync",
    form: "envelope of Schema.Struct optionalWith(X, {nullable: true})",
    make: () => {
      const d = Schema.decodeUnknownSync(S.PageStructOptionalWith)
      return (body) => d(body).data
    }
  },
  "Struct+NullOr · the library's decoder (src/internal/decode.ts) · per item": {
    output: "copy",
    short: "Struct · library decoder · item",
    form: "Schema.Struct optional(NullOr(X)), decoded by compileDecodeUnknownEither(User) (Effect's parser only on failure)",
    make: () => {
      const d = compileDecodeUnknownEither(S.UserStructNullOr)
      return perItem((u) => eitherOrThrow(d(u)))
    }
  },
  "Struct+NullOr · the library's decoder (src/internal/decode.ts) · whole envelope": {
    output: "copy",
    short: "envelope · library decoder",
    form: "Schema.Struct envelope, decoded by compileDecodeUnknownSync(Page) (Effect's parser only on failure)",
    make: () => {
      const d = compileDecodeUnknownSync(S.PageStructNullOr)
      return (body) => d(body).data
    }
  },
  "Struct+NullOr · compiled guard, no copy (bench/compile.mjs) · whole envelope": {
    output: "input",
    short: "envelope · compiled guard, no copy",
    form: "Schema.Struct envelope, checked in place by compileValidateUnknownEither(Page): the parsed JSON is returned as is, unknown fields kept",
    make: () => {
      const d = compileValidateUnknownEither(S.PageStructNullOr)
      return (body) => eitherOrThrow(d(body)).data
    }
  },
  "envelope with last_id optionalWith(nullable) · ParseResult.decodeUnknownEither": {
    output: "copy",
    short: "envelope, last_id optionalWith · ParseResult",
    form: "Schema.Struct({data: Array(User), has_more, last_id: optionalWith(String, {nullable: true})}): a Struct-level transformation, so Effect decodes the users twice (encoded side, then type side)",
    make: () => {
      const d = ParseResult.decodeUnknownEither(S.PageLastIdOptionalWith)
      return (body) => eitherOrThrow(d(body)).data
    }
  },
  "Class+NullOr · decodeUnknownSync · whole envelope": {
    output: "class",
    short: "envelope of Class · decodeUnknownSync",
    form: "envelope of Schema.Class optional(NullOr(X))",
    make: () => {
      const d = Schema.decodeUnknownSync(S.PageClass)
      return (body) => d(body).data
    }
  }
}

// ---------------------------------------------------------------------------------------
// Validation equivalence: what every candidate must accept and reject.
// ---------------------------------------------------------------------------------------
const invalidUsers = () => {
  const base = () => makeUser(12345)
  const m = (f) => {
    const u = base()
    f(u)
    return u
  }
  return [
    ["object wrong", m((u) => (u.object = "user"))],
    ["id missing", m((u) => delete u.id)],
    ["id number", m((u) => (u.id = 7))],
    ["added_at missing", m((u) => delete u.added_at)],
    ["added_at not integer", m((u) => (u.added_at = 1.5))],
    ["added_at string", m((u) => (u.added_at = "1700000000"))],
    ["name number", m((u) => (u.name = 1))],
    ["email boolean", m((u) => (u.email = true))],
    ["role number", m((u) => (u.role = 3))],
    ["is_default null", m((u) => (u.is_default = null))],
    ["created not integer", m((u) => (u.created = 2.5))],
    ["user.object wrong", m((u) => (u.user.object = "member"))],
    ["user.id missing", m((u) => delete u.user.id)],
    ["user.enabled string", m((u) => (u.user.enabled = "yes"))],
    ["user.banned_at float", m((u) => (u.user.banned_at = 0.5))],
    ["is_service_account string", m((u) => (u.is_service_account = "false"))],
    ["is_scale_tier_authorized_purchaser number", m((u) => (u.is_scale_tier_authorized_purchaser = 0))],
    ["is_scim_managed null", m((u) => (u.is_scim_managed = null))],
    ["api_key_last_used_at float", m((u) => (u.api_key_last_used_at = 1.25))],
    ["technical_level number", m((u) => (u.technical_level = 1))],
    ["developer_persona object", m((u) => (u.developer_persona = {}))],
    ["projects wrong object", m((u) => (u.projects = { object: "page", data: [] }))],
    ["projects.data missing", m((u) => (u.projects = { object: "list" }))],
    ["projects.data[0].id number", m((u) => (u.projects = { object: "list", data: [{ id: 1 }] }))],
    ["not an object", "user-1"]
  ]
}

export const checkCandidate = (decodePage) => {
  // Accepts every generated user (with nulls in every nullable field across the range).
  for (let p = 0; p < 30; p++) {
    const body = makePage(p * 100, 100, Number.MAX_SAFE_INTEGER)
    const users = decodePage(body)
    if (users.length !== 100 || users[99].id !== body.data[99].id || users[0].added_at !== body.data[0].added_at) {
      throw new Error("decoded page does not match its input")
    }
  }
  // Accepts unknown fields.
  decodePage({ object: "list", data: [{ ...makeUser(1), brand_new_field: { x: 1 } }], first_id: null, last_id: null, has_more: false })
  // Rejects every invalid user.
  for (const [what, u] of invalidUsers()) {
    let rejected = false
    try {
      decodePage({ object: "list", data: [makeUser(1), u], first_id: "a", last_id: "b", has_more: false })
    } catch {
      rejected = true
    }
    if (!rejected) throw new Error("accepted an invalid user: " + what)
  }
}

// ---------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const n = s.length
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}

/** Runs `f` over and over for `ms`, returns µs per call. */
const timeFor = (ms, f) => {
  let calls = 0
  const t0 = performance.now()
  let t = t0
  while (t - t0 < ms) {
    for (let k = 0; k < 10; k++) f()
    calls += 10
    t = performance.now()
  }
  return ((t - t0) * 1000) / calls
}

const main = () => {
  const argv = process.argv.slice(2)
  if (argv.includes("--list")) {
    process.stdout.write(JSON.stringify(Object.keys(candidates)) + "\n")
    return
  }
  const smoke = argv.includes("--smoke")
  if (argv.includes("--all")) {
    // every candidate in this one process (for the smoke run: quick, not a measurement)
    process.stdout.write(JSON.stringify(Object.keys(candidates).map((name) => measure(name, smoke))) + "\n")
    return
  }
  process.stdout.write(JSON.stringify(measure(argv[argv.indexOf("--candidate") + 1], smoke)) + "\n")
}

const measure = (name, smoke) => {
  const candidate = candidates[name]
  if (!candidate) throw new Error("unknown candidate: " + name)
  const warmMs = smoke ? 10 : 400
  const batchMs = smoke ? 10 : 150
  const batches = smoke ? 2 : 7

  const PAGES = 20
  const texts = []
  for (let p = 0; p < PAGES; p++) texts.push(JSON.stringify(makePage(p * 100, 100, Number.MAX_SAFE_INTEGER)))
  const bodies = texts.map((t) => JSON.parse(t))
  const items = bodies[0].data.length

  const decodePage = candidate.make()
  checkCandidate(decodePage)

  let i = 0
  let sink = 0
  const parseOnce = () => {
    sink += JSON.parse(texts[i++ % PAGES]).data.length
  }
  const decodeOnce = () => {
    sink += decodePage(bodies[i++ % PAGES]).length
  }
  timeFor(warmMs, parseOnce)
  timeFor(warmMs, decodeOnce)
  const parse = []
  const decode = []
  for (let b = 0; b < batches; b++) {
    parse.push(timeFor(batchMs, parseOnce) / items)
    decode.push(timeFor(batchMs, decodeOnce) / items)
  }
  const result = {
    scenario: "D",
    candidate: name,
    form: candidate.form,
    short: candidate.short,
    output: candidate.output,
    items,
    parseUsPerItem: median(parse),
    decodeUsPerItem: median(decode),
    decodeMin: Math.min(...decode),
    decodeMax: Math.max(...decode),
    ratio: median(decode) / median(parse),
    sink: sink > 0
  }
  return result
}

if (import.meta.url === `file://${process.argv[1]}`) main()
