// Sync to NATS JetStream / MongoDB: status, settings, pause and resume.
import type {
  SyncSettings,
  SyncSettingsPatch,
  SyncStatus,
  SyncTargetName,
  SyncTargetStatus,
} from '../../main/core/sync/types'

export type { SyncSettings, SyncSettingsPatch, SyncStatus, SyncTargetName, SyncTargetStatus }

export interface SyncCalls {
  status(): Promise<SyncStatus>
  /** Secrets come back as a placeholder; sending the placeholder back keeps the stored secret. */
  settings(): Promise<SyncSettings>
  configure(patch: SyncSettingsPatch): Promise<SyncSettings>
  pause(target?: SyncTargetName): Promise<SyncStatus>
  resume(target?: SyncTargetName): Promise<SyncStatus>
  syncNow(target?: SyncTargetName): Promise<SyncStatus>
  /** Sends quarantined rows again (a target's, or the one with this outbox seq). */
  retryQuarantined(target?: SyncTargetName, seq?: number): Promise<SyncStatus>
}
