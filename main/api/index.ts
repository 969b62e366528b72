import type { AppInfo, CallReply, CallResult, Channel, StreamName } from '../../preload/api'
import { CHANNELS } from '../../preload/api'
import type { Bench } from '../core/bench'
import { deviceHandlers, toView } from './devices'
import { deviceRpcHandlers } from './device-rpcs'
import { deviceBulkHandlers } from './device-bulk'
import { checkHandlers } from './check'
import { eventHandlers } from './events'
import { fileHandlers } from './files'
import { profileHandlers } from './profiles'
import { dryRunHandlers } from './profile-dry-run'
import { hasService } from './services'
import { settingsHandlers } from './settings'
import { StreamHub, type StreamConnection } from './streams'
import { REPLY_NAMES, UnavailableError } from './errors'
import { BenchError } from '../core/errors'
import { scriptHandlers } from './scripts'
import { simHandlers } from './sim'
import { syncHandlers } from './sync'

export interface ApiHost {
  shell: AppInfo['shell']
  version: string
  log?: (level: 'info' | 'warn' | 'error', message: string) => void
  /** Why the ACS listener did not start, when it did not (shown on the Settings page). */
  acsStartError?: string | null
}

type Handlers = { [C in Channel]: (args: unknown[]) => Promise<CallResult<C>> }

/**
 * The one implementation of preload/api.ts, shared by the Electron IPC wiring and the WebSocket
 * server: both hand it (channel, args) and forward the streams it produces.
 */
export interface BenchApiService {
  call(channel: string, args: unknown): Promise<CallReply>
  connect(send: (stream: StreamName, batch: unknown) => void): StreamConnection
  /** Stops the API's streams and listeners; call before bench.close(). */
  close(): Promise<void>
}

export function createApiService(bench: Bench, host: ApiHost): BenchApiService {
  const hub = new StreamHub()
  const dryRuns = dryRunHandlers(bench, hub, host.log)
  const handlers: Handlers = {
    'app.info': async () => ({
      version: host.version,
      shell: host.shell,
      dataDir: bench.config.dataDir,
      services: {
        acs: hasService(bench, 'acs'),
        scripts: hasService(bench, 'scripts'),
        sim: hasService(bench, 'sim'),
        sync: hasService(bench, 'sync'),
      },
    }),
    ...deviceHandlers(bench),
    ...deviceRpcHandlers(bench),
    ...deviceBulkHandlers(bench),
    ...checkHandlers(bench),
    ...eventHandlers(bench),
    ...fileHandlers(bench),
    ...profileHandlers(bench),
    ...dryRuns.handlers,
    ...settingsHandlers(bench, hub, host.acsStartError ?? null),
    ...scriptHandlers(bench, hub),
    ...simHandlers(bench),
    ...syncHandlers(bench),
  }

  const unsubscribe = [
    bench.events.on('device.updated', ({ device }) =>
      hub.push('devices.updated', toView(bench, device), device.serial),
    ),
    // Session start and end change what the UI shows as the status ("in session").
    ...(['session.started', 'session.ended'] as const).map((name) =>
      bench.events.on(name, ({ serial }) => {
        const device = bench.store.devices.get(serial)
        if (device) hub.push('devices.updated', toView(bench, device), serial)
      }),
    ),
    bench.events.on('event.logged', (event) => hub.push('events.logged', event)),
    bench.events.on('event.updated', (event) => hub.push('events.updated', event, String(event.seq))),
    bench.events.on('parameters.updated', (p) => hub.push('parameters.updated', p)),
    bench.events.on('rpc.queued', ({ serial }) => hub.push('rpcs.changed', { serial }, serial)),
    bench.events.on('rpc.completed', ({ serial }) => hub.push('rpcs.changed', { serial }, serial)),
    bench.events.on('sync.status', (status) => hub.push('sync.status', status, 'sync')),
    bench.events.on('sim.status', (status) => hub.push('sim.status', status, 'sim')),
    // Latest state per fetch: a batch carries each fetch's newest percent, not every step.
    bench.events.on('file.fetch', (p) => hub.push('files.progress', p, p.fetchId)),
    bench.events.on('file.changed', (c) => hub.push('files.changed', c, c.name)),
    bench.events.on('profile.run', ({ run }) => hub.push('profiles.runs', run, run.id)),
    bench.events.on('script.changed', ({ scriptId }) => hub.push('scripts.changed', { id: scriptId }, scriptId)),
    bench.events.on('run.started', ({ run }) => hub.push('scripts.runs', run, run.id)),
    bench.events.on('run.finished', ({ run }) => hub.push('scripts.runs', run, run.id)),
    bench.events.on('run.waiting', ({ runId }) => {
      const run = bench.scripts.getRun(runId)
      if (run) hub.push('scripts.runs', run, run.id)
    }),
    bench.events.on('run.output', ({ lines }) => {
      for (const line of lines) hub.push('scripts.output', line)
    }),
  ]

  return {
    async call(channel, args) {
      if (typeof channel !== 'string' || !(CHANNELS as readonly string[]).includes(channel))
        return { ok: false, error: { name: 'BadRequestError', message: `Unknown API call ${String(channel)}.` } }
      if (!Array.isArray(args))
        return { ok: false, error: { name: 'BadRequestError', message: 'Arguments must be a list.' } }
      try {
        const value = await handlers[channel as Channel](args)
        return { ok: true, value }
      } catch (error) {
        // The core's user-facing errors say what to do; anything else is a bug worth logging.
        if (error instanceof BenchError)
          return { ok: false, error: { name: REPLY_NAMES[error.kind], message: error.message } }
        const err = error instanceof Error ? error : new Error(String(error))
        host.log?.('error', `${channel} failed: ${err.stack ?? err.message}`)
        return { ok: false, error: { name: err.name, message: err.message } }
      }
    },
    connect: (send) => hub.connect(send),
    async close() {
      for (const u of unsubscribe) u()
      dryRuns.close()
      hub.close()
      // The fleet is the bench's: a UI that closes leaves it to bench.close().
    },
  }
}

export { UnavailableError }
