import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { imageHeader } from '../../../common/firmware-image'
import { createBench, type Bench } from '../bench'
import type { BenchConfig } from '../config'
import { errorMessage } from '../errors'
import { ulid } from '../ids'
import { stepKind, stepSummary } from '../profiles/steps'
import type { ProfileDefinition, ProfileRun, ProfileStep } from '../profiles/types'
import { startSimulator, type SimFleet } from '../sim'
import type { DryRunSource } from './source'
import { resolveTarget, type ResolvedTarget } from './target'
import type { DryRunReport, DryRunStep, DryRunTarget } from './types'

export interface DryRunOptions {
  /** The report each time it changes (the simulated CPE started, a step ended). */
  onProgress?: (report: DryRunReport) => void
  /** Stops the dry run: the step in flight is cut short, the rest are not run. */
  signal?: AbortSignal
  /** How long a firmware or configuration step waits for the simulated CPE's TransferComplete (ms). */
  transferWaitMs?: number
  log?: (level: 'info' | 'warn' | 'error', message: string) => void
  /**
   * What the dry run's bench takes of the real one's configuration: the SQLite binding (Electron
   * has its own), the scripts' limits, the file size cap. Its data folder and ACS are its own.
   */
  config?: Pick<BenchConfig, 'scripts' | 'files' | 'sqliteNativeBinding'>
}

/** A simulated CPE reboots in seconds: two minutes is plenty, and a wrong profile fails in time. */
const DRY_RUN_TRANSFER_WAIT_MS = 120_000

/**
 * Dry-runs a profile: resolves the target (bad input throws before anything starts), then in a
 * bench of its own — a temporary data folder, an ACS on a free loopback port, no triggers, no
 * sync — starts one simulated CPE of the target's model and runs the profile's steps on it with
 * the real profile engine, over real HTTP, firmware fetched from the real file server. The bench
 * the profile came from is only read: its device, store, outbox and event log do not change, and
 * the temporary bench, its simulated CPE and its folder are gone when this resolves.
 */
export async function dryRun(
  source: DryRunSource,
  profile: { definition: ProfileDefinition; version: number | null },
  target: DryRunTarget,
  options: DryRunOptions = {},
): Promise<DryRunReport> {
  const resolved = resolveTarget(source, profile.definition, target)
  const steps = profile.definition.steps
  const report: DryRunReport = {
    id: ulid(),
    dryRun: true,
    profile: profile.definition.name,
    profileVersion: profile.version,
    device: resolved.device,
    simSerial: resolved.serial,
    identity: resolved.identity,
    storedValues: resolved.storedValues,
    state: 'preparing',
    message: 'Preparing a bench of its own for the dry run…',
    steps: steps.map(pendingStep),
    startedAt: Date.now(),
    endedAt: null,
  }
  const progress = (patch: Partial<DryRunReport>) => {
    Object.assign(report, patch)
    options.onProgress?.(structuredClone(report))
  }
  progress({})
  const dir = mkdtempSync(join(tmpdir(), 'bench-acs-dryrun-'))
  let bench: Bench | undefined
  let fleet: SimFleet | undefined
  try {
    bench = await createBench(
      {
        ...(options.config?.sqliteNativeBinding ? { sqliteNativeBinding: options.config.sqliteNativeBinding } : {}),
        ...(options.config ? { scripts: options.config.scripts, files: options.config.files } : {}),
        dataDir: dir,
        cwmp: { port: 0, bind: '127.0.0.1' },
      },
      {
        log: options.log ?? (() => {}),
        scripts: { seedExamples: false, triggers: false },
        profiles: { transferWaitMs: options.transferWaitMs ?? DRY_RUN_TRANSFER_WAIT_MS },
      },
    )
    const address = await bench.acs.listen()
    await stock(bench, source, resolved, steps)
    if (options.signal?.aborted) throw new Error('stopped before it started')
    progress({ state: 'starting', message: `Starting a simulated ${resolved.identity.productClass}…` })
    const cr = bench.config.connectionRequest
    if (!cr.username) Object.assign(cr, { username: 'bench-dry-run', password: 'bench-dry-run' })
    fleet = await startSimulator({
      acsUrl: `http://127.0.0.1:${address.port}/`,
      serial: resolved.serial,
      definition: resolved.definition,
      // A stand-in keeps the device's own periodic inform settings (a step may check them).
      ...(resolved.device ? {} : { periodicInformInterval: 0 }),
      connectionRequestUsername: cr.username,
      connectionRequestPassword: cr.password,
      ...(options.signal ? { signal: options.signal } : {}),
    })
    progress({ state: 'running', message: `Running ${steps.length} step(s) on the simulated CPE…` })
    const b = bench
    // Saved disabled and without events: it runs only because it is asked to, once.
    b.profiles.save({ ...profile.definition, enabled: false, when: { events: [] } })
    const off = b.events.on('profile.run', ({ run }) => {
      if (run.serial === resolved.serial) progress({ steps: run.steps.map((s) => outcomeOf(s, run)) })
    })
    try {
      const [runId] = b.profiles.runOn(profile.definition.name, [resolved.serial])
      const stop = () => b.profiles.stopRuns([runId!])
      options.signal?.addEventListener('abort', stop, { once: true })
      const run = await b.profiles.wait(runId!)
      options.signal?.removeEventListener('abort', stop)
      const out = run.steps.map((s) => outcomeOf(s, run))
      progress({ state: 'done', message: summary(out), steps: out, endedAt: Date.now() })
    } finally {
      off()
    }
  } catch (error) {
    progress({
      state: 'failed',
      message: `The dry run could not run: ${errorMessage(error)}. Nothing was changed; try again, or check the profile's steps.`,
      endedAt: Date.now(),
    })
  } finally {
    await fleet?.stop().catch(() => {})
    await bench?.close().catch(() => {})
    rmSync(dir, { recursive: true, force: true })
  }
  return structuredClone(report)
}

function pendingStep(step: ProfileStep, index: number): DryRunStep {
  return { index, kind: stepKind(step), summary: stepSummary(step), outcome: 'pending', detail: '', durationMs: 0 }
}

/** A step of the engine's run, as a dry run says it. */
function outcomeOf(s: ProfileRun['steps'][number], run: ProfileRun): DryRunStep {
  const base = {
    index: s.index,
    kind: s.kind,
    summary: s.summary,
    durationMs: s.durationMs,
    ...(s.failure ? { failure: s.failure } : {}),
    ...(s.faultCode !== undefined ? { faultCode: s.faultCode } : {}),
  }
  if (s.outcome === 'applied') return { ...base, outcome: 'would-apply', detail: s.detail }
  if (s.outcome === 'held') return { ...base, outcome: 'held', detail: s.detail }
  if (s.outcome === 'failed') return { ...base, outcome: 'would-fail', detail: s.detail }
  if (run.status === 'running') return { ...base, outcome: 'pending', detail: '' }
  const failed = run.steps.find((x) => x.outcome === 'failed')
  return {
    ...base,
    outcome: 'not-reached',
    detail: failed ? `a real run stops at step ${failed.index + 1}, which would fail` : s.detail,
  }
}

function summary(steps: DryRunStep[]): string {
  const n = (o: DryRunStep['outcome']) => steps.filter((s) => s.outcome === o).length
  const parts = [
    `${n('would-apply')} would apply`,
    `${n('held')} already ${n('held') === 1 ? 'holds' : 'hold'}`,
    `${n('would-fail')} would fail`,
  ]
  if (n('not-reached')) parts.push(`${n('not-reached')} not reached`)
  return `Dry run done: ${parts.join(', ')}.`
}

/**
 * Puts in the dry run's bench what the steps need of the real one: for a firmware step a
 * stand-in image of the library's file (same name, version and product class: a simulated CPE
 * installs only our image header, not a vendor's bytes), configuration files as they are, what
 * profiles restored on the device before, and the script library.
 */
async function stock(bench: Bench, source: DryRunSource, target: ResolvedTarget, steps: ProfileStep[]): Promise<void> {
  const library = bench.files.library
  for (const step of steps) {
    if ('firmware' in step) {
      const image = source.firmware(target.identity.productClass, step.firmware)
      if (!image || library.get(image.name)) continue
      let header = ''
      try {
        header = imageHeader({ version: step.firmware, productClass: image.productClass })
      } catch {
        // A version our header cannot carry: the simulated CPE keeps its version, and the step says so.
      }
      await library.add(
        {
          name: image.name,
          content: Buffer.from(`${header}Dry-run stand-in for ${image.name} (${image.size} bytes)\n`),
        },
        { type: 'firmware', version: step.firmware, productClass: image.productClass },
      )
    } else if ('config' in step) {
      const found = source.file(step.config)
      if (!found || library.get(step.config)) continue
      await library.add({ path: found.path }, { name: step.config, type: found.file.fileType })
      const mark = target.device && source.mark(target.device, `config:${step.config}`)
      if (mark) bench.profiles.profiles.setMark(target.serial, `config:${step.config}`, mark, Date.now())
    }
  }
  if (steps.some((s) => 'script' in s))
    for (const s of source.scripts()) {
      try {
        bench.scripts.create({ name: s.name, source: s.source, description: s.description, limits: s.limits })
      } catch {
        // A script the library holds but could not be saved again is missing: its step says so.
      }
    }
}
