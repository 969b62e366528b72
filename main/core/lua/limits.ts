import { BenchError } from '../errors'
/**
 * What one script run may use. Every limit is per run; a run that crosses one is stopped and ends
 * with status "killed" (or "timeout" for wall time) and a sentence saying which limit it hit.
 */
/** Largest script source accepted, bytes. */
export const MAX_SOURCE_BYTES = 1024 * 1024

export interface ScriptLimits {
  /** Wall-clock time for the whole run, ms; 0 = none (listener scripts run until stopped). */
  wallMs: number
  /**
   * Time the script may spend running Lua without waiting, ms. Every host call that waits (an RPC,
   * sleep, listen_to_cwmp_event, get_device …) starts a new slice, so a listener that runs for
   * days never hits it, while `while true do end` is stopped after this long.
   */
  cpuMs: number
  /** JavaScript heap of the run's worker (its Fengari state), MiB. */
  memoryMb: number
  /** Largest string string.rep, table.concat, string.format and json.encode may build, bytes. */
  maxStringBytes: number
  /** Total text the run may print or log, bytes; past it the run is stopped. */
  outputBytes: number
  /**
   * How long one library call may run without returning to Lua (e.g. string.rep of a huge
   * string), ms; past it the worker is terminated. Only library calls are measured this way:
   * Lua code is measured by cpuMs.
   */
  libraryCallMs: number
}

export const DEFAULT_LIMITS: ScriptLimits = {
  wallMs: 0,
  cpuMs: 10_000,
  memoryMb: 128,
  maxStringBytes: 16 * 1024 * 1024,
  outputBytes: 1024 * 1024,
  libraryCallMs: 5_000,
}

/** Bounds on what a script (or the settings) may ask for, so a typo cannot disable protection. */
const BOUNDS: Record<keyof ScriptLimits, { min: number; max: number; zeroMeansNone?: boolean; what: string }> = {
  wallMs: { min: 100, max: 30 * 24 * 3_600_000, zeroMeansNone: true, what: 'wall time (ms)' },
  cpuMs: { min: 10, max: 3_600_000, what: 'CPU time (ms)' },
  memoryMb: { min: 16, max: 4096, what: 'memory (MiB)' },
  maxStringBytes: { min: 1024, max: 1024 * 1024 * 1024, what: 'string size (bytes)' },
  outputBytes: { min: 1024, max: 64 * 1024 * 1024, what: 'output size (bytes)' },
  libraryCallMs: { min: 100, max: 600_000, what: 'library call time (ms)' },
}

export class LimitError extends BenchError {
  constructor(message: string) {
    super('input', message)
  }
}

/** Checks a partial set of limits from a user (script settings, CLI flags, the API). */
export function checkLimits(input: unknown): Partial<ScriptLimits> {
  if (input === undefined || input === null) return {}
  if (typeof input !== 'object' || Array.isArray(input)) throw new LimitError('limits must be an object')
  const out: Partial<ScriptLimits> = {}
  for (const [key, value] of Object.entries(input)) {
    const bound = BOUNDS[key as keyof ScriptLimits]
    if (!bound) throw new LimitError(`unknown limit "${key}" (known: ${Object.keys(BOUNDS).join(', ')})`)
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isInteger(value))
      throw new LimitError(`limit ${key} must be a whole number, got ${JSON.stringify(value)}`)
    if (!(bound.zeroMeansNone && value === 0) && (value < bound.min || value > bound.max))
      throw new LimitError(
        `limit ${key} (${bound.what}) must be between ${bound.min} and ${bound.max}${bound.zeroMeansNone ? ', or 0 for none' : ''}; got ${value}`,
      )
    out[key as keyof ScriptLimits] = value
  }
  return out
}

/** The app-wide defaults (config.scripts, set in Settings) as limits; a bad value is skipped and logged. */
export function limitsFromSettings(
  settings: { wallMs: number; memoryMb: number },
  log: (level: 'warn', message: string) => void,
): Partial<ScriptLimits> {
  const wanted = { wallMs: settings.wallMs, memoryMb: settings.memoryMb }
  const out: Partial<ScriptLimits> = {}
  for (const [key, value] of Object.entries(wanted)) {
    try {
      Object.assign(out, checkLimits({ [key]: value }))
    } catch (error) {
      log('warn', `script setting ignored: ${(error as Error).message}`)
    }
  }
  return out
}

/** Later layers win: defaults < app settings < the script's own < this run's overrides. */
export function resolveLimits(...layers: (Partial<ScriptLimits> | undefined)[]): ScriptLimits {
  const out = { ...DEFAULT_LIMITS }
  for (const layer of layers) {
    if (!layer) continue
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) out[key as keyof ScriptLimits] = value
    }
  }
  return out
}

export function describeBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${+(n / (1024 * 1024 * 1024)).toFixed(1)} GiB`
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`
  return `${n} bytes`
}

export function describeMs(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`
  if (ms >= 1000) return `${+(ms / 1000).toFixed(1)} s`
  return `${ms} ms`
}
