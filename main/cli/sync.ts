import { parseArgs } from 'node:util'
import { defaultDataDir } from '../core/config'
import { BenchEvents } from '../core/events'
import { printable, printableJson } from '../core/printable'
import {
  SyncService,
  SyncSettingsError,
  type SyncSettingsPatch,
  type SyncStatus,
  type SyncTargetName,
  type SyncTargetStatus,
} from '../core/sync'
import type { Command } from './command'
import { openBenchStore, databaseFile } from '../core/database'
import { errorMessage } from '../core/errors'

/** Errors and quarantined rows carry what CPEs sent (serials): every line escaped, one line each. */
const out = (line: string) => console.log(printable(line))

const USAGE = `Usage: bench-acs sync --once [--data DIR] [--nats URL] [--mongo URL] [--json]
       bench-acs sync --status [--data DIR] [--json]

Sends what the outbox holds to the central servers and exits (\`bench-acs serve\` syncs all the
time it runs). Without --nats/--mongo it uses the targets set on the app's Sync page; with them,
only the targets given, for this run (nothing is saved).

  --once        drain the outbox once, then exit with a summary
  --status      show each target's backlog, last success and last error, and exit
  --data DIR    data folder (default: ${defaultDataDir()})
  --nats URL    NATS server, e.g. nats://user:pass@central:4222
  --mongo URL   MongoDB, e.g. mongodb://central:27017/adapter
  --mongo-db DB MongoDB database (default: the one in the URL, else "adapter", as Oktopus)
  --json        print the summary as JSON

Exit status: 0 when every target got everything, 1 when rows remain or a target failed (the summary
says why and what to do), 2 on bad options.`

export const syncCommand: Command = {
  name: 'sync',
  summary: 'Send the outbox to NATS JetStream / MongoDB once, or show sync status',
  usage: USAGE,
  async run(argv) {
    let values
    try {
      values = parseArgs({
        args: argv,
        options: {
          once: { type: 'boolean' },
          status: { type: 'boolean' },
          data: { type: 'string' },
          nats: { type: 'string' },
          mongo: { type: 'string' },
          'mongo-db': { type: 'string' },
          json: { type: 'boolean' },
        },
      }).values
    } catch (error) {
      console.error(`${errorMessage(error)}\n\n${USAGE}`)
      return 2
    }
    if (!values.once && !values.status) {
      console.error(`Say what to do: --once or --status.\n\n${USAGE}`)
      return 2
    }
    const store = openBenchStore(databaseFile(values.data ?? defaultDataDir()))
    const events = new BenchEvents()
    const sync = new SyncService({ store, events })
    try {
      if (values.status) {
        printStatus(sync.status(), Boolean(values.json))
        return 0
      }
      const patch: SyncSettingsPatch = {}
      const targets: SyncTargetName[] = []
      if (values.nats) {
        patch.nats = { url: values.nats, enabled: true }
        targets.push('nats')
      }
      if (values.mongo) {
        patch.mongo = { url: values.mongo, enabled: true, database: values['mongo-db'] ?? '' }
        targets.push('mongo')
      }
      const status = sync.status()
      const chosen = targets.length > 0 ? targets : status.targets.filter((t) => t.configured).map((t) => t.target)
      if (chosen.length === 0) {
        console.error('No sync target is set: pass --nats URL and/or --mongo URL, or set them on the Sync page.')
        return 1
      }
      const backlog = status.outbox.rows
      if (!values.json) console.error(`Outbox: ${backlog} rows. Sending to ${chosen.join(' and ')}…`)
      const stopProgress = values.json ? () => {} : showProgress(events)
      let summary
      try {
        summary = await sync.drainOnce({ targets: chosen, settings: patch })
      } finally {
        stopProgress()
      }
      if (values.json) console.log(printableJson(summary))
      else {
        for (const t of summary.targets) {
          const dup = t.duplicates > 0 ? ` (${t.duplicates} already on the server, not stored twice)` : ''
          const aside = t.quarantined > 0 ? `, ${t.quarantined} set aside (see --status)` : ''
          out(`${t.target}  ${t.url}  sent ${t.sent}${dup}, ${t.remaining} remaining${aside}`)
          if (t.error) {
            out(`  ${t.error.message}`)
            out(`  ${t.error.hint}`)
          }
        }
        out(`Done in ${(summary.durationMs / 1000).toFixed(1)} s.`)
      }
      return summary.targets.every((t) => t.remaining === 0 && t.quarantined === 0 && !t.error) ? 0 : 1
    } catch (error) {
      if (error instanceof SyncSettingsError) {
        console.error(error.message)
        return 2
      }
      throw error
    } finally {
      await sync.close()
      store.close()
    }
  },
}

/** One progress line per target at most every second, on stderr (stdout keeps the summary). */
function showProgress(events: BenchEvents): () => void {
  const last = new Map<string, number>()
  return events.on('sync.status', (status) => {
    for (const t of status.targets) {
      if (!t.progress) continue
      const now = Date.now()
      if (now - (last.get(t.target) ?? 0) < 1000) continue
      last.set(t.target, now)
      console.error(`${t.target}: ${t.progress.done}/${t.progress.total} sent, ${t.progress.ratePerSecond}/s`)
    }
  })
}

function printStatus(status: SyncStatus, json: boolean): void {
  if (json) {
    console.log(printableJson(status))
    return
  }
  out(`Site ${status.site}; outbox ${status.outbox.rows} rows; retention ${status.retentionDays} days`)
  for (const t of status.targets) {
    if (!t.configured) {
      out(`${t.target}  not configured`)
      continue
    }
    const when = t.lastSuccessAt ? new Date(t.lastSuccessAt).toISOString() : 'never'
    out(`${t.target}  ${t.url}  ${t.enabled ? '' : '(disabled) '}backlog ${t.backlog}, last success ${when}`)
    if (t.lastError) {
      out(`  last error: ${t.lastError.message}`)
      out(`  ${t.lastError.hint}`)
    }
    printQuarantine(t)
  }
}

function printQuarantine({ quarantine }: SyncTargetStatus): void {
  if (quarantine.count === 0) return
  out(`  ${quarantine.count} row(s) set aside, the server refuses them as they are (sync --once retries them):`)
  for (const r of quarantine.rows)
    out(`    #${r.seq} ${r.topic} ${r.key ?? '-'} (${r.bytes} bytes, tried ${r.attempts}×): ${r.reason}`)
  if (quarantine.count > quarantine.rows.length) out(`    … and ${quarantine.count - quarantine.rows.length} more`)
  out(`  ${quarantine.rows[0]!.hint}`)
}
