import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { checkDeps } from '../api/check'
import { createBench, type Bench } from '../core/bench'
import { renderHtmlReport, runChecks, type CheckResult } from '../core/check'
import { printable, printableJson } from '../core/printable'
import { startSimulator, type SimFleet } from '../core/sim'
import type { Command } from './command'

const OPTIONS = {
  sim: { type: 'string' },
  json: { type: 'boolean' },
  html: { type: 'string' },
  'cwmp-port': { type: 'string' },
  bind: { type: 'string' },
  data: { type: 'string' },
  wait: { type: 'string' },
  'inform-timeout': { type: 'string' },
  'factory-reset': { type: 'boolean' },
  'probe-partial-paths': { type: 'boolean' },
} as const

const USAGE = [
  'Usage: bench-acs check SERIAL [--json] [--html FILE] [--cwmp-port N] [--data DIR] …',
  '       bench-acs check --sim tr098|tr181 …',
  '',
  'Runs the CPE check (docs/check.md) against one device: starts an ACS as `bench-acs run` does,',
  'waits for the CPE to inform it (point its ACS URL here, or let it be woken if --data knows it),',
  'then runs each check and prints pass / fail / not supported with the reason. Not destructive',
  'unless --factory-reset. Exit code 0 when nothing failed, 1 when a check failed, 2 when the check',
  'could not run (bad options, port in use, the device never came).',
  '',
  '  --sim MODEL            check a simulated CPE of that model instead (tr098, tr181)',
  '  --json                 print the report as JSON on stdout',
  '  --html FILE            write the report, with the SOAP of each check, as an HTML page',
  '  --cwmp-port N          port the ACS listens on (default 7547; 0 picks a free one)',
  '  --bind ADDR            address it listens on (default 0.0.0.0)',
  "  --data DIR             the bench's data folder (default: a temporary one, deleted at exit)",
  '  --wait S               how long to wait for a reboot or a TransferComplete (default 120)',
  '  --inform-timeout S     how long to wait for the CPE to inform (default 300)',
  '  --factory-reset        also check FactoryReset (erases the CPE’s configuration)',
  '  --probe-partial-paths  send a partial path also to a CPE that may crash on it',
].join('\n')

const MARK = { pass: 'PASS', fail: 'FAIL', 'not-supported': 'N/S ', 'not-observed': 'N/O ' } as const

function seconds(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback
  if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number of seconds, got "${text}"`)
  return Number(text)
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'Run the CPE check (TR-069 conformance basics) against one device',
  usage: USAGE,
  async run(argv) {
    let values, positionals: string[]
    let port: number, waitS: number, informS: number
    try {
      ;({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true }))
      port = seconds(values['cwmp-port'], 'cwmp-port', 7547)
      waitS = seconds(values.wait, 'wait', 120)
      informS = seconds(values['inform-timeout'], 'inform-timeout', 300)
      if (!values.sim && positionals.length !== 1) throw new Error('Name one SERIAL, or --sim MODEL.')
    } catch (error) {
      console.error(`${(error as Error).message}\n\n${USAGE}`)
      return 2
    }
    const note = (line: string) => process.stderr.write(`${line}\n`)
    const temporary = values.data === undefined
    const dataDir = values.data ?? mkdtempSync(join(tmpdir(), 'bench-acs-check-'))
    let bench: Bench | undefined
    let fleet: SimFleet | undefined
    try {
      bench = await createBench(
        { dataDir, cwmp: { port, ...(values.bind ? { bind: values.bind } : {}) } },
        { log: (level, message) => level !== 'info' && note(`${level}: ${message}`), scripts: { triggers: false } },
      )
      const b = bench
      let address
      try {
        address = await b.acs.listen()
      } catch (error) {
        note(`cannot start the ACS: ${(error as Error).message}`)
        return 2
      }
      note(`ACS listening on ${address.urls.join(', ')}`)
      let serial = positionals[0] ?? ''
      // Its first session (with discovery of a new device) is over before the checks start.
      const ready = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), informS * 1000)
        const off = b.events.on('session.ended', (s) => {
          if (serial && s.serial !== serial) return
          off()
          clearTimeout(timer)
          resolve(true)
        })
      })
      if (values.sim) {
        const cr = b.config.connectionRequest
        fleet = await startSimulator({
          acsUrl: `http://127.0.0.1:${address.port}/`,
          count: 1,
          model: values.sim,
          serialPrefix: 'CHECK',
          periodicInformInterval: 0,
          connectionRequestUsername: cr.username,
          connectionRequestPassword: cr.password,
        })
        serial = fleet.cpes[0]!.serial
      } else if (b.store.devices.get(serial)) {
        // Known from --data: wake it rather than wait for its periodic Inform.
        b.acs.wake(serial).catch((e: Error) => note(`connection request: ${e.message}; waiting for it to inform`))
      }
      note(`waiting for ${serial} to inform ${address.url}…`)
      if (!(await ready)) {
        note(`${serial} did not inform within ${informS} s: check its ACS URL is ${address.url}`)
        return 2
      }
      const simulated = fleet?.cpes[0]
      const deps = { ...checkDeps(b), simulated: (s: string) => (s === simulated?.serial ? simulated : undefined) }
      const report = await runChecks(deps, serial, {
        waitMs: waitS * 1000,
        factoryReset: values['factory-reset'] === true,
        probePartialPaths: values['probe-partial-paths'] === true,
        onResult: (r: CheckResult) => note(`${MARK[r.outcome]}  ${r.title}: ${printable(r.detail)}`),
      })
      if (values.html) {
        writeFileSync(values.html, renderHtmlReport(report))
        note(`report written to ${values.html}`)
      }
      if (values.json) console.log(printableJson(report))
      else
        console.log(
          `${serial}: ${report.counts.pass} passed, ${report.counts.fail} failed, ${report.counts['not-supported']} not supported` +
            (report.counts['not-observed'] ? `, ${report.counts['not-observed']} not observed` : ''),
        )
      return report.counts.fail > 0 ? 1 : 0
    } finally {
      await fleet?.stop()
      await bench?.close()
      if (temporary) rmSync(dataDir, { recursive: true, force: true })
    }
  },
}
