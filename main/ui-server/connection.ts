import type { WebSocket } from 'ws'
import { BUSY_ERROR, MAX_CALLS_IN_FLIGHT, type StreamName, type WsServerMessage } from '../../preload/api'
import type { BenchApiService } from '../api'

/** Past this much unsent data, live batches to a slow client are skipped (the pages re-read SQLite). */
const MAX_BUFFERED = 8 * 1024 * 1024
/**
 * Replies waiting to be sent past this: stop reading the client's calls until they drain below
 * RESUME_BUFFERED. A client that sends calls and never reads the answers cannot grow our heap.
 */
const PAUSE_BUFFERED = 4 * 1024 * 1024
const RESUME_BUFFERED = 1024 * 1024

/** Counts over every connection of one server, for tests and diagnostics. */
export interface ConnectionStats {
  /** Calls handed to the API. */
  calls: number
  /** Calls refused because MAX_CALLS_IN_FLIGHT were still running. */
  refused: number
  /** Times a connection stopped reading because its replies were not being read. */
  paused: number
}

/**
 * One WebSocket client of the API. A client (a buggy page, or a hostile one that got this far)
 * may flood calls without awaiting them: at most MAX_CALLS_IN_FLIGHT run at once, the rest are
 * refused at once with a BusyError, and reading stops while its unsent replies pile up.
 */
export function attachConnection(ws: WebSocket, api: BenchApiService, stats: ConnectionStats): void {
  let inFlight = 0
  const drained = () => {
    if (ws.isPaused && ws.bufferedAmount < RESUME_BUFFERED) ws.resume()
  }
  const send = (message: WsServerMessage) => {
    if (ws.readyState !== ws.OPEN) return
    ws.send(JSON.stringify(message), drained)
    if (!ws.isPaused && ws.bufferedAmount > PAUSE_BUFFERED) {
      stats.paused++
      ws.pause()
    }
  }
  const connection = api.connect((stream: StreamName, batch) => {
    if (ws.bufferedAmount > MAX_BUFFERED) return
    send({ type: 'stream', stream, batch })
  })
  ws.on('message', (data) => {
    let message: { type?: unknown; id?: unknown; channel?: unknown; args?: unknown; stream?: unknown; on?: unknown }
    try {
      message = JSON.parse(String(data))
    } catch {
      ws.close(1003, 'messages must be JSON')
      return
    }
    if (message.type === 'call' && typeof message.id === 'number') {
      const id = message.id
      if (inFlight >= MAX_CALLS_IN_FLIGHT) {
        stats.refused++
        send({
          type: 'reply',
          id,
          reply: {
            ok: false,
            error: {
              name: BUSY_ERROR,
              message: `Bench ACS is busy with ${MAX_CALLS_IN_FLIGHT} calls from this page: wait for their answers, then try again.`,
            },
          },
        })
        return
      }
      inFlight++
      stats.calls++
      void api
        .call(String(message.channel), message.args)
        .then((reply) => send({ type: 'reply', id, reply }))
        .finally(() => inFlight--)
    } else if (message.type === 'subscribe' && typeof message.stream === 'string') {
      connection.subscribe(message.stream, message.on === true)
    }
  })
  ws.on('close', () => connection.close())
  ws.on('error', () => connection.close())
}
