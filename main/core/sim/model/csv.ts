import {
  buildDefinition,
  ModelError,
  parseFlag,
  type DeviceIdDefaults,
  type ModelDefinition,
  type RawRow,
} from './definition'

/**
 * genieacs-sim's CSV format: a header row naming the columns Parameter, Object, Writable, Value and
 * "Value type" (in any order), then one row per object or parameter. DeviceID.Manufacturer, .OUI and
 * .ProductClass rows give the Inform's DeviceId; DeviceID.SerialNumber is replaced per CPE.
 * Rows whose path contains "{i}" (our extension) are instance templates for AddObject.
 */
export function parseCsvModel(text: string, source: string): ModelDefinition {
  const records = parseCsv(text, source)
  const header = records.shift()
  if (!header) throw new ModelError(source, 'the file is empty')
  const col = (name: string) => {
    const i = header.cells.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase())
    if (i < 0)
      throw new ModelError(source, `line 1: no "${name}" column (expected Parameter,Object,Writable,Value,Value type)`)
    return i
  }
  const [iName, iObject, iWritable, iValue, iType] = ['Parameter', 'Object', 'Writable', 'Value', 'Value type'].map(col)
  const rows: RawRow[] = []
  const deviceId: Partial<DeviceIdDefaults> = {}
  for (const { cells, line } of records) {
    if (cells.length === 1 && cells[0]!.trim() === '') continue
    const where = `line ${line}`
    const name = (cells[iName!] ?? '').trim()
    if (!name) throw new ModelError(source, `${where}: empty Parameter`)
    const value = cells[iValue!] ?? ''
    if (name.startsWith('DeviceID.')) {
      const key = name.slice('DeviceID.'.length)
      if (key === 'Manufacturer') deviceId.manufacturer = value
      else if (key === 'OUI') deviceId.oui = value
      else if (key === 'ProductClass') deviceId.productClass = value
      continue
    }
    rows.push({
      name,
      object: parseFlag(cells[iObject!] ?? '', 'Object', source, where),
      writable: parseFlag(cells[iWritable!] ?? '', 'Writable', source, where),
      value,
      type: cells[iType!] ?? '',
      where,
    })
  }
  return buildDefinition(source, rows, { deviceId })
}

/** RFC 4180: quoted cells may hold commas, doubled quotes and newlines. */
function parseCsv(text: string, source: string): { cells: string[]; line: number }[] {
  const out: { cells: string[]; line: number }[] = []
  let cells: string[] = []
  let cell = ''
  let quoted = false
  let line = 1
  let rowLine = 1
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          cell += '"'
          i++
        } else quoted = false
      } else {
        if (c === '\n') line++
        cell += c
      }
    } else if (c === '"' && cell === '') quoted = true
    else if (c === ',') {
      cells.push(cell)
      cell = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++
      cells.push(cell)
      out.push({ cells, line: rowLine })
      cells = []
      cell = ''
      line++
      rowLine = line
    } else cell += c
  }
  if (quoted) throw new ModelError(source, `line ${rowLine}: unterminated quoted value`)
  if (cell !== '' || cells.length > 0) {
    cells.push(cell)
    out.push({ cells, line: rowLine })
  }
  return out
}
