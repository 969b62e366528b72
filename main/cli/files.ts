import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { imageHeader } from '../../common/firmware-image'
import { configWithStoredSettings } from '../core/settings'
import { defaultDataDir } from '../core/config'
import { databaseFile, openBenchStore } from '../core/database'
import { FileLibrary, type LibraryFile } from '../core/files'
import { printable, printableJson } from '../core/printable'
import type { Command } from './command'
import { exitCodeFor, printTable } from './output'

const USAGE = `Usage:
  bench-acs files add FILE [--type T] [--version V] [--product-class PC] [--name NAME]
                           [--description TEXT] [--username U --password P] [--data DIR] [--json]
  bench-acs files list [--data DIR] [--json]
  bench-acs files rm NAME [--data DIR]
  bench-acs files make-image --version V [--product-class PC] [--size BYTES] OUT

  --type T       firmware (default), config, web, tone, ringer, vendor-log, or a TR-069 FileType
  --version V    the firmware version (read from a Bench ACS test image when left out)
  --username U, --password P   Digest credentials the file server asks for (sent in the Download)
  --data DIR     data folder (default: ${defaultDataDir()})

The ACS serves the library at http://<its address>:<CWMP port>/files/NAME (docs/acs.md).
make-image writes a test firmware image a simulated CPE installs as version V (docs/simulator.md).`

/** `bench-acs files …`: the file library in the data folder (works while the app runs, too). */
export const filesCommand: Command = {
  name: 'files',
  summary: 'Add, list and remove files of the library (firmware, configurations)',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv
    let parsed
    try {
      parsed = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          data: { type: 'string' },
          json: { type: 'boolean' },
          type: { type: 'string' },
          version: { type: 'string' },
          'product-class': { type: 'string' },
          name: { type: 'string' },
          description: { type: 'string' },
          username: { type: 'string' },
          password: { type: 'string' },
          size: { type: 'string' },
        },
      })
    } catch (error) {
      console.error(`${(error as Error).message}\n\n${USAGE}`)
      return 2
    }
    const { values: o, positionals } = parsed
    if (sub === 'make-image') return makeImage(o, positionals)
    if (!sub || !['add', 'list', 'rm'].includes(sub) || (sub !== 'list' && positionals.length !== 1)) {
      console.error(USAGE)
      return 2
    }
    const dataDir = o.data ?? defaultDataDir()
    const store = openBenchStore(databaseFile(dataDir))
    try {
      const config = configWithStoredSettings(store, { dataDir })
      const library = new FileLibrary({ dataDir, store, maxBytes: () => config.files.maxBytes })
      if (sub === 'add') {
        const file = await library.add(
          { path: positionals[0]! },
          {
            ...(o.name !== undefined ? { name: o.name } : {}),
            ...(o.type !== undefined ? { type: o.type } : {}),
            ...(o.version !== undefined ? { version: o.version } : {}),
            ...(o['product-class'] !== undefined ? { productClass: o['product-class'] } : {}),
            ...(o.description !== undefined ? { description: o.description } : {}),
            ...(o.username !== undefined ? { username: o.username, password: o.password ?? '' } : {}),
          },
        )
        if (o.json) console.log(printableJson(file))
        else console.log(printable(`Added ${file.name}: ${describe(file)}`))
        return 0
      }
      if (sub === 'rm') {
        const file = library.remove(positionals[0]!)
        console.log(`Removed ${file.name}.`)
        return 0
      }
      const files = library.list()
      if (o.json) console.log(printableJson(files))
      else if (files.length === 0) console.log('The library is empty. Add a file with: bench-acs files add FILE')
      else printFiles(files)
      return 0
    } catch (error) {
      return exitCodeFor(error)
    } finally {
      store.close()
    }
  },
}

function describe(f: LibraryFile): string {
  return `${f.fileType}, ${f.size} bytes${f.version ? `, version ${f.version}` : ''}${f.productClass ? ` for ${f.productClass}` : ''}, sha256 ${f.sha256}`
}

function printFiles(files: LibraryFile[]): void {
  const rows = files.map((f) => [
    f.name,
    f.fileType,
    String(f.size),
    f.version || '-',
    f.productClass || '-',
    f.sha256.slice(0, 12),
    new Date(f.addedAt).toISOString().slice(0, 16).replace('T', ' '),
    String(f.downloads),
    f.ownerSerial ? `upload of ${f.ownerSerial}` : '',
  ])
  printTable(['NAME', 'TYPE', 'SIZE', 'VERSION', 'PRODUCT', 'SHA256', 'ADDED', 'DOWNLOADS', ''], rows)
}

function makeImage(o: { version?: string; 'product-class'?: string; size?: string }, positionals: string[]): number {
  const size = o.size === undefined ? 1024 * 1024 : Number(o.size)
  if (!o.version || positionals.length !== 1 || !Number.isInteger(size) || size < 0 || size > 1024 ** 3) {
    console.error(`make-image needs --version V and one OUT file (--size: whole bytes, at most 1 GiB).\n\n${USAGE}`)
    return 2
  }
  let header: string
  try {
    header = imageHeader({ version: o.version, productClass: o['product-class'] ?? '' })
  } catch (error) {
    console.error((error as Error).message)
    return 2
  }
  writeFileSync(positionals[0]!, Buffer.concat([Buffer.from(header), randomBytes(size)]), { flag: 'wx' })
  console.log(`Wrote ${positionals[0]}: a test image of version ${o.version} (${size} bytes after the header).`)
  return 0
}
