import type { CheckReport } from '../../preload/api'
import type { Bench } from '../core/bench'
import { runChecks, type CheckDeps } from '../core/check'
import { BadRequestError } from './errors'
import { known, serialArg } from './devices'
import { optObj } from './validate'

/** The small file the check's Download fetches from the bench's own file server. */
export const CHECK_FILE = 'bench-check-ringer.txt'

/**
 * What the CPE check needs of a bench. Its Download is a "5 Ringer File": of the TR-069 file types
 * the least likely to change what a router does (a CPE without voice refuses it, reported as such).
 */
export function checkDeps(bench: Bench): CheckDeps {
  return {
    store: bench.store,
    events: bench.events,
    acs: bench.acs,
    // The bench's own simulated CPEs can be changed "on the CPE" (the value-change check).
    simulated: (serial) => bench.sim.cpe(serial),
    async downloadRequest(serial, commandKey) {
      const library = bench.files.library
      if (!library.get(CHECK_FILE))
        await library.add(
          { name: CHECK_FILE, content: Buffer.from('Bench ACS check file: safe to delete.\n') },
          { type: 'ringer', description: 'Fetched by the CPE check (bench-acs check)' },
        )
      return bench.files.downloadRequest(serial, CHECK_FILE, commandKey)
    },
  }
}

/** The device page's "Run CPE check": one run per device at a time; resolves with the report. */
export function checkHandlers(bench: Bench) {
  const running = new Set<string>()
  return {
    'devices.check': async ([serialValue, optionsValue]: unknown[]): Promise<CheckReport> => {
      const serial = serialArg(serialValue)
      known(bench, serial)
      const o = optObj(optionsValue, 'check options')
      if (running.has(serial))
        throw new BadRequestError(`A check of ${serial} is already running: wait for its report.`)
      running.add(serial)
      try {
        return await runChecks(checkDeps(bench), serial, {
          factoryReset: o.factoryReset === true,
          probePartialPaths: o.probePartialPaths === true,
        })
      } finally {
        running.delete(serial)
      }
    },
  }
}
