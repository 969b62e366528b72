import { BenchError } from '../errors'
import { CHECKS } from './checks'
import { CheckContext, type CheckDeps } from './context'
import type { CheckOptions, CheckReport, CheckResult } from './types'

export * from './types'
export type { CheckDeps } from './context'
export { renderHtmlReport } from './report'

/** The checks a run has, in order (docs/check.md): id, title, destructive. */
export function checkList(): { id: string; title: string; destructive: boolean }[] {
  return CHECKS.map((c) => ({ id: c.id, title: c.title, destructive: Boolean(c.destructive) }))
}

export class UnknownCheckDeviceError extends BenchError {
  constructor(serial: string) {
    super('not-found', `No device with serial ${serial}: point the CPE's ACS URL at the bench and let it inform first.`)
  }
}

/**
 * Runs the checks against one device on the bench, one after the other, and reports each as pass,
 * fail or not supported with the SOAP exchanged. Never destructive unless options.factoryReset.
 */
export async function runChecks(deps: CheckDeps, serial: string, options: CheckOptions = {}): Promise<CheckReport> {
  const device = deps.store.devices.get(serial)
  if (!device) throw new UnknownCheckDeviceError(serial)
  const root = `${device.dataModel || 'InternetGatewayDevice'}.`
  const ctx = new CheckContext(deps, serial, root, options.waitMs ?? 120_000, options.probePartialPaths ?? false)
  const startedAt = Date.now()
  const results: CheckResult[] = []
  const chosen = CHECKS.filter(
    (c) => (!c.destructive || options.factoryReset) && (!options.only || options.only.includes(c.id)),
  )
  // The Inform that brought the device here is the first check's evidence.
  const lastInform = deps.store.events.query({ serial, kinds: ['inform'], limit: 1 })[0]
  for (const check of chosen) {
    const t0 = Date.now()
    const stop = ctx.collect()
    const verdict = await check.run(ctx)
    const evidence = stop()
    if (check.id === 'inform' && lastInform) {
      const e = ctx.evidence(lastInform.seq)
      if (e) evidence.unshift(e)
    }
    const result: CheckResult = {
      id: check.id,
      title: check.title,
      outcome: verdict.outcome,
      detail: verdict.detail,
      evidence,
      durationMs: Date.now() - t0,
    }
    results.push(result)
    options.onResult?.(result)
  }
  const counts = { pass: 0, fail: 0, 'not-supported': 0, 'not-observed': 0 }
  for (const r of results) counts[r.outcome]++
  const d = deps.store.devices.get(serial) ?? device
  return {
    serial,
    device: {
      manufacturer: d.manufacturer,
      productClass: d.productClass,
      softwareVersion: d.softwareVersion,
      dataModel: d.dataModel,
    },
    startedAt,
    finishedAt: Date.now(),
    results,
    counts,
  }
}
