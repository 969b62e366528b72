/** Every kind of event-log row, in the order the UI's filter shows them. */
export const EVENT_KINDS = [
  'session',
  'inform',
  'cwmp-event',
  'rpc',
  'fault',
  'connection-request',
  'transfer',
  'script',
  'sync',
  'security',
  'system',
] as const

export type EventKind = (typeof EVENT_KINDS)[number]
