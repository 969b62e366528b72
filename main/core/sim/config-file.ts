import type { DataModel } from './model/data-model'
import { checkValue } from './model/xsd'

/**
 * The "vendor configuration file" a simulated CPE uploads, and accepts back by Download: every
 * writable parameter, plus the instances of writable tables so that restoring recreates them.
 */
export const CONFIG_FORMAT = 'bench-acs-sim-config/1'

interface ConfigFile {
  format: string
  serial: string
  created: string
  instances: string[]
  parameters: Record<string, string>
}

export function buildConfigFile(model: DataModel, serial: string): Buffer {
  const file: ConfigFile = {
    format: CONFIG_FORMAT,
    serial,
    created: new Date().toISOString(),
    instances: [],
    parameters: {},
  }
  for (const e of model.under('')) {
    if (e.object) {
      const m = /^(.*\.)\d+\.$/.exec(e.name)
      if (m && model.entry(m[1]!)?.writable) file.instances.push(e.name)
    } else if (e.writable) file.parameters[e.name] = model.valueOf(e)
  }
  return Buffer.from(JSON.stringify(file, null, 2) + '\n')
}

/**
 * Applies a configuration file all-or-nothing. Throws an Error saying what is wrong (the CPE
 * reports it as 9018, file corrupted) and leaves the model untouched.
 */
export function applyConfigFile(model: DataModel, content: Buffer): void {
  let file: ConfigFile
  try {
    file = JSON.parse(content.toString('utf8')) as ConfigFile
  } catch {
    throw new Error('the file is not a configuration file of this device (not JSON)')
  }
  if (file?.format !== CONFIG_FORMAT || typeof file.parameters !== 'object' || !Array.isArray(file.instances))
    throw new Error(`the file is not a configuration file of this device (expected format ${CONFIG_FORMAT})`)
  const before = model.snapshot()
  try {
    const wanted = new Set(file.instances)
    // Remove instances of writable tables that the file does not have, then create the missing ones.
    for (const e of [...model.under('')]) {
      const m = /^(.*\.)(\d+)\.$/.exec(e.name)
      if (e.object && m && model.entry(m[1]!)?.writable && !wanted.has(e.name) && model.entry(e.name))
        model.deleteInstance(e.name)
    }
    for (const path of file.instances) {
      if (model.entry(path)) continue
      const m = /^(.*\.)(\d+)\.$/.exec(path)
      if (!m) throw new Error(`"${path}" is not an instance path`)
      model.addInstance(m[1]!, Number(m[2]))
    }
    for (const [name, raw] of Object.entries(file.parameters)) {
      const e = model.entry(name)
      if (!e || e.object || !e.writable) continue // another firmware's parameter: skipped, as real CPEs do
      const check = checkValue(e.type as Exclude<typeof e.type, ''>, String(raw), e.constraints, e.value)
      if (!check.ok) throw new Error(`${name}: ${check.reason}`)
      model.set(name, check.value)
    }
  } catch (error) {
    model.restore(before)
    throw error instanceof Error ? error : new Error(String(error))
  }
}
