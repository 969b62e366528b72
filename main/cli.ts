// The `bench-acs` command line: the same core as the app, one subcommand per file under main/cli/.
import { runCli } from './cli/index'

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error))
    process.exitCode = 1
  },
)
