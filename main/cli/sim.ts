import { parseArgs } from 'node:util'
import { CWMP_VERSIONS, type CwmpVersion } from '../core/cwmp/namespaces'
import { printable } from '../core/printable'
import {
  checkFaults,
  describeFaults,
  FaultInputError,
  loadModel,
  startSimulator,
  type CpeFaults,
  type SimFleet,
  type SimOptions,
} from '../core/sim'
import type { Command } from './command'
import { acceptSimInput, SIM_INPUT_USAGE } from './sim-input'

const OPTIONS = {
  acs: { type: 'string' },
  count: { type: 'string' },
  model: { type: 'string' },
  'serial-prefix': { type: 'string' },
  'first-index': { type: 'string' },
  interval: { type: 'string' },
  'cwmp-version': { type: 'string' },
  'cr-bind': { type: 'string' },
  'cr-username': { type: 'string' },
  'cr-password': { type: 'string' },
  'acs-username': { type: 'string' },
  'acs-password': { type: 'string' },
  quiet: { type: 'boolean' },
  refuse: { type: 'string', multiple: true },
  'answer-delay': { type: 'string' },
} as const

const USAGE = [
  'Usage: bench-acs sim --acs URL [--count N] [--model tr098|tr181|FILE] [--serial-prefix P] [--interval S]',
  '',
  'Runs simulated CPEs against an ACS until Ctrl+C: each informs (0 BOOTSTRAP, 1 BOOT, 2 PERIODIC …),',
  'answers the ACS from its own data model and listens for Digest-authenticated connection requests.',
  '',
  '  --acs URL             ACS URL the CPEs inform to, e.g. http://127.0.0.1:7547/',
  '  --count N             number of CPEs (default 1)',
  '  --model M             tr098 (default: a Huawei TR-098 router), tr181 (a TR-181 Device:2 router),',
  '                        or the path to a .csv (genieacs-sim format) or .json model (docs/simulator.md)',
  '  --serial-prefix P     serial numbers are P000001, P000002, … (default SIM)',
  '  --first-index N       number of the first CPE (default 1)',
  "  --interval S          seconds between periodic informs (default: the model's; 0 turns them off)",
  `  --cwmp-version V      ${CWMP_VERSIONS.join(', ')} (default cwmp-1-0)`,
  '  --cr-bind ADDR        address of the connection-request listeners (default 127.0.0.1;',
  '                        0.0.0.0 to be reachable from an ACS on another machine)',
  '  --cr-username U       connection-request username the CPEs require (default cr)',
  '  --cr-password P       connection-request password (default cr)',
  '  --acs-username U      username the CPEs give the ACS when asked (default: the serial)',
  '  --acs-password P      password the CPEs give the ACS (default empty)',
  '  --quiet               one line per session only, no line per RPC',
  '  --refuse M:CODE       fault injection: every CPE answers the RPC M with CWMP fault CODE',
  '                        (9000–9899), e.g. --refuse Reboot:9001; may be repeated',
  '  --answer-delay MS     fault injection: every CPE waits MS milliseconds before each answer',
  '                        (per-CPE faults and "offline": the Simulator page, docs/simulator.md)',
  '',
  ...SIM_INPUT_USAGE,
].join('\n')

class UsageError extends Error {}

function integer(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text) || Number(text) < min)
    throw new UsageError(`--${name} must be a whole number ≥ ${min}, got "${text}"`)
  return Number(text)
}

/** Parses the options into SimOptions; throws UsageError with what is wrong. */
export function simOptions(argv: string[]): SimOptions & { quiet: boolean; faults: CpeFaults } {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true })
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`)
  if (!values.acs)
    throw new UsageError('--acs URL is required (the ACS the CPEs inform to, e.g. http://127.0.0.1:7547/)')
  const version = values['cwmp-version']
  if (version !== undefined && !(CWMP_VERSIONS as readonly string[]).includes(version))
    throw new UsageError(`--cwmp-version must be one of ${CWMP_VERSIONS.join(', ')}`)
  return {
    acsUrl: values.acs,
    count: integer(values.count, 'count', 1) ?? 1,
    model: values.model ?? 'tr098',
    serialPrefix: values['serial-prefix'],
    firstIndex: integer(values['first-index'], 'first-index', 0),
    periodicInformInterval: integer(values.interval, 'interval', 0),
    cwmpVersion: version as CwmpVersion | undefined,
    connectionRequestBind: values['cr-bind'],
    connectionRequestUsername: values['cr-username'],
    connectionRequestPassword: values['cr-password'],
    acsUsername: values['acs-username'],
    acsPassword: values['acs-password'],
    quiet: values.quiet === true,
    faults: faultOptions(values.refuse ?? [], values['answer-delay']),
  }
}

/** --refuse Reboot:9001 … and --answer-delay 2000 as the faults every CPE gets. */
function faultOptions(refuse: string[], delay: string | undefined): CpeFaults {
  const rules = refuse.map((text) => {
    const m = /^([A-Za-z]+):(\d+)$/.exec(text)
    if (!m) throw new UsageError(`--refuse takes METHOD:CODE, e.g. Reboot:9001; got "${text}"`)
    return { method: m[1]!, faultCode: Number(m[2]) }
  })
  try {
    return checkFaults({ refuse: rules, answerDelayMs: integer(delay, 'answer-delay', 0) ?? 0 })
  } catch (e) {
    if (e instanceof FaultInputError) throw new UsageError(e.message)
    throw e
  }
}

const time = () => new Date().toTimeString().slice(0, 8)

/**
 * Starts the fleet and its console output. Unreachable-ACS failures are summarised (at most one
 * line every 5 s) rather than printed per CPE, so 500 CPEs retrying do not flood the terminal.
 */
export async function startSimCli(
  options: SimOptions & { quiet: boolean; faults?: CpeFaults },
  print: (line: string) => void,
): Promise<SimFleet> {
  const count = options.count ?? 1
  const model = loadModel(options.model ?? 'tr098')
  print(
    `Starting ${count} simulated CPE${count === 1 ? '' : 's'} (${model.roots.join(' + ')} model ${model.source}) against ${options.acsUrl}`,
  )
  // The CPEs do not report their connection-request password (it is write-only, as on real CPEs):
  // the ACS must be told it to wake them.
  print(
    `Connection requests need username "${options.connectionRequestUsername ?? 'cr'}", password "${options.connectionRequestPassword ?? 'cr'}": set the same in the ACS (Settings → Connection requests) so it can wake these CPEs.`,
  )
  const unreachable = new Map<string, string>()
  let lastSummary = 0
  const log = (line: string) => {
    const down = /^(\S+) session \[.*\] failed: (cannot reach the ACS.*)$/.exec(line)
    if (down) {
      unreachable.set(down[1]!, down[2]!)
      if (Date.now() - lastSummary >= 5_000) {
        lastSummary = Date.now()
        const n = unreachable.size
        print(
          `${time()}  ! ${n === 1 ? down[1] : `${n} CPEs`}: ${down[2]} — is the ACS running and the URL right? Retrying with back-off.`,
        )
      }
      return
    }
    if (/^\S+ retry \d+ in /.test(line) && unreachable.has(line.split(' ')[0]!)) return
    if (options.quiet && / {2}\w+ → /.test(line)) return
    print(`${time()}  ${line}`)
  }
  const started = Date.now()
  const fleet = await startSimulator({ ...options, log, waitForBootstrap: false })
  const faults = options.faults
  if (faults && (faults.refuse.length > 0 || faults.answerDelayMs > 0)) {
    for (const cpe of fleet.cpes) cpe.setFaults(faults)
    print(`Fault injection on every CPE: ${describeFaults(faults)}.`)
  }
  const bootstrapped = new Set<string>()
  fleet.on((e) => {
    const detail = e.detail as { ok?: boolean; events?: string[] } | undefined
    if (e.name !== 'session-end' || !detail?.ok) return
    if (unreachable.delete(e.serial) && unreachable.size === 0) print(`${time()}  The ACS is reachable again.`)
    if (detail.events?.includes('0 BOOTSTRAP') && !bootstrapped.has(e.serial)) {
      bootstrapped.add(e.serial)
      if (bootstrapped.size === count) {
        const first = fleet.cpes[0]!
        print(
          `${time()}  All ${count} CPE${count === 1 ? '' : 's'} bootstrapped in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
        )
        print(
          `Connection requests: ${first.connectionRequestUrl}${count > 1 ? ' (and one per CPE)' : ''}, Digest user "${options.connectionRequestUsername ?? 'cr'}". Press Ctrl+C to stop.`,
        )
        print(
          'Type "change [SERIAL] NAME VALUE" to change a value on a CPE as its user would ("help" lists the commands).',
        )
      }
    }
  })
  return fleet
}

export const simCommand: Command = {
  name: 'sim',
  summary: 'Run simulated CPEs against an ACS',
  usage: USAGE,
  async run(argv) {
    let fleet: SimFleet
    try {
      fleet = await startSimCli(simOptions(argv), (line) => console.log(printable(line)))
    } catch (error) {
      const e = error as NodeJS.ErrnoException
      if (error instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
        console.error(`${e.message}\n\n${USAGE}`)
        return 2
      }
      console.error(`Cannot start the simulator: ${e.message}`)
      return 1
    }
    const stopInput = acceptSimInput(process.stdin, fleet, (line) => console.log(printable(line)))
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'))
      process.once('SIGTERM', () => resolve('SIGTERM'))
    })
    console.log(`\n${signal}: stopping the simulated CPEs…`)
    stopInput()
    await fleet.stop()
    return 0
  },
}
