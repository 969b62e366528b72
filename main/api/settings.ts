import type { AcsStatus, SettingsPatch, SettingsSaveResult, SettingsView } from '../../preload/api'
import type { Bench } from '../core/bench'
import type { BenchConfig, DeepPartial } from '../core/config'
import { mergePatch, SECRET_PLACEHOLDER, STORED_CONFIG_KEY } from '../core/settings'
import { checkLimits } from '../core/lua/limits'
import { BadRequestError } from './errors'
import { pickedPath } from './files'
import type { StreamHub } from './streams'
import { bool, int, oneOf, optObj, str } from './validate'
import { errorMessage } from '../core/errors'

export function settingsView(config: BenchConfig): SettingsView {
  const { scripts } = config
  return {
    acs: {
      port: config.cwmp.port,
      bind: config.cwmp.bind,
      tlsCertFile: config.cwmp.tls?.certFile ?? '',
      tlsKeyFile: config.cwmp.tls?.keyFile ?? '',
      authMode: config.cwmp.auth.mode,
      authUsername: config.cwmp.auth.username,
      // Never the secrets themselves: whoever reaches the API must not read them (docs/security.md).
      authPassword: shownSecret(config.cwmp.auth.password),
      keepSecretsInLog: config.cwmp.keepSecretsInLog,
    },
    connectionRequest: {
      username: config.connectionRequest.username,
      password: shownSecret(config.connectionRequest.password),
    },
    scripts: {
      wallMs: scripts.wallMs,
      memoryMb: scripts.memoryMb,
    },
    files: { maxBytes: config.files.maxBytes },
    retention: retentionView(config),
  }
}

function retentionView(config: BenchConfig): SettingsView['retention'] {
  const { eventsDays, runsDays, fetchesDays, maxMb, convertBelowMb } = config.retention
  return { eventsDays, runsDays, fetchesDays, maxMb, convertBelowMb }
}

/** Smallest cap the Settings page takes: below it retention would delete the last hour's rows on every pass. */
export const MIN_CAP_MB = 16

function retentionPatch(value: unknown): Partial<BenchConfig['retention']> {
  const r = optObj(value, 'retention settings')
  const out: Partial<BenchConfig['retention']> = {}
  const days = (v: unknown, what: string) => int(v, what, 0, 36_500)
  if (r.eventsDays !== undefined) out.eventsDays = days(r.eventsDays, 'days of events kept')
  if (r.runsDays !== undefined) out.runsDays = days(r.runsDays, 'days of script runs kept')
  if (r.fetchesDays !== undefined) out.fetchesDays = days(r.fetchesDays, 'days of file fetches kept')
  if (r.maxMb !== undefined) {
    out.maxMb = int(r.maxMb, 'database cap (MB)', 0, 1 << 22)
    if (out.maxMb > 0 && out.maxMb < MIN_CAP_MB)
      throw new BadRequestError(`The database cap is at least ${MIN_CAP_MB} MB, or 0 for no cap.`)
  }
  if (r.convertBelowMb !== undefined)
    out.convertBelowMb = int(r.convertBelowMb, 'size to switch to incremental vacuum at start (MB)', 0, 1 << 22)
  return out
}

function shownSecret(secret: string): string {
  return secret ? SECRET_PLACEHOLDER : ''
}

/** A secret field of a patch: the placeholder sent back keeps the stored secret (undefined). */
function secretField(value: unknown, what: string): string | undefined {
  if (value === undefined || value === SECRET_PLACEHOLDER) return undefined
  return str(value, what, 256)
}

/** Checks a patch from the UI and turns it into a config patch. */
export function configPatch(
  bench: Bench,
  value: unknown,
): DeepPartial<BenchConfig> & { scripts?: Record<string, number> } {
  const patch = optObj(value, 'settings') as SettingsPatch
  const out: DeepPartial<BenchConfig> & { scripts?: Record<string, number> } = {}
  const acs = optObj(patch.acs, 'ACS settings')
  const cwmp: DeepPartial<BenchConfig['cwmp']> = {}
  // 0 picks a free port (tests, or a second instance on the same machine).
  if (acs.port !== undefined) cwmp.port = int(acs.port, 'ACS port', 0, 65_535)
  if (acs.bind !== undefined) {
    const bind = str(acs.bind, 'bind address', 64).trim()
    if (!/^(\d{1,3}(\.\d{1,3}){3}|::|::1|[0-9a-fA-F:]+)$/.test(bind))
      throw new BadRequestError('The bind address must be an IP address, e.g. 0.0.0.0 for all interfaces.')
    cwmp.bind = bind
  }
  if (acs.tlsCertFile !== undefined || acs.tlsKeyFile !== undefined) {
    const current = bench.config.cwmp.tls
    const certFile = pickedPath(bench, acs.tlsCertFile, current?.certFile, 'TLS certificate file')
    const keyFile = pickedPath(bench, acs.tlsKeyFile, current?.keyFile, 'TLS key file')
    if (Boolean(certFile) !== Boolean(keyFile))
      throw new BadRequestError('HTTPS needs both a certificate file and a key file (or neither, for HTTP).')
    // null clears TLS: the stored patch must be able to say "no TLS" over a default.
    ;(cwmp as Record<string, unknown>).tls = certFile ? { certFile, keyFile } : null
  }
  const auth: Record<string, string> = {}
  if (acs.authMode !== undefined)
    auth.mode = oneOf(acs.authMode, ['none', 'basic', 'digest'] as const, 'authentication')
  if (acs.authUsername !== undefined) auth.username = str(acs.authUsername, 'ACS username', 256)
  const authPassword = secretField(acs.authPassword, 'ACS password')
  if (authPassword !== undefined) auth.password = authPassword
  if (acs.keepSecretsInLog !== undefined)
    cwmp.keepSecretsInLog = bool(acs.keepSecretsInLog, 'keep secrets in the local event log')
  if (Object.keys(auth).length) cwmp.auth = auth as DeepPartial<BenchConfig['cwmp']['auth']>
  if (Object.keys(cwmp).length) out.cwmp = cwmp
  const cr = optObj(patch.connectionRequest, 'connection request settings')
  const connectionRequest: Record<string, string> = {}
  if (cr.username !== undefined) connectionRequest.username = str(cr.username, 'connection request username', 256)
  const crPassword = secretField(cr.password, 'connection request password')
  if (crPassword !== undefined) connectionRequest.password = crPassword
  if (Object.keys(connectionRequest).length) out.connectionRequest = connectionRequest
  const scripts = optObj(patch.scripts, 'script settings')
  const scriptPatch: Record<string, number> = {}
  // The core checks the ranges (checkLimits): 0 ms is no wall-time limit (listener scripts run
  // until stopped; CPU time is limited anyway).
  if (scripts.wallMs !== undefined)
    scriptPatch.wallMs = int(scripts.wallMs, 'script time limit', 0, Number.MAX_SAFE_INTEGER)
  if (scripts.memoryMb !== undefined) scriptPatch.memoryMb = int(scripts.memoryMb, 'script memory limit', 0, 1 << 20)
  if (Object.keys(scriptPatch).length) checkLimits(scriptPatch)
  if (Object.keys(scriptPatch).length) out.scripts = scriptPatch
  const files = optObj(patch.files, 'file library settings')
  if (files.maxBytes !== undefined)
    out.files = { maxBytes: int(files.maxBytes, 'largest library file', 1 << 20, 64 * 1024 ** 3) }
  const retention = retentionPatch(patch.retention)
  if (Object.keys(retention).length) out.retention = retention
  return out
}

export function settingsHandlers(bench: Bench, hub: StreamHub, startError: string | null = null) {
  let listenError = startError
  const acsStatus = (): AcsStatus => {
    const address = bench.acs.address
    const { cwmp } = bench.config
    return {
      listening: Boolean(address),
      urls: address?.urls ?? [],
      port: address?.port ?? cwmp.port,
      bind: address?.bind ?? cwmp.bind,
      tls: address?.tls ?? Boolean(cwmp.tls),
      error: address ? undefined : (listenError ?? 'The ACS listener is not running.'),
    }
  }
  return {
    'settings.get': async () => settingsView(bench.config),
    'settings.acsStatus': async () => acsStatus(),
    'settings.save': async ([value]: unknown[]): Promise<SettingsSaveResult> => {
      const patch = configPatch(bench, value)
      const before = bench.config.cwmp
      const wasListening = Boolean(bench.acs.address)
      const stored = bench.store.settings.get<Record<string, unknown>>(STORED_CONFIG_KEY, {})
      const apply = (p: typeof patch) => {
        bench.store.settings.set(STORED_CONFIG_KEY, mergePatch(stored, p))
        // The services read bench.config on each use: replacing its sections applies the change.
        const next = mergePatch(bench.config as unknown as Record<string, unknown>, p) as unknown as typeof bench.config
        if (next.cwmp.tls === null) delete next.cwmp.tls
        Object.assign(bench.config, next)
      }
      apply(patch)
      const after = bench.config.cwmp
      const notes = ['Settings saved.']
      const warnings: string[] = []
      const listenerChanged =
        before.port !== after.port ||
        before.bind !== after.bind ||
        JSON.stringify(before.tls ?? null) !== JSON.stringify(after.tls ?? null)
      if (listenerChanged) {
        try {
          const address = await bench.acs.relisten()
          listenError = null
          notes.push(`The ACS listener restarted: CPEs now reach it at ${address.url}`)
        } catch (error) {
          const why = errorMessage(error)
          if (wasListening) {
            // A port or address that cannot be bound is no use saved: the listener goes back to
            // where the CPEs on the bench reach it, and the rest of the settings are kept.
            const { port: _port, bind: _bind, tls: _tls, ...cwmpRest } = patch.cwmp ?? {}
            apply({ ...patch, cwmp: cwmpRest })
            bench.config.cwmp = { ...bench.config.cwmp, port: before.port, bind: before.bind }
            if (before.tls) bench.config.cwmp.tls = before.tls
            else delete bench.config.cwmp.tls
            try {
              const address = await bench.acs.relisten()
              listenError = null
              warnings.push(
                `The ACS listener could not move: ${why}. It stays at ${address.url}; the other settings were saved.`,
              )
            } catch (again) {
              listenError = errorMessage(again)
              warnings.push(`The ACS listener could not restart: ${listenError}. Pick another port or address.`)
            }
          } else {
            listenError = why
            warnings.push(`The ACS listener could not restart: ${listenError}. Pick another port or address.`)
          }
        }
      }
      // Retention reads its settings on each pass: a tighter cap or fewer days apply now.
      if (patch.retention) {
        void bench.retention.pass()
        notes.push('Retention applies the new limits now; the Sync page shows what it deleted.')
      }
      const status = acsStatus()
      hub.push('acs.status', status, 'acs')
      return { settings: settingsView(bench.config), acs: status, notes, warnings }
    },
  }
}
