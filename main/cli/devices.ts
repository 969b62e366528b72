import { parseArgs } from 'node:util'
import { defaultDataDir } from '../core/config'
import type { Command } from './command'
import { openBenchStore, databaseFile } from '../core/database'
import { printable, printableJson } from '../core/printable'
import { CapabilityStore } from '../core/acs/capabilities'

const STATUS = ['offline', 'associating', 'online']

export const devicesCommand: Command = {
  name: 'devices',
  summary: 'List the devices in the store',
  usage:
    'Usage: bench-acs devices [--data DIR] [--json]\n\n  --data DIR  data folder (default: ' +
    defaultDataDir() +
    ')\n  --json      print JSON instead of a table',
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, json: { type: 'boolean' } } })
    const store = openBenchStore(databaseFile(values.data ?? defaultDataDir()))
    try {
      const devices = store.devices.list().map(({ connectionRequestPassword: _pw, ...d }) => d)
      if (values.json) {
        // What the ACS learned about each (partial paths, cookies, an unstable mark): docs/acs.md.
        const caps = new CapabilityStore(store)
        console.log(
          printableJson(
            devices.map((d) => {
              const { serial: _serial, ...capabilities } = caps.get(d.serial, d.cwmpVersion)
              return { ...d, capabilities }
            }),
          ),
        )
        return 0
      }
      if (devices.length === 0) {
        console.log(
          "No devices yet. Point a CPE's ACS URL at this machine (bench-acs serve) or start simulated CPEs (bench-acs sim).",
        )
        return 0
      }
      // Every cell but the last two is what a CPE sent: escaped before widths are measured.
      const rows = devices.map((d) =>
        [
          d.serial,
          d.manufacturer,
          d.model || d.productClass,
          d.softwareVersion,
          d.ip,
          STATUS[d.status] ?? String(d.status),
          d.lastInform ? new Date(d.lastInform).toISOString() : '-',
        ].map(printable),
      )
      const header = ['SERIAL', 'VENDOR', 'MODEL', 'SOFTWARE', 'IP', 'STATUS', 'LAST INFORM']
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
      for (const r of [header, ...rows])
        console.log(
          r
            .map((c, i) => c.padEnd(widths[i]!))
            .join('  ')
            .trimEnd(),
        )
      return 0
    } finally {
      store.close()
    }
  },
}
