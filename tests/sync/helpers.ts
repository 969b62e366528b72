import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, type NatsConnection } from 'nats'
import { databaseFile, openBenchStore } from '../../main/core/database'
import type { BenchEvents } from '../../main/core/events'
import type { Store } from '../../main/core/store'
import type { SyncStatus, SyncTargetName, SyncTargetStatus } from '../../main/core/sync'

export function tempDir(prefix = 'bench-sync-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A bench store in a temporary folder; `cleanups` closes it and removes the folder. */
export function openTempStore(cleanups: (() => Promise<void> | void)[]): Store {
  const tmp = tempDir()
  const store = openBenchStore(databaseFile(tmp.dir))
  cleanups.push(tmp.cleanup, () => store.close())
  return store
}

/** Fast retries and short timeouts so failure paths take milliseconds, not the app's seconds. */
export const FAST = {
  retry: { minMs: 20, maxMs: 200 },
  idlePollMs: 50,
  statusIntervalMs: 10,
  connectTimeoutMs: 2000,
  publishTimeoutMs: 3000,
}

/** Writes n events (each with its outbox row) the way the app does, in transactions of 1000. */
export function produce(store: Store, n: number, label = 'record'): void {
  for (let start = 0; start < n; start += 1000) {
    store.transaction(() => {
      for (let i = start; i < Math.min(n, start + 1000); i++)
        store.events.append({ kind: 'system', serial: `SN${i % 50}`, summary: `${label} ${i}` })
    })
  }
}

/** Resolves with the first status (current or emitted) whose target matches the predicate. */
export function waitForTarget(
  events: BenchEvents,
  current: () => SyncStatus,
  target: SyncTargetName,
  predicate: (t: SyncTargetStatus) => boolean,
  timeoutMs = 20_000,
): Promise<SyncTargetStatus> {
  return new Promise((resolve, reject) => {
    const pick = (s: SyncStatus) => s.targets.find((t) => t.target === target)!
    const now = pick(current())
    if (predicate(now)) return resolve(now)
    const timer = setTimeout(() => {
      off()
      reject(new Error(`timed out waiting for ${target}; last status ${JSON.stringify(pick(current()))}`))
    }, timeoutMs)
    const off = events.on('sync.status', (s) => {
      const t = pick(s)
      if (predicate(t)) {
        clearTimeout(timer)
        off()
        resolve(t)
      }
    })
  })
}

/** Polls a condition (for things that emit no event, like another process' progress). */
export async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 20_000, everyMs = 5) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

export interface StoredMessage {
  seq: number
  subject: string
  msgId: string | undefined
  data: string
  headers: Record<string, string>
}

export async function withNats<T>(url: string, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: url })
  try {
    return await fn(nc)
  } finally {
    await nc.close()
  }
}

export async function streamCount(url: string, stream: string): Promise<number> {
  return withNats(url, async (nc) => {
    const jsm = await nc.jetstreamManager()
    return (await jsm.streams.info(stream)).state.messages
  })
}

/** Every message stored in a stream, in stream order (an ordered consumer reads them all). */
export async function streamMessages(url: string, stream: string): Promise<StoredMessage[]> {
  return withNats(url, async (nc) => {
    const jsm = await nc.jetstreamManager()
    const total = (await jsm.streams.info(stream)).state.messages
    const out: StoredMessage[] = []
    if (total === 0) return out
    const consumer = await nc.jetstream().consumers.get(stream)
    const messages = await consumer.consume()
    for await (const m of messages) {
      const headers: Record<string, string> = {}
      for (const [k, v] of m.headers ?? []) headers[k] = v.join(',')
      out.push({ seq: m.seq, subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), data: m.string(), headers })
      if (m.info.pending === 0) break
    }
    messages.stop()
    return out
  })
}
