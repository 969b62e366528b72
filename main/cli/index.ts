import { checkCommand } from './check'
import { devicesCommand } from './devices'
import { filesCommand } from './files'
import { profilesCommand } from './profiles'
import { runCommand } from './run'
import { addServeExtension, serveCommand } from './serve'
import { uiServeExtension } from './serve-ui'
import { syncServeExtension } from './serve-sync'
import { simCommand } from './sim'
import { syncCommand } from './sync'
import type { Command } from './command'

export type { Command } from './command'

const COMMANDS: Command[] = [
  serveCommand,
  devicesCommand,
  filesCommand,
  profilesCommand,
  simCommand,
  runCommand,
  checkCommand,
  syncCommand,
]

// `serve` runs the UI server beside the ACS (main/cli/serve-ui.ts).
addServeExtension(uiServeExtension)
// `serve --nats URL --mongo URL` syncs while it runs (main/cli/serve-sync.ts).
addServeExtension(syncServeExtension)

export function usage(): string {
  return [
    'Usage: bench-acs <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'Run `bench-acs <command> --help` for the options of one command.',
  ].join('\n')
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage())
    return name ? 0 : 1
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage()}`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage)
    return 0
  }
  return command.run(rest)
}
