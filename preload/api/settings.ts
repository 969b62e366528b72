// The app itself, and the settings a technician edits (the ACS listener's among them).
export interface AppInfo {
  version: string
  /** Which shell carries the API. */
  shell: 'electron' | 'browser'
  dataDir: string
  /** Which services this build has running; pages for missing ones say so instead of failing. */
  services: { acs: boolean; scripts: boolean; sim: boolean; sync: boolean }
}

/** Settings a technician edits; persisted in the settings table and applied at once. */
export interface SettingsView {
  acs: {
    port: number
    bind: string
    /** PEM files for HTTPS; empty for plain HTTP. */
    tlsCertFile: string
    tlsKeyFile: string
    authMode: 'none' | 'basic' | 'digest'
    authUsername: string
    /**
     * Secrets are never sent to the UI: a set password reads as SECRET_PLACEHOLDER, an unset one as
     * "". Saving the placeholder back keeps the stored password; any other value replaces it, "" clears it.
     */
    authPassword: string
    /** cwmp.keepSecretsInLog: stored SOAP bodies keep secrets as sent (local log only; synced records stay masked). */
    keepSecretsInLog: boolean
  }
  /** The password as authPassword: the placeholder when set. */
  connectionRequest: { username: string; password: string }
  /** As a script's limits (docs/scripting.md): wall time in ms (0: none), worker memory in MiB. */
  scripts: { wallMs: number; memoryMb: number }
  /** The file library: its largest file, bytes (1 MiB to 64 GiB). */
  files: { maxBytes: number }
  /** What the database keeps (docs/retention.md): days of each history (0: no age limit), cap in MiB (0: none). */
  retention: { eventsDays: number; runsDays: number; fetchesDays: number; maxMb: number; convertBelowMb: number }
}

export type SettingsPatch = {
  [K in keyof SettingsView]?: Partial<SettingsView[K]>
}

export interface AcsStatus {
  listening: boolean
  /** Where CPEs should point their ACS URL: one per LAN address of this machine. */
  urls: string[]
  port: number
  bind: string
  tls: boolean
  /** Why the listener is not running, when it is not. */
  error?: string
}

export interface SettingsSaveResult {
  settings: SettingsView
  acs: AcsStatus
  /** What changed that the user should know, e.g. "The ACS listener restarted on port 7548." */
  notes: string[]
  /** What went wrong applying them, e.g. the new port is in use. */
  warnings: string[]
}

export interface AppCalls {
  info(): Promise<AppInfo>
}

export interface SettingsCalls {
  get(): Promise<SettingsView>
  save(patch: SettingsPatch): Promise<SettingsSaveResult>
  acsStatus(): Promise<AcsStatus>
}
