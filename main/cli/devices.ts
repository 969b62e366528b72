import { parseArgs } from 'node:util'
import { defaultDataDir } from '../core/config'
import type { Command } from './command'
import { printTable } from './output'
import { openBenchStore, databaseFile } from '../core/database'
import { printableJson } from '../core/printable'
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
      // Most cells are what a CPE sent: printTable escapes them before measuring widths.
      const rows = devices.map((d) => [
        d.serial,
        d.manufacturer,
        d.model || d.productClass,
        d.softwareVersion,
        d.ip,
        STATUS[d.status] ?? String(d.status),
        d.lastInform ? new Date(d.lastInform).toISOString() : '-',
      ])
      printTable(['SERIAL', 'VENDOR', 'MODEL', 'SOFTWARE', 'IP', 'STATUS', 'LAST INFORM'], rows)
      return 0
    } finally {
      store.close()
    }
  },
}
