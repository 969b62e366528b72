import { parseArgs, type ParseArgsConfig } from 'node:util'
import { ListenError } from '../core/acs'
import { createBench, type Bench } from '../core/bench'
import { defaultDataDir, type BenchConfig, type DeepPartial } from '../core/config'
import type { Command } from './command'
import { printable } from '../core/printable'
import { LineBuffer, logSessions } from './session-lines'

/**
 * Something else `bench-acs serve` runs next to the ACS (the UI server, …): its own options and
 * usage lines, and a start function that may return its stop function.
 */
export interface ServeExtension {
  name: string
  options?: NonNullable<ParseArgsConfig['options']>
  usage?: string[]
  start(ctx: ServeContext): Promise<(() => Promise<void>) | void>
}

export interface ServeContext {
  bench: Bench
  /** Every parsed option, including the extension's own. */
  values: Record<string, string | boolean | undefined>
  print(line: string): void
}

const extensions: ServeExtension[] = []

/** Registers an extension; call it at module load, before runCli. */
export function addServeExtension(extension: ServeExtension): void {
  if (!extensions.some((e) => e.name === extension.name)) extensions.push(extension)
}

const OPTIONS = {
  'cwmp-port': { type: 'string' },
  bind: { type: 'string' },
  data: { type: 'string' },
  'keep-days': { type: 'string' },
  'max-db-mb': { type: 'string' },
  vacuum: { type: 'boolean' },
} as const

export const EXIT_PORT_IN_USE = 3
export const EXIT_NEEDS_PRIVILEGES = 4

function usage(): string {
  return [
    'Usage: bench-acs serve [--cwmp-port N] [--bind ADDR] [--data DIR]',
    '',
    'Runs the ACS until Ctrl+C (SIGINT) or SIGTERM, printing one line per CWMP session (a summary',
    'line every 5 s while more than 20 sessions a second come; problems keep a line each).',
    '',
    '  --cwmp-port N  CWMP port CPEs connect to (default 7547)',
    '  --bind ADDR    address to listen on (default 0.0.0.0: every interface, as CPEs on the bench LAN need)',
    `  --data DIR     data folder (default: ${defaultDataDir()})`,
    '  --keep-days N  days of events, finished runs and file fetches kept (retention.*Days; default 30, 0: no age limit)',
    '  --max-db-mb N  cap on the database, MiB: the oldest history goes first (retention.maxMb; default 2048, 0: none)',
    '  --vacuum       switch an older, large database to incremental vacuum now (one VACUUM before listening)',
    ...extensions.flatMap((e) => e.usage ?? []),
    '',
    `Exit status: 0 after a clean stop, ${EXIT_PORT_IN_USE} when the port is taken, ${EXIT_NEEDS_PRIVILEGES} when the port needs privileges, 2 on bad options.`,
  ].join('\n')
}

export interface RunningServe {
  bench: Bench
  /** A line of output, in order with the session lines. */
  print(line: string): void
  /** Stops everything, then writes every line still waiting. */
  stop(): Promise<void>
}

/**
 * Builds the core, starts the ACS (and the extensions), and prints where CPEs should point. Lines go
 * to `out`, or else to stdout in batches (LineBuffer: one write per 200 ms, not one per session).
 */
export async function startServe(values: ServeContext['values'], out?: (line: string) => void): Promise<RunningServe> {
  const buffer = out ? undefined : new LineBuffer((chunk) => process.stdout.write(chunk))
  const flush = () => buffer?.flush()
  // A process that exits another way (an uncaught error) still writes what it printed.
  process.on('exit', flush)
  const sink = out ?? ((line: string) => buffer!.push(line))
  // Lines carry what CPEs sent (serials, event codes, fault texts): one line each, no control characters.
  const print = (line: string) => sink(printable(line))
  const overrides: DeepPartial<BenchConfig> = { cwmp: {} }
  if (typeof values.data === 'string') overrides.dataDir = values.data
  if (typeof values['cwmp-port'] === 'string') overrides.cwmp!.port = parsePort(values['cwmp-port'])
  if (typeof values.bind === 'string') overrides.cwmp!.bind = values.bind
  const retention: NonNullable<DeepPartial<BenchConfig>['retention']> = {}
  if (typeof values['keep-days'] === 'string') {
    const days = parseCount('--keep-days', values['keep-days'])
    Object.assign(retention, { eventsDays: days, runsDays: days, fetchesDays: days })
  }
  if (typeof values['max-db-mb'] === 'string') retention.maxMb = parseCount('--max-db-mb', values['max-db-mb'])
  if (values.vacuum === true) retention.convertBelowMb = Number.MAX_SAFE_INTEGER
  if (Object.keys(retention).length > 0) overrides.retention = retention
  const bench = await createBench(overrides, {
    log: (level, message) => {
      if (level === 'info') return print(message)
      flush()
      console.error(printable(message))
    },
  }).catch((error: unknown) => {
    flush()
    process.off('exit', flush)
    throw error
  })
  const stops: (() => Promise<void>)[] = []
  let stopLines: (() => Promise<void>) | undefined
  try {
    const address = await bench.acs.listen()
    const auth = bench.config.cwmp.auth
    print(`Bench ACS is listening for CPEs on ${address.bind}:${address.port}${address.tls ? ' (HTTPS)' : ''}.`)
    print('Set the ACS URL of each CPE to one of:')
    for (const url of address.urls) print(`  ${url}`)
    print(
      `CPE authentication: ${auth.mode === 'none' ? 'none' : `${auth.mode} (user "${auth.username}")`}. Data: ${bench.config.dataDir}`,
    )
    const storage = bench.retention.status()
    const r = bench.config.retention
    print(
      `Database: ${Math.round(storage.sizeBytes / 1048576)} MB${storage.capBytes ? ` of ${r.maxMb} MB` : ''}; events kept ${r.eventsDays || 'unlimited'} days.`,
    )
    // Listening until the bench has closed: the sessions a stop cuts short have their lines too.
    stopLines = logSessions(bench.events, print)
    for (const extension of extensions) {
      const stop = await extension.start({ bench, values, print })
      if (stop) stops.push(stop)
    }
    print('Press Ctrl+C to stop.')
    flush()
  } catch (error) {
    await bench.close()
    await stopLines?.()
    flush()
    process.off('exit', flush)
    throw error
  }
  return {
    bench,
    print,
    async stop() {
      for (const stop of stops.reverse())
        await stop().catch((e: unknown) => {
          flush()
          console.error(String(e))
        })
      await bench.close()
      await stopLines?.()
      flush()
      process.off('exit', flush)
    },
  }
}

function parsePort(text: string): number {
  const port = Number(text)
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UsageError(`--cwmp-port must be a port number (0–65535), got "${text}"`)
  return port
}

function parseCount(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number, got "${text}"`)
  return Number(text)
}

class UsageError extends Error {}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the ACS (CWMP listener) until interrupted',
  get usage() {
    return usage()
  },
  async run(argv) {
    let running: RunningServe
    try {
      const { values } = parseArgs({
        args: argv,
        options: { ...OPTIONS, ...Object.assign({}, ...extensions.map((e) => e.options ?? {})) },
      })
      running = await startServe(values as ServeContext['values'])
    } catch (error) {
      if (error instanceof ListenError) {
        console.error(`Cannot start the ACS: ${error.message}.`)
        if (error.code === 'EADDRINUSE') return EXIT_PORT_IN_USE
        if (error.code === 'EACCES') return EXIT_NEEDS_PRIVILEGES
        return 1
      }
      if (error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
        console.error(`${(error as Error).message}\n\n${usage()}`)
        return 2
      }
      throw error
    }
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'))
      process.once('SIGTERM', () => resolve('SIGTERM'))
    })
    running.print('')
    running.print(`${signal}: stopping…`)
    await running.stop()
    return 0
  },
}
