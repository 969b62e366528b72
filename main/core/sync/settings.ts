import type { SettingsStore } from '../store/settings'
import type { NatsAuth, SyncSettings, SyncSettingsPatch, SyncTargetName } from './types'
import { mongoDatabase } from './mongo/mapping'

/** Settings-table key of the sync settings (one JSON document). */
export const SYNC_SETTINGS_KEY = 'sync.settings'

// Stands in for a stored secret in what settings() returns; saving it back keeps the secret.
import { SECRET_PLACEHOLDER } from '../settings'
import { BenchError } from '../errors'
export { SECRET_PLACEHOLDER }

export function defaultSyncSettings(): SyncSettings {
  return {
    nats: {
      enabled: true,
      url: '',
      auth: { kind: 'none' },
      tls: { enabled: false, caFile: '', certFile: '', keyFile: '' },
      stream: 'BENCH',
      subjectPrefix: 'bench',
      oktopus: true,
    },
    // '' = the database the URL names, else Oktopus' "adapter" (mongo/mapping.ts, mongoDatabase).
    mongo: { enabled: true, url: '', database: '' },
    retentionDays: 7,
  }
}

export function loadSyncSettings(settings: SettingsStore): SyncSettings {
  const stored = settings.get<Partial<SyncSettings>>(SYNC_SETTINGS_KEY)
  const base = defaultSyncSettings()
  if (!stored || typeof stored !== 'object') return base
  return {
    nats: { ...base.nats, ...stored.nats, tls: { ...base.nats.tls, ...stored.nats?.tls } },
    mongo: { ...base.mongo, ...stored.mongo },
    retentionDays: typeof stored.retentionDays === 'number' ? stored.retentionDays : base.retentionDays,
  }
}

export class SyncSettingsError extends BenchError {
  constructor(message: string) {
    super('input', message)
  }
}

/**
 * Applies a patch to the current settings and checks the result. Secrets equal to
 * SECRET_PLACEHOLDER keep their stored value, so the UI can send back what it was shown.
 */
export function applySyncPatch(current: SyncSettings, patch: SyncSettingsPatch): SyncSettings {
  const next: SyncSettings = {
    nats: {
      ...current.nats,
      ...patch.nats,
      tls: { ...current.nats.tls, ...patch.nats?.tls },
      auth: patch.nats?.auth ? keepSecrets(current.nats.auth, patch.nats.auth) : current.nats.auth,
    },
    mongo: { ...current.mongo, ...patch.mongo },
    retentionDays: patch.retentionDays ?? current.retentionDays,
  }
  if (patch.nats?.url !== undefined) next.nats.url = restoreUrlSecrets(current.nats.url, patch.nats.url.trim(), true)
  if (patch.mongo?.url !== undefined)
    next.mongo.url = restoreUrlSecrets(current.mongo.url, patch.mongo.url.trim(), false)
  validateSyncSettings(next)
  return next
}

export function validateSyncSettings(s: SyncSettings): void {
  if (s.nats.url) {
    for (const server of s.nats.url.split(',')) {
      const url = parseServerUrl(server.trim())
      if (!url || !['nats:', 'tls:'].includes(url.protocol))
        throw new SyncSettingsError(
          `NATS URL "${redactUrl(server.trim())}" is not valid: use nats://host:4222 or tls://host:4222`,
        )
    }
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(s.nats.stream))
    throw new SyncSettingsError('NATS stream name: use letters, digits, "-" or "_" (no dots or spaces)')
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(s.nats.subjectPrefix) || s.nats.subjectPrefix === 'cwmp')
    throw new SyncSettingsError(
      'NATS subject prefix: one token of letters, digits, "-" or "_", other than "cwmp" (that one is Oktopus\')',
    )
  const auth = s.nats.auth
  if (auth.kind === 'userpass' && !auth.user) throw new SyncSettingsError('NATS user/password: the user is empty')
  if (auth.kind === 'token' && !auth.token) throw new SyncSettingsError('NATS token: the token is empty')
  if (auth.kind === 'creds' && !auth.file) throw new SyncSettingsError('NATS credentials: choose a .creds file')
  if (!['none', 'userpass', 'token', 'creds'].includes(auth.kind))
    throw new SyncSettingsError(`NATS authentication "${String((auth as { kind: unknown }).kind)}" is unknown`)
  if (s.mongo.url && !/^mongodb(\+srv)?:\/\/[^/]/.test(s.mongo.url))
    throw new SyncSettingsError(
      `MongoDB URL "${redactUrl(s.mongo.url)}" is not valid: use mongodb://host:27017 or mongodb+srv://cluster`,
    )
  if (!/^[^/\\. "$]{0,63}$/.test(s.mongo.database))
    throw new SyncSettingsError(
      'MongoDB database name: up to 63 characters, without / \\ . " $ or spaces (empty: the one in the URL, else "adapter")',
    )
  const named = mongoDatabase({ url: s.mongo.url, database: '' })
  if (!s.mongo.database && !/^[^/\\. "$]{1,63}$/.test(named))
    throw new SyncSettingsError(
      `MongoDB database "${named}" (from the URL): up to 63 characters, without / \\ . " $ or spaces`,
    )
  if (!Number.isFinite(s.retentionDays) || s.retentionDays < 0 || s.retentionDays > 3650)
    throw new SyncSettingsError('Retention: a number of days from 0 to 3650')
}

/** Settings as shown to the UI: every secret replaced by SECRET_PLACEHOLDER. */
export function redactSyncSettings(s: SyncSettings): SyncSettings {
  const auth: NatsAuth =
    s.nats.auth.kind === 'userpass'
      ? { ...s.nats.auth, password: s.nats.auth.password ? SECRET_PLACEHOLDER : '' }
      : s.nats.auth.kind === 'token'
        ? { ...s.nats.auth, token: SECRET_PLACEHOLDER }
        : s.nats.auth
  return {
    ...s,
    // A NATS URL may carry a token alone (nats://token@host); a MongoDB user alone is no secret.
    nats: { ...s.nats, auth, url: maskUrlSecrets(s.nats.url, true) },
    mongo: { ...s.mongo, url: maskUrlSecrets(s.mongo.url, false) },
  }
}

export function isConfigured(s: SyncSettings, target: SyncTargetName): boolean {
  return Boolean(s[target].url)
}

/** A URL (or comma-separated list) without user or password, for status and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/)[^@/]*@/g, '$1')
}

const USERINFO = /(\/\/)([^@/]*)@/g

/** The secret of a URL's user info: the password after "user:", or all of it when it is a token. */
function userinfoSecret(info: string, tokenToo: boolean): string | null {
  const colon = info.indexOf(':')
  return colon >= 0 ? info.slice(colon + 1) : tokenToo && info ? info : null
}

/** Each server's password (or token) in a URL or comma-separated list replaced by SECRET_PLACEHOLDER. */
function maskUrlSecrets(url: string, tokenToo: boolean): string {
  return url.replace(USERINFO, (whole, slashes: string, info: string) => {
    const secret = userinfoSecret(info, tokenToo)
    if (secret === null) return whole
    return `${slashes}${info.slice(0, info.length - secret.length)}${SECRET_PLACEHOLDER}@`
  })
}

/** A URL sent back with masked secrets gets the stored ones again, server by server in order. */
function restoreUrlSecrets(stored: string, incoming: string, tokenToo: boolean): string {
  if (!incoming.includes(SECRET_PLACEHOLDER)) return incoming
  const secrets = [...stored.matchAll(USERINFO)]
    .map((m) => userinfoSecret(m[2]!, tokenToo))
    .filter((s): s is string => s !== null)
  let i = 0
  return incoming.replaceAll(SECRET_PLACEHOLDER, () => secrets[i++] ?? '')
}

function keepSecrets(current: NatsAuth, incoming: NatsAuth): NatsAuth {
  if (incoming.kind === 'userpass' && incoming.password === SECRET_PLACEHOLDER)
    return { ...incoming, password: current.kind === 'userpass' ? current.password : '' }
  if (incoming.kind === 'token' && incoming.token === SECRET_PLACEHOLDER)
    return { ...incoming, token: current.kind === 'token' ? current.token : '' }
  return incoming
}

/** "host:4222" and "nats://host" both parse; the scheme defaults to nats://. */
export function parseServerUrl(server: string): URL | undefined {
  try {
    return new URL(/^[a-z]+:\/\//i.test(server) ? server : `nats://${server}`)
  } catch {
    return undefined
  }
}
