// The `bench-acs` command line: the same core as the app, one subcommand per file under main/cli/.
import { runCli } from './cli/index'
import { errorMessage } from './core/errors'

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(errorMessage(error))
    process.exitCode = 1
  },
)
