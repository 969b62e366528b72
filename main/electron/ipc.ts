import { CHANNELS, IPC, type StreamName } from '../../preload/api'
import type { BenchApiService } from '../api'

/** The slice of Electron's ipcMain we use, so this wiring runs in tests without Electron. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): void
  removeHandler(channel: string): void
  removeAllListeners(channel: string): void
}

export interface IpcEventLike {
  sender: WebContentsLike
  senderFrame?: { url: string } | null
}

export interface WebContentsLike {
  id: number
  send(channel: string, ...args: unknown[]): void
  isDestroyed(): boolean
}

/**
 * Carries the API over IPC for one window. Every call and subscription is checked: it must come
 * from our window's web contents, from a frame showing our renderer (not a page it was navigated
 * to or an embedded frame), on a channel of the allowlist.
 */
export function wireIpc(
  ipcMain: IpcMainLike,
  api: BenchApiService,
  contents: WebContentsLike,
  isOurRenderer: (frameUrl: string) => boolean,
): () => void {
  const trusted = (event: IpcEventLike) =>
    event.sender.id === contents.id && Boolean(event.senderFrame) && isOurRenderer(event.senderFrame!.url)

  for (const channel of CHANNELS) {
    ipcMain.handle(IPC.call(channel), (event, ...args) => {
      if (!trusted(event))
        return { ok: false, error: { name: 'ForbiddenError', message: 'This frame may not use the Bench ACS API.' } }
      return api.call(channel, args)
    })
  }
  const connection = api.connect((stream: StreamName, batch: unknown) => {
    if (!contents.isDestroyed()) contents.send(IPC.stream, stream, batch)
  })
  ipcMain.on(IPC.subscribe, (event, stream, on) => {
    if (trusted(event) && typeof stream === 'string') connection.subscribe(stream, on === true)
  })
  return () => {
    connection.close()
    for (const channel of CHANNELS) ipcMain.removeHandler(IPC.call(channel))
    ipcMain.removeAllListeners(IPC.subscribe)
  }
}
