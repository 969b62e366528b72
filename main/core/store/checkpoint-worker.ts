// Worker thread: moves the WAL's pages into the database file (a PASSIVE checkpoint) on its own
// connection, so that no CWMP session's commit on the main thread pays for it (checkpoints.ts).
import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { errorMessage } from '../errors'
import type { CheckpointReport, CheckpointWorkerData } from './checkpoints'

const { file, nativeBinding, everyMs } = workerData as CheckpointWorkerData
const port = parentPort!
const post = (report: CheckpointReport) => port.postMessage(report)

let db: Database.Database
try {
  db = new Database(file, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) })
  // A write on the main thread holds the WAL briefly; the next tick tries again.
  db.pragma('busy_timeout = 0')
  post({ kind: 'ready' })
} catch (error) {
  post({ kind: 'failed', message: errorMessage(error) })
  process.exit(1)
}

// data_version changes when another connection (the main thread's) commits: nothing new, no checkpoint.
let seen = -1
let complete = false
const timer = setInterval(() => {
  try {
    const version = db.pragma('data_version', { simple: true }) as number
    if (version === seen && complete) return
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[]
    seen = version
    if (!r) return
    complete = r.checkpointed === r.log
    post({ kind: 'checkpoint', walPages: r.log, complete })
  } catch (error) {
    // SQLITE_BUSY (another checkpoint, a VACUUM): not a failure, the next tick tries again.
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') {
      post({ kind: 'failed', message: errorMessage(error) })
      process.exit(1)
    }
  }
}, everyMs)

port.on('message', (message: 'stop') => {
  if (message !== 'stop') return
  clearInterval(timer)
  db.close()
  port.close()
})
