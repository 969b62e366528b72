/** One `bench-acs` subcommand; main/cli/index.ts lists them. */
export interface Command {
  name: string
  summary: string
  usage: string
  run(argv: string[]): Promise<number>
}
