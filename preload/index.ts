import { contextBridge, ipcRenderer } from 'electron'
import type { BenchApi } from './api'

const api: BenchApi = {
  version: () => ipcRenderer.invoke('app:version') as Promise<string>,
}
contextBridge.exposeInMainWorld('bench', api)
