import type { BenchConfig, DeepPartial } from './config'
import { defaultConfig } from './config'
import type { Store } from './store'

/**
 * What the API shows for a stored secret (passwords, tokens) instead of the secret: the UI can show
 * that one is set, and a form sent back unchanged with it keeps the stored secret. Anything else
 * sent in its place replaces the secret; an empty value clears it.
 */
export const SECRET_PLACEHOLDER = '••••••••'

/** Settings key of the config patch the UI saves (Settings page); see main/api/settings.ts. */
export const STORED_CONFIG_KEY = 'config'

/** Merges b into a: objects deeply, anything else (null included) replaces. */
export function mergePatch<T extends Record<string, unknown>>(a: T, b: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...a }
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue
    const cur = out[k]
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
        ? mergePatch(cur as Record<string, unknown>, v as Record<string, unknown>)
        : v
  }
  return out as T
}

/**
 * The effective config: defaults, then what the technician saved in Settings, then the explicit
 * overrides of this start (command-line flags, tests), which win. A null TLS entry saved to turn
 * HTTPS off removes it.
 */
export function configWithStoredSettings(store: Store, overrides: DeepPartial<BenchConfig>): BenchConfig {
  const stored = store.settings.get<Record<string, unknown>>(STORED_CONFIG_KEY, {})
  const config = defaultConfig(mergePatch(stored, overrides as Record<string, unknown>) as DeepPartial<BenchConfig>)
  if (config.cwmp.tls === null) delete config.cwmp.tls
  return config
}
