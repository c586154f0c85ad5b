// The value after `--name` on the command line, or `fallback`: the option parsing of the bench scripts.
export const arg = (name, fallback) => {
  const i = process.argv.indexOf("--" + name)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback
}
