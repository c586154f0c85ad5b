/**
 * Output: rows are written page by page as they arrive, in one of four formats. Nothing is kept beyond the
 * page being written (the table keeps only its column widths, taken from the first page).
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

export type Format = "table" | "json" | "ndjson" | "csv"

export const formats: ReadonlyArray<Format> = ["table", "json", "ndjson", "csv"]

/**
 * A column: its name, where its value is (`path`; without one, the name is a key or a dot path such as
 * `owner.name`), and whether it holds unix seconds.
 */
export interface Column {
  readonly name: string
  readonly path?: ReadonlyArray<string> | undefined
  readonly time: boolean
}

/**
 * Which columns a table or CSV shows: the given ones, or the required `candidates` and the optional ones that
 * have a value in at least one row of the first page.
 */
export interface ColumnSpec {
  readonly candidates: ReadonlyArray<Column & { readonly optional: boolean }>
  readonly explicit: ReadonlyArray<string> | undefined
}

/** The table's widest column, before fitting to the terminal. */
export const maxColumnWidth = 48

const ellipsis = "…"

// ---------------------------------------------------------------------------------------------
// stdout with backpressure
// ---------------------------------------------------------------------------------------------

/** Hooks run before each write to stdout (the progress line clears itself when both share a terminal). */
export const beforeWrite: Array<() => void> = []

let installed = false

/** Writes to stdout and waits for `drain` when the pipe is full, so memory stays flat. */
export const write = (text: string): Effect.Effect<void> =>
  text === "" ? Effect.void : Effect.async<void>((resume) => {
    if (!installed) {
      installed = true
      // `openai-admin users list | head`: the reader went away, which is not an error.
      process.stdout.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "EPIPE") process.exit(process.exitCode ?? 0)
      })
    }
    for (const hook of beforeWrite) hook()
    if (process.stdout.write(text)) resume(Effect.void)
    else process.stdout.once("drain", () => resume(Effect.void))
  })

// ---------------------------------------------------------------------------------------------
// cells
// ---------------------------------------------------------------------------------------------

const get = (row: unknown, column: Column): unknown => {
  if (typeof row !== "object" || row === null) return undefined
  const record = row as Record<string, unknown>
  if (column.path === undefined && column.name in record) return record[column.name]
  let value: unknown = row
  for (const key of column.path ?? column.name.split(".")) {
    if (typeof value !== "object" || value === null) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

const pad2 = (n: number) => String(n).padStart(2, "0")

/** `2024-01-01 09:30` (UTC). */
export const tableTime = (seconds: number): string => {
  const d = new Date(seconds * 1000)
  if (Number.isNaN(d.getTime())) return String(seconds)
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${
    pad2(d.getUTCMinutes())
  }`
}

/** `2024-01-01T09:30:00Z`. */
export const isoTime = (seconds: number): string => {
  const d = new Date(seconds * 1000)
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString().replace(/\.000Z$/, "Z")
}

const cellText = (value: unknown, column: Column, time: (seconds: number) => string): string => {
  if (value === null || value === undefined) return ""
  if (column.time && typeof value === "number") return time(value)
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value)
  return JSON.stringify(value)
}

const tableCell = (value: unknown, column: Column): string =>
  cellText(value, column, tableTime).replace(/[\r\n\t]+/g, " ").replace(/[\u0000-\u001f\u007f]/g, "")

const csvCell = (value: unknown, column: Column): string => {
  let text = cellText(value, column, isoTime)
  // A cell a spreadsheet would run as a formula is prefixed with a quote.
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, "\"\"")}"` : text
}

const displayWidth = (s: string): number => {
  let n = 0
  for (const _ of s) n++
  return n
}

const fit = (s: string, width: number): string => {
  const chars = [...s]
  if (chars.length <= width) return s + " ".repeat(width - chars.length)
  return width <= 1 ? ellipsis.slice(0, width) : chars.slice(0, width - 1).join("") + ellipsis
}

const chooseColumns = (spec: ColumnSpec, firstPage: ReadonlyArray<unknown>): ReadonlyArray<Column> => {
  if (spec.explicit !== undefined) {
    return spec.explicit.map((name) => {
      const known = spec.candidates.find((c) => c.name === name)
      return { name, path: known?.path, time: known?.time ?? false }
    })
  }
  const present = firstPage.length === 0
    ? spec.candidates.filter((c) => !c.optional)
    : spec.candidates.filter((c) =>
      !c.optional || firstPage.some((row) => get(row, c) !== null && get(row, c) !== undefined)
    )
  return present.map(({ name, path, time }) => ({ name, path, time }))
}

// ---------------------------------------------------------------------------------------------
// formatters
// ---------------------------------------------------------------------------------------------

/** A stateful formatter: the text for each page, then the text that ends the output. */
interface Formatter {
  /** `sample` lazily gives the page's rows before any client-side filter, for the table's widths. */
  readonly page: (rows: ReadonlyArray<unknown>, sample: () => ReadonlyArray<unknown>) => string
  readonly end: () => string
}

const ndjson = (): Formatter => ({
  page: (rows) => rows.map((row) => `${JSON.stringify(row)}\n`).join(""),
  end: () => ""
})

const json = (): Formatter => {
  let count = 0
  return {
    page: (rows) => {
      let out = ""
      for (const row of rows) {
        out += `${count === 0 ? "[\n" : ",\n"}  ${JSON.stringify(row)}`
        count++
      }
      return out
    },
    end: () => count === 0 ? "[]\n" : "\n]\n"
  }
}

const csv = (spec: ColumnSpec): Formatter => {
  let columns: ReadonlyArray<Column> | undefined
  const header = (cols: ReadonlyArray<Column>) => `${cols.map((c) => csvCell(c.name, { name: c.name, time: false })).join(",")}\r\n`
  return {
    page: (rows) => {
      if (rows.length === 0) return ""
      let out = ""
      if (columns === undefined) {
        columns = chooseColumns(spec, rows)
        out += header(columns)
      }
      const cols = columns
      for (const row of rows) out += `${cols.map((c) => csvCell(get(row, c), c)).join(",")}\r\n`
      return out
    },
    end: () => columns === undefined ? header(chooseColumns(spec, [])) : ""
  }
}

interface TableLayout {
  readonly columns: ReadonlyArray<Column>
  readonly widths: ReadonlyArray<number>
}

const layout = (spec: ColumnSpec, firstPage: ReadonlyArray<unknown>, terminalWidth: number | undefined): TableLayout => {
  const columns = chooseColumns(spec, firstPage)
  const widths = columns.map((c) => {
    let w = displayWidth(c.name)
    for (const row of firstPage) w = Math.max(w, displayWidth(tableCell(get(row, c), c)))
    return Math.min(w, Math.max(maxColumnWidth, displayWidth(c.name)))
  })
  if (terminalWidth !== undefined && columns.length > 0) {
    // Shrink the widest column, one character at a time, until the table fits: first down to 16 characters
    // (a date and time), then down to 6.
    const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1)
    for (const floor of [16, 6]) {
      while (total() > terminalWidth) {
        let widest = 0
        for (let i = 1; i < widths.length; i++) if (widths[i]! > widths[widest]!) widest = i
        if (widths[widest]! <= floor) break
        widths[widest] = widths[widest]! - 1
      }
    }
  }
  return { columns, widths }
}

const tableLine = (cells: ReadonlyArray<string>, widths: ReadonlyArray<number>): string =>
  `${cells.map((cell, i) => fit(cell, widths[i]!)).join("  ").trimEnd()}\n`

const table = (spec: ColumnSpec, terminalWidth: number | undefined): Formatter => {
  let current: TableLayout | undefined
  const header = (l: TableLayout) => tableLine(l.columns.map((c) => c.name.toUpperCase()), l.widths)
  return {
    page: (rows, sample) => {
      if (rows.length === 0) return ""
      let out = ""
      if (current === undefined) {
        const all = sample()
        current = layout(spec, all.length > rows.length ? all : rows, terminalWidth)
        out += header(current)
      }
      const l = current
      for (const row of rows) out += tableLine(l.columns.map((c) => tableCell(get(row, c), c)), l.widths)
      return out
    },
    end: () => current === undefined ? header(layout(spec, [], terminalWidth)) : ""
  }
}

/** The format when none is given: a table on a terminal, NDJSON otherwise. */
export const defaultFormat = (): Format => process.stdout.isTTY ? "table" : "ndjson"

/**
 * Writes a stream of pages (each an array of rows) in the given format, page by page. The table is fitted to
 * the terminal only when stdout is one, so its output is the same for every run otherwise.
 */
export const render = <E, R>(
  format: Format,
  spec: ColumnSpec,
  pages: Stream.Stream<ReadonlyArray<unknown>, E, R>,
  options: {
    /** How items become table or CSV rows (a bucket: one row per result). */
    readonly toRows?: ((items: ReadonlyArray<unknown>) => ReadonlyArray<unknown>) | undefined
    /** A client-side filter; the table's widths still come from the whole first page. */
    readonly keep?: ((item: unknown) => boolean) | undefined
  } = {}
): Effect.Effect<void, E, R> => {
  const formatter = format === "json"
    ? json()
    : format === "ndjson"
    ? ndjson()
    : format === "csv"
    ? csv(spec)
    : table(spec, process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : undefined)
  const tabular = format === "table" || format === "csv"
  const rowsOf = (items: ReadonlyArray<unknown>) =>
    tabular && options.toRows !== undefined ? options.toRows(items) : items
  const keep = options.keep
  return Stream.runForEach(pages, (items) =>
    write(formatter.page(rowsOf(keep === undefined ? items : items.filter(keep)), () => rowsOf(items)))).pipe(
      Effect.zipRight(Effect.suspend(() => write(formatter.end())))
    )
}
