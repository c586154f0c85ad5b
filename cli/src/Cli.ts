/**
 * The command tree: one `list` command per list endpoint of the library (grouped by the URL's fixed segments:
 * `projects users list PROJECT_ID`), and the reports.
 */
import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"
import { CliFailure, ExitCode } from "./Errors.js"
import { listCommand } from "./Listings.js"
import { accessReport, staleKeys } from "./Reports.js"
import { discover, type Listing } from "./Surface.js"
import { version } from "./version.js"

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = Command.Command<any, any, any, any>

interface Group {
  readonly children: Map<string, Group>
  listing: Listing | undefined
}

const trie = (listings: ReadonlyArray<Listing>): Group => {
  const root: Group = { children: new Map(), listing: undefined }
  for (const listing of listings) {
    let node = root
    for (const word of listing.words) {
      let child = node.children.get(word)
      if (child === undefined) {
        child = { children: new Map(), listing: undefined }
        node.children.set(word, child)
      }
      node = child
    }
    node.listing = listing
  }
  return root
}

/** A line of a group's summary: the command words and positionals, and what it does. */
interface Entry {
  readonly usage: string
  readonly description: string
}

const summary = (entries: ReadonlyArray<Entry>): string => {
  const width = Math.min(44, Math.max(...entries.map((e) => e.usage.length)))
  const lines = entries.map((e) =>
    e.usage.length > width ? `  ${e.usage}\n  ${" ".repeat(width)}  ${e.description}` : `  ${e.usage.padEnd(width)}  ${e.description}`
  )
  return [
    `usage: openai-admin <command> [flags]`,
    "",
    "commands:",
    ...lines,
    "",
    "Every command takes --help. Shell completions: openai-admin --completions bash|zsh|fish|sh.",
    ""
  ].join("\n")
}

/** A command that only groups subcommands: run alone, it prints a summary on stderr and exits with 2. */
const group = (
  name: string,
  path: ReadonlyArray<string>,
  subcommands: ReadonlyArray<AnyCommand>,
  entries: ReadonlyArray<Entry>,
  description: string
): AnyCommand =>
  Command.make(name, {}, () =>
    Effect.zipRight(
      Effect.sync(() => {
        process.stderr.write(summary(entries))
      }),
      Effect.fail(new CliFailure({ message: `${["openai-admin", ...path].join(" ")}: a command is required`, code: ExitCode.usage }))
    )).pipe(
      Command.withDescription(description),
      Command.withSubcommands(subcommands as [AnyCommand, ...Array<AnyCommand>])
    )

const listingEntry = (listing: Listing): Entry => ({
  usage: [...listing.words, "list", ...listing.ids.map((id) => id.toUpperCase())].join(" "),
  description: `GET ${listing.path}`
})

const build = (
  name: string,
  node: Group,
  path: ReadonlyArray<string>
): { readonly command: AnyCommand; readonly entries: ReadonlyArray<Entry> } => {
  const subcommands: Array<AnyCommand> = []
  const entries: Array<Entry> = []
  if (node.listing !== undefined) {
    subcommands.push(listCommand(node.listing))
    entries.push(listingEntry(node.listing))
  }
  for (const [word, child] of [...node.children].sort(([a], [b]) => a.localeCompare(b))) {
    const built = build(word, child, [...path, word])
    subcommands.push(built.command)
    entries.push(...built.entries)
  }
  const what = path.join(" ")
  return {
    command: group(name, path, subcommands, entries, `Commands on ${what}.`),
    entries
  }
}

const reportEntries: ReadonlyArray<Entry> = [
  { usage: "access-report", description: "who has access to what: one row per (user, project, role)" },
  { usage: "stale-keys [PROJECT_ID]", description: "users and service accounts without key use for --days days" }
]

/** The root command, from the library's surface. */
export const root = (listings: ReadonlyArray<Listing> = discover()): AnyCommand => {
  const tree = trie(listings)
  const built = [...tree.children].sort(([a], [b]) => a.localeCompare(b)).map(([word, child]) =>
    build(word, child, [word])
  )
  return group(
    "openai-admin",
    [],
    [...built.map((b) => b.command), accessReport, staleKeys],
    [...built.flatMap((b) => b.entries), ...reportEntries],
    "Answers for OpenAI organization admins: list anything the Admin API lists, as a table, JSON, NDJSON or CSV."
  )
}

/** Parses the arguments (`process.argv` shape) and runs the command. */
export const run = (argv: ReadonlyArray<string>) =>
  Command.run(root(), {
    name: "openai-admin",
    version,
    executable: "openai-admin"
  })(["node", "openai-admin", ...argv.slice(2)])
