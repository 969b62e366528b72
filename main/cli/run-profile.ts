import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { defaultDataDir } from '../core/config'
import { databaseFile, openBenchStore } from '../core/database'
import { dryRun, dryRunProfile, dryRunSource, type DryRunReport, type DryRunStep } from '../core/dry-run'
import { BenchError } from '../core/errors'
import { parseProfileFile } from '../core/profiles'
import { printable, printableJson } from '../core/printable'
import { configWithStoredSettings } from '../core/settings'

export interface DryRunArgs {
  profile: string
  serial?: string
  productClass?: string
  data?: string
  json?: boolean
}

const MARK: Record<DryRunStep['outcome'], string> = {
  'would-apply': 'WOULD APPLY',
  held: 'HELD       ',
  'would-fail': 'WOULD FAIL ',
  'not-reached': 'NOT REACHED',
  pending: 'PENDING    ',
}

/** A profile given as a file: its one profile (a file of several names none of them). */
function fromFile(path: string): unknown {
  const list = parseProfileFile(readFileSync(path, 'utf8'), basename(path))
  if (list.length !== 1)
    throw new BenchError(
      'input',
      `${path} holds ${list.length} profiles (${list.map((p) => p.name).join(', ')}): dry-run one at a time, from a file of one profile or by name after bench-acs profiles import.`,
    )
  return list[0]
}

function line(s: DryRunStep): string {
  return printable(
    `${String(s.index + 1).padStart(3)}  ${MARK[s.outcome]}  ${s.summary}${s.detail ? `: ${s.detail}` : ''}`,
  )
}

/**
 * `bench-acs run --profile NAME|FILE`: a dry run (docs/profiles.md, "Dry run"). Reads the data
 * folder (devices, stored values, profiles, the file library) and changes nothing in it. Exit code
 * 0 when every step would apply or already holds, 1 when a step would fail, 2 when it could not run.
 */
export async function runProfileDryRun(args: DryRunArgs): Promise<number> {
  const note = (text: string) => process.stderr.write(`${printable(text)}\n`)
  const dataDir = args.data ?? defaultDataDir()
  const store = openBenchStore(databaseFile(dataDir))
  const stop = new AbortController()
  const onSignal = () => stop.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const source = dryRunSource(store, dataDir)
    const isFile = existsSync(args.profile) && statSync(args.profile).isFile()
    const profile = dryRunProfile(source, isFile ? fromFile(args.profile) : args.profile)
    const reported = new Set<string>()
    const report: DryRunReport = await dryRun(
      source,
      profile,
      {
        ...(args.serial !== undefined ? { serial: args.serial } : {}),
        ...(args.productClass !== undefined ? { productClass: args.productClass } : {}),
      },
      {
        signal: stop.signal,
        // The scripts' limits and the file cap the app's Settings saved in this folder.
        config: (({ scripts, files }) => ({ scripts, files }))(configWithStoredSettings(store, { dataDir })),
        log: (level, message) => level !== 'info' && note(`${level}: ${message}`),
        onProgress: (r) => {
          if (r.state === 'starting' || r.state === 'running') {
            if (!reported.has(r.state)) note(r.message)
            reported.add(r.state)
          }
          for (const s of r.steps)
            if (s.outcome !== 'pending' && !reported.has(`step ${s.index}`)) {
              reported.add(`step ${s.index}`)
              if (!args.json) note(line(s))
            }
        },
      },
    )
    if (args.json) {
      process.stdout.write(`${printableJson(report)}\n`)
    } else {
      const id = report.identity
      console.log(
        printable(
          `Dry run of profile "${report.profile}"${report.profileVersion !== null ? ` v${report.profileVersion}` : ' (from a file)'} on a simulated ${id.productClass} (${id.manufacturer}, ${id.oui}, software ${id.softwareVersion || 'unknown'}, hardware ${id.hardwareVersion || 'unknown'})` +
            (report.device
              ? ` standing in for ${report.device} with ${report.storedValues} of its stored values; the device itself was not contacted and nothing was stored`
              : ''),
        ),
      )
      for (const s of report.steps) console.log(line(s))
      console.log(printable(report.message))
    }
    if (report.state !== 'done') return 2
    return report.steps.some((s) => s.outcome === 'would-fail') ? 1 : 0
  } catch (error) {
    if (!(error instanceof BenchError)) throw error
    note(error.message)
    return 2
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    store.close()
  }
}
