/**
 * window.bench for the renderer: the preload's IPC API inside Electron, or the same API over the
 * headless server's WebSocket in a browser (built by the same preload/client.ts).
 */
import {
  MAX_CALLS_IN_FLIGHT,
  type BenchApi,
  type CallReply,
  type WsClientMessage,
  type WsServerMessage,
} from '../preload/api'
import { createClient } from '../preload/client'

declare global {
  interface Window {
    bench?: BenchApi
  }
}

export function connectBench(): BenchApi {
  if (window.bench) return window.bench
  const pending = new Map<number, (reply: CallReply) => void>()
  const queue: WsClientMessage[] = []
  let nextId = 1
  let socket: WebSocket | null = null
  let retry = 0

  /** Calls written to the socket that is open now: only these are lost when it closes. */
  const sent = new Set<number>()
  const write = (message: WsClientMessage) => {
    socket!.send(JSON.stringify(message))
    if (message.type === 'call') sent.add(message.id)
  }
  /** Calls go out in order, at most MAX_CALLS_IN_FLIGHT at once: the server refuses more (BusyError). */
  const flush = () => {
    while (socket?.readyState === WebSocket.OPEN && queue.length && sent.size < MAX_CALLS_IN_FLIGHT)
      write(queue.shift()!)
  }
  const send = (message: WsClientMessage) => {
    if (message.type === 'call') {
      queue.push(message)
      flush()
    } else if (socket?.readyState === WebSocket.OPEN) write(message)
  }

  const client = createClient({
    call: (channel, args) =>
      new Promise<CallReply>((resolve) => {
        const id = nextId++
        pending.set(id, resolve)
        send({ type: 'call', id, channel, args })
      }),
    subscribe: (stream, on) => send({ type: 'subscribe', stream, on }),
  })

  const open = () => {
    const url = new URL('/api', location.href)
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
    url.search = ''
    url.hash = ''
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      retry = 0
      for (const stream of client.activeStreams()) send({ type: 'subscribe', stream, on: true })
      flush()
      client.setConnection('open')
    }
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as WsServerMessage
      if (message.type === 'reply') {
        pending.get(message.id)?.(message.reply)
        pending.delete(message.id)
        sent.delete(message.id)
        flush()
      } else if (message.type === 'stream') {
        client.deliver(message.stream, message.batch)
      }
    }
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      client.setConnection('reconnecting')
      // Calls in flight when the server went away cannot be answered: fail them so the UI says so.
      // Calls made while disconnected wait in the queue and go out once the server is back.
      for (const id of sent) {
        pending.get(id)?.({
          ok: false,
          error: { name: 'ConnectionError', message: 'The connection to Bench ACS was lost; retrying.' },
        })
        pending.delete(id)
      }
      sent.clear()
      setTimeout(open, Math.min(5000, 250 * 2 ** retry++))
    }
  }
  client.setConnection('reconnecting')
  open()
  return client.api
}
