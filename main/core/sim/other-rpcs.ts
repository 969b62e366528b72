import { faultMeaning, type CwmpBody, type UnknownBody } from '../cwmp'
import { childText } from '../cwmp/xml'
import { serializeElement } from '../cwmp/raw'

/** What answering the RPCs the codec does not model needs from the CPE. */
export interface OtherRpcHost {
  cancelTransfer(commandKey: string): 'cancelled' | 'started' | 'unknown'
}

/**
 * The RPCs this CPE implements beyond the codec's (GetRPCMethods lists them): CancelTransfer
 * (TR-069 A.4.1.8, optional) and one vendor RPC, X_BENCH_Echo, which answers with the arguments it
 * was sent, to show vendor RPCs end to end. Anything else (ChangeDUState, ScheduleDownload, other
 * vendors' X_…) is undefined here: the CPE answers fault 9000, as a CPE without them does.
 */
export const OTHER_METHODS = ['CancelTransfer', 'X_BENCH_Echo']

export function answerOther(body: UnknownBody, host: OtherRpcHost): CwmpBody | undefined {
  // Answers the codec does not model are written as XML; the envelope declares the cwmp prefix.
  const written = (name: string, inner = '') => ({
    method: 'Raw' as const,
    name,
    xml: `<cwmp:${name}>${inner}</cwmp:${name}>`,
  })
  switch (body.name) {
    case 'CancelTransfer': {
      const outcome = host.cancelTransfer(childText(body.element, 'CommandKey') ?? '')
      if (outcome === 'cancelled') return written('CancelTransferResponse')
      const faultCode = outcome === 'started' ? 9021 : 9003
      return {
        method: 'Fault',
        faultCode,
        faultString: `${faultMeaning(faultCode)}: ${outcome === 'started' ? 'the transfer has started' : 'no transfer with this CommandKey'}`,
      }
    }
    case 'X_BENCH_Echo':
      return written('X_BENCH_EchoResponse', body.element.children.map((c) => serializeElement(c)).join(''))
    default:
      return undefined
  }
}
