import type { CallReply } from '../../preload/api'

/** The value of an API call's reply; a refused call throws "Name: message" (its error's name kept). */
export async function ok<T = unknown>(reply: CallReply | Promise<CallReply>): Promise<T> {
  const r = await reply
  if (!r.ok) throw Object.assign(new Error(`${r.error.name}: ${r.error.message}`), { name: r.error.name })
  return r.value as T
}
