// Channel names ("area.method"), their allowlist, and each one's arguments and result.
import type { BenchCalls } from './calls'

type Channels<T> = {
  [N in keyof T & string]: { [M in keyof T[N] & string]: `${N}.${M}` }[keyof T[N] & string]
}[keyof T & string]

/** "area.method" for every call. */
export type Channel = Channels<BenchCalls>

/** The allowlist both transports enforce: a channel not listed here is refused. */
export const CHANNELS = [
  'app.info',
  'devices.list',
  'devices.get',
  'devices.remove',
  'devices.children',
  'devices.searchParameters',
  'devices.refresh',
  'devices.setParameters',
  'devices.addObject',
  'devices.deleteObject',
  'devices.reboot',
  'devices.factoryReset',
  'devices.download',
  'devices.wake',
  'devices.rpcs',
  'devices.cancelRpc',
  'devices.retryRpc',
  'devices.capabilities',
  'devices.check',
  'devices.trust',
  'devices.setTrust',
  'devices.setAlias',
  'devices.tags',
  'devices.bulk',
  'devices.exportCsv',
  'events.page',
  'events.soap',
  'events.session',
  'events.body',
  'events.sources',
  'events.export',
  'scripts.list',
  'scripts.get',
  'scripts.create',
  'scripts.save',
  'scripts.rename',
  'scripts.duplicate',
  'scripts.remove',
  'scripts.versions',
  'scripts.check',
  'scripts.api',
  'scripts.run',
  'scripts.stop',
  'scripts.stopBatch',
  'scripts.batches',
  'scripts.runs',
  'scripts.output',
  'scripts.triggers',
  'scripts.setTriggers',
  'scripts.envs',
  'scripts.saveEnv',
  'scripts.removeEnv',
  'sim.models',
  'sim.status',
  'sim.start',
  'sim.stop',
  'sim.faults',
  'sim.changeValue',
  'files.upload',
  'files.list',
  'files.add',
  'files.addBegin',
  'files.addChunk',
  'files.addEnd',
  'files.addCancel',
  'files.remove',
  'files.fetches',
  'files.download',
  'files.backup',
  'profiles.list',
  'profiles.save',
  'profiles.setEnabled',
  'profiles.remove',
  'profiles.export',
  'profiles.import',
  'profiles.runs',
  'profiles.states',
  'profiles.run',
  'profiles.stop',
  'profiles.nextScheduled',
  'profiles.dryRun',
  'profiles.stopDryRun',
  'settings.get',
  'settings.save',
  'settings.acsStatus',
  'sync.status',
  'sync.settings',
  'sync.configure',
  'sync.pause',
  'sync.resume',
  'sync.syncNow',
  'sync.retryQuarantined',
] as const satisfies readonly Channel[]

// Fails to compile when a method of BenchCalls is missing from CHANNELS.
type Missing = Exclude<Channel, (typeof CHANNELS)[number]>
const _allChannelsListed: [Missing] extends [never] ? true : Missing = true
void _allChannelsListed

/** The arguments and result of one channel. */
export type CallArgs<C extends Channel> = C extends `${infer N}.${infer M}`
  ? N extends keyof BenchCalls
    ? M extends keyof BenchCalls[N]
      ? BenchCalls[N][M] extends (...args: infer A) => unknown
        ? A
        : never
      : never
    : never
  : never

export type CallResult<C extends Channel> = C extends `${infer N}.${infer M}`
  ? N extends keyof BenchCalls
    ? M extends keyof BenchCalls[N]
      ? BenchCalls[N][M] extends (...args: never[]) => Promise<infer R>
        ? R
        : never
      : never
    : never
  : never
