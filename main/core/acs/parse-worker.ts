// Worker thread: decodes large CWMP envelopes so that the main thread keeps serving other CPEs
// meanwhile (main/core/acs/parse.ts). One message in, one answer out, in order.
import { parentPort } from 'node:worker_threads'
import { CwmpDecodeError, decodeEnvelope } from '../cwmp/decode'
import type { ParseReply, ParseRequest } from './parse'
import { errorMessage } from '../errors'

parentPort!.on('message', ({ id, raw, maxBytes }: ParseRequest) => {
  let reply: ParseReply
  try {
    // A Buffer arrives as a plain Uint8Array: make it a Buffer again for the decoder.
    const input = typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
    reply = { id, envelope: decodeEnvelope(input, { maxBytes }) }
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
        : { id, failure: errorMessage(error) }
  }
  parentPort!.postMessage(reply)
})
