// Worker thread: decodes large CWMP envelopes so that the main thread keeps serving other CPEs
// meanwhile (main/core/acs/parse.ts). One message in, one answer out, in order.
import { parentPort } from 'node:worker_threads'
import { CwmpDecodeError, decodeEnvelope } from '../cwmp/decode'
import type { ParseReply, ParseRequest } from './parse'

parentPort!.on('message', ({ id, raw, maxBytes }: ParseRequest) => {
  let reply: ParseReply
  try {
    reply = { id, envelope: decodeEnvelope(raw, { maxBytes }) }
  } catch (error) {
    reply =
      error instanceof CwmpDecodeError
        ? {
            id,
            decodeError: {
              kind: error.kind,
              message: error.message,
              faultCode: error.faultCode,
              xmlCode: error.xmlCode,
              context: error.context,
            },
          }
        : { id, failure: error instanceof Error ? error.message : String(error) }
  }
  parentPort!.postMessage(reply)
})
