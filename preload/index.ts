// The sandboxed preload: exposes the typed API of ./api.ts as window.bench over IPC. Named methods
// only (built by ./client.ts from the channel allowlist); listeners never see Electron's event.
import { contextBridge, ipcRenderer } from 'electron'
import { IPC, type CallReply } from './api'
import { createClient } from './client'

const client = createClient({
  call: (channel, args) => ipcRenderer.invoke(IPC.call(channel), ...args) as Promise<CallReply>,
  subscribe: (stream, on) => ipcRenderer.send(IPC.subscribe, stream, on),
})
ipcRenderer.on(IPC.stream, (_event, stream: string, batch: unknown) => client.deliver(stream, batch))

contextBridge.exposeInMainWorld('bench', client.api)
