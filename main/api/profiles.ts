import type { ProfileRecord, ProfileRun, ProvisioningState } from '../../preload/api'
import type { Bench } from '../core/bench'
import { BadRequestError } from './errors'
import { nonEmpty, optObj, optStr, str } from './validate'

/** The Profiles page and the device page's provisioning section (errors are BenchErrors, mapped once). */
export function profileHandlers(bench: Bench) {
  const { profiles } = bench
  return {
    'profiles.list': async (): Promise<ProfileRecord[]> => profiles.list(),
    'profiles.save': async ([profile]: unknown[]): Promise<ProfileRecord> => profiles.save(profile),
    'profiles.setEnabled': async ([name, enabled]: unknown[]): Promise<ProfileRecord> => {
      if (typeof enabled !== 'boolean') throw new BadRequestError('enabled must be true or false')
      return profiles.setEnabled(nonEmpty(name, 'profile name', 64), enabled)
    },
    'profiles.remove': async ([name]: unknown[]): Promise<void> => profiles.remove(nonEmpty(name, 'profile name', 64)),
    'profiles.export': async ([name, format]: unknown[]): Promise<string> => {
      if (format !== undefined && format !== 'json' && format !== 'yaml')
        throw new BadRequestError('format must be "json" or "yaml"')
      return profiles.export(optStr(name, 'profile name', 64), format)
    },
    'profiles.import': async ([content, fileName]: unknown[]): Promise<ProfileRecord[]> =>
      profiles.import(str(content, 'profile file', 4 * 1024 * 1024), optStr(fileName, 'file name', 255)),
    'profiles.runs': async ([query]: unknown[]): Promise<ProfileRun[]> => {
      const q = optObj(query, 'query')
      const limit = q.limit
      if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit)))
        throw new BadRequestError('limit must be a whole number')
      return profiles.runs({
        serial: optStr(q.serial, 'serial', 64),
        profile: optStr(q.profile, 'profile name', 64),
        ...(limit !== undefined ? { limit } : {}),
      })
    },
    'profiles.states': async (): Promise<Record<string, ProvisioningState>> => profiles.states(),
    'profiles.nextScheduled': async (): Promise<Record<string, number>> => profiles.nextScheduled(),
    'profiles.run': async ([name, serials]: unknown[]): Promise<string[]> => {
      if (!Array.isArray(serials) || !serials.every((s) => typeof s === 'string'))
        throw new BadRequestError('serials must be a list of device serial numbers')
      return profiles.runOn(nonEmpty(name, 'profile name', 64), serials)
    },
    'profiles.stop': async ([runIds]: unknown[]): Promise<number> => {
      if (!Array.isArray(runIds) || runIds.length > 100_000 || !runIds.every((s) => typeof s === 'string'))
        throw new BadRequestError('runIds must be a list of profile run ids')
      return profiles.stopRuns(runIds)
    },
  }
}
