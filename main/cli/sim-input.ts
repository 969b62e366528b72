import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import type { SimFleet } from '../core/sim'

/** What `bench-acs sim` accepts on its standard input while it runs (also in its usage). */
export const SIM_INPUT_USAGE = [
  'While it runs, type on its standard input (one command a line):',
  '  change [SERIAL] NAME VALUE   the CPE changes NAME to VALUE as its user would (the serial may be',
  '                               left out with one CPE); with Notification 2 it informs',
  '                               "4 VALUE CHANGE" at once, with 1 at its next session',
  '  help                         this list',
]

/**
 * Reads commands from the technician's terminal (or a pipe) while the fleet runs, and answers each
 * on `print`. The end of the input ends nothing: the fleet runs until Ctrl+C.
 */
export function acceptSimInput(input: Readable, fleet: SimFleet, print: (line: string) => void): () => void {
  const lines = createInterface({ input, terminal: false })
  lines.on('line', (line) => {
    const text = line.trim()
    if (!text) return
    for (const out of simCommand(text, fleet)) print(out)
  })
  // A closed or absent standard input (a service, `< /dev/null`) is not an error.
  input.on('error', () => lines.close())
  return () => {
    lines.close()
    input.destroy()
  }
}

/** Runs one typed command; returns the lines to print. */
export function simCommand(text: string, fleet: SimFleet): string[] {
  const [verb = ''] = text.split(/\s+/, 1)
  if (verb === 'help' || verb === '?') return SIM_INPUT_USAGE
  if (verb !== 'change') return [`Unknown command "${verb}": type "help" for the list.`]
  // change [SERIAL] NAME VALUE: the value is the rest of the line, spaces included.
  const m = /^change\s+(\S+)(?:\s+(\S+))?(?:\s(.*))?$/.exec(text)
  if (!m) return ['Usage: change [SERIAL] NAME VALUE']
  const [, first, second, rest] = m
  const bySerial = fleet.cpes.find((c) => c.serial === first)
  let cpe = bySerial
  let name: string | undefined
  let value: string
  if (bySerial) {
    name = second
    value = rest ?? ''
  } else if (fleet.cpes.length === 1) {
    cpe = fleet.cpes[0]
    name = first
    value = [second, rest].filter((v) => v !== undefined).join(' ')
  } else {
    return [
      `No simulated CPE has the serial "${first}": with ${fleet.cpes.length} CPEs, say which one, e.g. change ${fleet.cpes[0]?.serial ?? 'SERIAL'} NAME VALUE`,
    ]
  }
  if (!cpe || !name) return ['Usage: change [SERIAL] NAME VALUE']
  try {
    const { notification } = cpe.changeLocally(name, value)
    const what =
      notification === 2
        ? 'active notification: it informs "4 VALUE CHANGE" now'
        : notification === 1
          ? 'passive notification: its next session reports it'
          : 'notification off: the ACS sees it only when it reads the value'
    return [`${cpe.serial} ${name} = "${value}" changed on the CPE (${what})`]
  } catch (error) {
    return [`${cpe.serial}: cannot change ${name}: ${(error as Error).message}`]
  }
}
