/**
 * THE API contract between the UI and the core: every call and every event stream the renderer
 * may use, with their types. Electron carries it over IPC (preload/index.ts), the headless server
 * over a WebSocket (renderer/bridge.ts); main/api implements it once for both. Types only, plus the
 * allowlists of channel and stream names that both transports check.
 *
 * One file per area under ./api/ (devices, events, scripts, …; the streams, the channel allowlist and
 * what the transports carry in their own); this file is the one entry the rest of the app imports.
 */
export * from './api/devices'
export * from './api/events'
export * from './api/scripts'
export * from './api/sim'
export * from './api/files'
export * from './api/profiles'
export * from './api/settings'
export * from './api/sync'
export * from './api/streams'
export * from './api/calls'
export * from './api/channels'
export * from './api/wire'
