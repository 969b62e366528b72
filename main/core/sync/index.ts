// Sync to central servers through the durable outbox: see docs/sync.md.
export { SyncService, type SyncServiceOptions, type SyncTuning } from './service'
export { SyncSettingsError, SECRET_PLACEHOLDER, defaultSyncSettings, redactUrl } from './settings'
export { SyncTargetError } from './errors'
export * from './types'
