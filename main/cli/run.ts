import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { createBench, type Bench } from '../core/bench'
import type { BenchConfig, DeepPartial } from '../core/config'
import { ScriptInputError, type RunRecord, type RunTarget } from '../core/scripts'
import { printable, printableJson } from '../core/printable'
import { startSimulator, type SimFleet } from '../core/sim'
import type { Command } from './command'
import { runProfileDryRun } from './run-profile'

const OPTIONS = {
  device: { type: 'string', multiple: true },
  all: { type: 'boolean' },
  sim: { type: 'string' },
  'sim-model': { type: 'string' },
  'sim-prefix': { type: 'string' },
  'sim-first': { type: 'string' },
  'cwmp-port': { type: 'string' },
  bind: { type: 'string' },
  data: { type: 'string' },
  timeout: { type: 'string' },
  env: { type: 'string' },
  json: { type: 'boolean' },
  profile: { type: 'string' },
  serial: { type: 'string' },
  'product-class': { type: 'string' },
} as const

const USAGE = [
  'Usage: bench-acs run SCRIPT.lua [--device SN]… [--all] [--sim N] [--cwmp-port N] [--data DIR]',
  '       bench-acs run --profile NAME|FILE [--serial SN | --product-class PC] [--json] [--data DIR]',
  '',
  'Runs a Lua script as the app does (same API, sandbox and limits) against an ACS started for the',
  "occasion, with simulated CPEs if asked; real CPEs may inform to it too. The script's output goes to",
  'stdout, its log lines and errors to stderr. Exit code 0 when the script ends normally, 1 when it',
  'fails or is stopped (error, limit, timeout), 2 when it could not run (bad options, port in use).',
  '',
  '  --device SN         the device the script is for (DEVICE in the script); repeat for several,',
  '                      which run at once, one run each',
  '  --all               run once for every known device (after the simulated ones have booted)',
  '  --sim N             start N simulated CPEs first and wait for their first Inform',
  '  --sim-model M       tr098 (default), tr181, or a model file (docs/simulator.md)',
  '  --sim-prefix P      serials of the simulated CPEs are P000001, P000002, … (default SIM)',
  '  --sim-first N       number of the first simulated CPE (default 1)',
  '  --cwmp-port N       port the ACS listens on (default 7547; 0 picks a free one)',
  '  --bind ADDR         address it listens on (default 0.0.0.0, so CPEs on the LAN reach it)',
  '  --data DIR          keep devices, runs and events in DIR (default: a temporary folder,',
  "                      deleted at exit); pass the app's folder to use the devices it knows",
  '  --timeout S         stop the script after S seconds (default: no limit)',
  "  --env NAME          the environment the script reads as env (with --data: one of the app's;",
  '                      default: its default environment, if any); secrets print as ••••',
  '  --json              print the run record(s) as JSON on stdout at the end',
  '',
  "With --profile, a dry run of a provisioning profile (a saved one of --data, default the app's",
  'folder, or a profile file): one temporary simulated CPE of the same model as device SN (its',
  'manufacturer, OUI, product class, versions and stored values), or of product class PC, or by',
  "default of the profile's match, gets the profile's steps through an ACS of its own, and each step",
  'prints WOULD APPLY, HELD, WOULD FAIL (with the reason) or NOT REACHED. The device itself is not',
  'contacted and nothing is stored. Exit code 0 when no step would fail, 1 when one would, 2 when the',
  'dry run could not run (unknown profile or device, a profile that does not match it).',
].join('\n')

class UsageError extends Error {}

function integer(
  text: string | undefined,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`)
  return Number(text)
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a Lua script against an in-process ACS (and simulated CPEs), or dry-run a profile',
  usage: USAGE,
  async run(argv) {
    let parsed
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true })
    } catch (error) {
      console.error(`${(error as Error).message}\n\n${USAGE}`)
      return 2
    }
    const { values, positionals } = parsed
    if (values.profile !== undefined || values.serial !== undefined || values['product-class'] !== undefined) {
      if (values.profile === undefined || positionals.length > 0) {
        console.error(`--serial and --product-class go with --profile, without a script\n\n${USAGE}`)
        return 2
      }
      return runProfileDryRun({
        profile: values.profile,
        ...(values.serial !== undefined ? { serial: values.serial } : {}),
        ...(values['product-class'] !== undefined ? { productClass: values['product-class'] } : {}),
        ...(values.data !== undefined ? { data: values.data } : {}),
        json: values.json === true,
      })
    }
    let file: string
    let source: string
    let simCount: number | undefined
    let timeoutS: number | undefined
    let port: number
    let first: number | undefined
    try {
      if (positionals.length !== 1) throw new UsageError('give exactly one script file')
      file = positionals[0]!
      try {
        source = readFileSync(file, 'utf8')
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as Error).message}`)
      }
      simCount = integer(values.sim, 'sim', 1, 10_000)
      timeoutS = integer(values.timeout, 'timeout', 1, 30 * 86_400)
      port = integer(values['cwmp-port'], 'cwmp-port', 0, 65_535) ?? 7547
      first = integer(values['sim-first'], 'sim-first', 0)
      if (values.all && values.device?.length) throw new UsageError('use --device or --all, not both')
    } catch (error) {
      if (!(error instanceof UsageError)) throw error
      console.error(`${error.message}\n\n${USAGE}`)
      return 2
    }

    const temporary = values.data === undefined
    const dataDir = values.data ?? mkdtempSync(join(tmpdir(), 'bench-acs-run-'))
    const overrides: DeepPartial<BenchConfig> = {
      dataDir,
      cwmp: { port, ...(values.bind ? { bind: values.bind } : {}) },
    }
    let bench: Bench | undefined
    let fleet: SimFleet | undefined
    // Script output and errors carry what CPEs sent: each line escaped (see core/printable.ts).
    const note = (text: string) => {
      for (const line of text.split('\n')) process.stderr.write(`${printable(line)}\n`)
    }
    const stop = new AbortController()
    const onSignal = () => stop.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    // The reader went away (`bench-acs run x.lua | head -1`): stop as on Ctrl+C, and clean up,
    // rather than die on the unhandled EPIPE and leave the temporary data folder behind.
    const onPipeError = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error
      stop.abort()
    }
    process.stdout.on('error', onPipeError)
    process.stderr.on('error', onPipeError)
    try {
      bench = await createBench(overrides, {
        log: (level, message) => level !== 'info' && note(`${level}: ${message}`),
        // One script: the library's triggers are the app's business, not this run's.
        scripts: { seedExamples: false, triggers: false },
      })
      let address
      try {
        address = await bench.acs.listen()
      } catch (error) {
        note(`cannot start the ACS: ${(error as Error).message}`)
        return 2
      }
      note(`ACS listening on ${address.urls.join(', ')}${temporary ? ` (data in ${dataDir}, deleted at exit)` : ''}`)

      if (simCount) {
        // The ACS wakes the simulated CPEs with the credentials it knows; give them the same.
        const cr = bench.config.connectionRequest
        if (!cr.username) Object.assign(cr, { username: 'bench-sim', password: 'bench-sim' })
        const acsUrl = `http://127.0.0.1:${address.port}/`
        note(`starting ${simCount} simulated CPE(s)…`)
        fleet = await startSimulator({
          acsUrl: address.tls ? acsUrl.replace('http:', 'https:') : acsUrl,
          count: simCount,
          model: values['sim-model'] ?? 'tr098',
          ...(values['sim-prefix'] ? { serialPrefix: values['sim-prefix'] } : {}),
          ...(first !== undefined ? { firstIndex: first } : {}),
          periodicInformInterval: 0,
          connectionRequestUsername: cr.username,
          connectionRequestPassword: cr.password,
          ...(bench.config.cwmp.auth.mode !== 'none'
            ? { acsUsername: bench.config.cwmp.auth.username, acsPassword: bench.config.cwmp.auth.password }
            : {}),
          signal: stop.signal,
        })
        note(`simulated CPEs up: ${fleet.cpes.map((c) => c.serial).join(', ')}`)
      }

      const target: RunTarget = values.all
        ? { kind: 'all' }
        : values.device?.length
          ? { kind: 'devices', serials: values.device }
          : { kind: 'none' }
      // A real CPE named with --device may not have informed this (new) ACS yet: wait for it.
      const missing = new Set(
        target.kind === 'devices' ? target.serials.filter((sn) => !bench!.store.devices.get(sn)) : [],
      )
      if (missing.size > 0) {
        note(`waiting for ${[...missing].join(', ')} to inform ${address.url} (Ctrl+C to give up)…`)
        const arrived = await new Promise<boolean>((resolve) => {
          let timer: NodeJS.Timeout | undefined
          const finish = (ok: boolean) => {
            off()
            clearTimeout(timer)
            stop.signal.removeEventListener('abort', onAbort)
            resolve(ok)
          }
          const onAbort = () => finish(false)
          const off = bench!.events.on('device.informed', ({ device }) => {
            missing.delete(device.serial)
            if (missing.size === 0) finish(true)
          })
          if (timeoutS) timer = setTimeout(() => finish(false), timeoutS * 1000)
          stop.signal.addEventListener('abort', onAbort, { once: true })
        })
        if (!arrived) {
          note(`gave up waiting for ${[...missing].join(', ')}`)
          return 1
        }
      }
      const scripts = bench.scripts
      const ids = new Set<string>()
      // Lines are tagged with their device only when several runs print at once.
      let many = false
      bench.events.on('run.output', ({ runId, lines }) => {
        if (!ids.has(runId)) return
        const device = many ? `[${scripts.getRun(runId)?.targets[0] ?? ''}] ` : ''
        for (const l of lines) {
          if (l.stream === 'stdout') process.stdout.write(`${printable(`${device}${l.text}`)}\n`)
          else if (l.stream === 'log')
            process.stderr.write(`${printable(`${device}[${l.level ?? 'info'}] ${l.text}`)}\n`)
        }
      })
      let runs: RunRecord[]
      try {
        runs = scripts.runSource({
          name: basename(file),
          source,
          target,
          trigger: { kind: 'cli' },
          ...(timeoutS ? { limits: { wallMs: timeoutS * 1000 } } : {}),
          ...(values.env !== undefined ? { env: values.env } : {}),
        })
      } catch (error) {
        if (!(error instanceof ScriptInputError)) throw error
        note(`cannot run ${file}: ${error.message}`)
        return 2
      }
      for (const r of runs) ids.add(r.id)
      many = runs.length > 1
      stop.signal.addEventListener('abort', () => runs.forEach((r) => scripts.stop(r.id)), { once: true })
      const done = await Promise.all(runs.map((r) => scripts.wait(r.id)))
      for (const r of done) {
        if (r.status === 'ok' || !r.error) continue
        const where = many ? `${r.targets[0]}: ` : ''
        note(printable(`${where}${r.status === 'error' ? 'error' : r.status}: ${r.error.message}`))
        if (r.error.traceback) note(r.error.traceback)
      }
      if (values.json) process.stdout.write(`${printableJson(many ? done : done[0])}\n`)
      return done.every((r) => r.status === 'ok') ? 0 : 1
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      // The pipe handlers stay: a write still buffered may fail after this.
      await fleet?.stop()
      await bench?.close()
      if (temporary) rmSync(dataDir, { recursive: true, force: true })
    }
  },
}
