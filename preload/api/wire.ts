// What the two transports carry: Electron's IPC channel names, the WebSocket messages.
import type { Channel } from './channels'

/** What crosses the wire for one call: errors are values, so both transports carry them alike. */
export type CallReply = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } }

/** IPC channel names (Electron). */
export const IPC = {
  call: (channel: Channel) => `bench:${channel}`,
  subscribe: 'bench-subscribe',
  stream: 'bench-stream',
} as const

/**
 * Calls one WebSocket client may have running at once. The server refuses more with an error named
 * BUSY_ERROR; the browser bridge (renderer/bridge.ts) holds its own calls back so it never gets one.
 */
export const MAX_CALLS_IN_FLIGHT = 64
export const BUSY_ERROR = 'BusyError'

/** WebSocket messages (headless). */
export type WsClientMessage =
  { type: 'call'; id: number; channel: string; args: unknown[] } | { type: 'subscribe'; stream: string; on: boolean }
export type WsServerMessage =
  { type: 'reply'; id: number; reply: CallReply } | { type: 'stream'; stream: string; batch: unknown }
