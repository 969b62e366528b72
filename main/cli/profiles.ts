import { readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { defaultDataDir } from '../core/config'
import { databaseFile, openBenchStore } from '../core/database'
import { ProfileNotFoundError, ProfileStore } from '../core/profiles'
import type { Command } from './command'
import { exitCodeFor, printTable } from './output'

const USAGE = `Usage:
  bench-acs profiles list [--data DIR] [--json]
  bench-acs profiles import FILE [--data DIR] [--json]
  bench-acs profiles export [NAME] [--out FILE] [--yaml] [--data DIR]

  list     the provisioning profiles with their version, devices, events, schedule and steps
  import   adds the profiles of FILE (.json, or .yaml/.yml; as export writes it, or one profile),
           or saves a new version of those already there by name; all are checked first: a bad
           one changes nothing
  export   writes one profile, or all, as one file to share (stdout unless --out): JSON, or YAML
           with --yaml or an --out FILE ending in .yaml/.yml
  --data DIR  data folder (default: ${defaultDataDir()})
See docs/profiles.md.`

export const profilesCommand: Command = {
  name: 'profiles',
  summary: 'List, import and export provisioning profiles',
  usage: USAGE,
  async run(argv) {
    let parsed
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          data: { type: 'string' },
          json: { type: 'boolean' },
          out: { type: 'string' },
          yaml: { type: 'boolean' },
        },
      })
    } catch (error) {
      console.error(`${(error as Error).message}\n\n${USAGE}`)
      return 2
    }
    const { values: o, positionals } = parsed
    const [action, ...rest] = positionals
    if (!['list', 'import', 'export'].includes(action ?? '') || rest.length > 1 || (action === 'import' && !rest[0])) {
      console.error(USAGE)
      return 2
    }
    const store = openBenchStore(databaseFile(o.data ?? defaultDataDir()))
    const profiles = new ProfileStore(store.db, store.outbox)
    try {
      if (action === 'import') {
        const file = rest[0]!
        let content: string
        try {
          content = readFileSync(file, 'utf8')
        } catch (error) {
          console.error(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
          return 2
        }
        const saved = profiles.importFile(content, basename(file))
        if (o.json) console.log(JSON.stringify(saved, null, 2))
        else for (const p of saved) console.log(`Imported ${p.name} (version ${p.version}, ${p.steps.length} steps)`)
        return 0
      }
      if (action === 'export') {
        const name = rest[0]
        const chosen = name === undefined ? profiles.list() : [profiles.get(name) ?? notFound(name)]
        const yaml = o.yaml || (o.out !== undefined && /\.ya?ml$/i.test(o.out))
        const text = profiles.exportFile(chosen, yaml ? 'yaml' : 'json')
        if (o.out) writeFileSync(o.out, text)
        else process.stdout.write(text)
        return 0
      }
      const list = profiles.list()
      if (o.json) console.log(JSON.stringify(list, null, 2))
      else if (list.length === 0) console.log('No profiles yet. Import one with: bench-acs profiles import FILE')
      else printProfiles(list)
      return 0
    } catch (error) {
      return exitCodeFor(error)
    } finally {
      store.close()
    }
  },
}

function notFound(name: string): never {
  throw new ProfileNotFoundError(name)
}

function printProfiles(list: ReturnType<ProfileStore['list']>): void {
  const rows = list.map((p) => [
    p.name,
    String(p.version),
    p.enabled ? 'yes' : 'no',
    Object.entries(p.match)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ') || 'any',
    [p.when.events.join(', '), p.when.schedule ? `cron ${p.when.schedule}` : ''].filter(Boolean).join('; ') ||
      'by hand',
    String(p.steps.length),
  ])
  printTable(['NAME', 'VERSION', 'ENABLED', 'DEVICES', 'WHEN', 'STEPS'], rows)
}
