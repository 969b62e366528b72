// Entry of a script run's worker thread (out/main/lua-worker.js in the build). One run per
// worker: the main thread sends "start", answers host calls, and terminates the worker when the
// run is stopped or breaks a limit that Lua cannot enforce itself.
import { parentPort } from 'node:worker_threads'
import type { MainToWorker, ReplyMessage } from '../protocol'
import { runScript } from './driver'

const port = parentPort
if (!port) throw new Error('the Lua worker must run in a worker thread')

let nextId = 1
const waiting = new Map<number, (reply: ReplyMessage) => void>()

port.on('message', (message: MainToWorker) => {
  if (message.type === 'reply') {
    const resolve = waiting.get(message.id)
    waiting.delete(message.id)
    resolve?.(message)
    return
  }
  if (message.type === 'start') {
    runScript(message, {
      post: (m) => port.postMessage(m),
      call: (name, args) =>
        new Promise<ReplyMessage>((resolve) => {
          const id = nextId++
          waiting.set(id, resolve)
          port.postMessage({ type: 'call', id, name, args })
        }),
    }).then(
      () => port.close(),
      (error: unknown) => {
        port.postMessage({
          type: 'done',
          status: 'error',
          failure: { message: `the script runtime failed: ${error instanceof Error ? error.stack : String(error)}` },
        })
        port.close()
      },
    )
  }
})
