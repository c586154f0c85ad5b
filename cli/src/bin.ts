#!/usr/bin/env node
/**
 * `openai-admin`: runs the command, prints one line for a failure (never a stack trace, never the key) and
 * exits with the code of the failure's class.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import { run } from "./Cli.js"
import { describeCause, ExitCode, scrub } from "./Errors.js"

/** Log lines (only with `--log-level`) go to stderr, scrubbed, never to stdout. */
const stderrLogger = Logger.map(Logger.logfmtLogger, (line) => {
  process.stderr.write(`${scrub(line)}\n`)
})

const main: Effect.Effect<number> = Effect.suspend(() => run(process.argv) as Effect.Effect<void, unknown, never>).pipe(
  // What @effect/cli needs (help, wizard, completions), without the rest of NodeContext.
  Effect.provide(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer)),
  Effect.provide(Logger.replace(Logger.defaultLogger, stderrLogger)),
  Effect.matchCause({
    onSuccess: () => ExitCode.ok,
    onFailure: (cause) => {
      const { code, line } = describeCause(cause)
      if (line !== undefined) process.stderr.write(`error: ${line}\n`)
      return code
    }
  })
)

NodeRuntime.runMain(main, {
  disableErrorReporting: true,
  disablePrettyLogger: true,
  teardown: (exit, onExit) => {
    const code = Exit.isSuccess(exit) && typeof exit.value === "number" ? exit.value : ExitCode.interrupted
    process.exitCode = code
    // Exit once everything written so far has been handed to the OS.
    process.stdout.write("", () => process.stderr.write("", () => onExit(code)))
  }
})
