import { describe, expect, it } from 'vitest'
import { decodeEnvelope, encodeEnvelope, type TypedAcsRequest } from '../../main/core/cwmp'
import { DataModel, loadModel } from '../../main/core/sim'
import { answer } from '../../main/core/sim/rpc'
import { respond } from '../../main/core/sim/session'

// What the CPE puts on the wire for a message from the ACS, through the real codec both ways.

const model = new DataModel(loadModel('tr098'))
const reply = (xml: string) => {
  const incoming = decodeEnvelope(xml)
  const body = respond(incoming.body!, (req: TypedAcsRequest) => answer(req, { model, queuedTransfers: 0 }).response)
  return decodeEnvelope(encodeEnvelope(incoming.version, { id: incoming.header.id }, body))
}

describe('the CPE’s answer to an ACS message', () => {
  it('answers an RPC in the ACS’s namespace with the cwmp:ID echoed exactly', () => {
    const xml = encodeEnvelope('cwmp-1-2', { id: ' 007 & id ', holdRequests: true }, { method: 'GetRPCMethods' })
    const out = reply(xml)
    expect(out.version).toBe('cwmp-1-2')
    expect(out.header.id).toBe(' 007 & id ')
    expect(out.body).toMatchObject({ method: 'GetRPCMethodsResponse' })
  })

  it('answers an unknown method, or a response sent as a request, with fault 9000', () => {
    const unknown = encodeEnvelope('cwmp-1-0', { id: '5' }, { method: 'Reboot', commandKey: '' }).replace(
      /Reboot/g,
      'SelfDestruct',
    )
    expect(reply(unknown).body).toEqual({
      method: 'Fault',
      faultCode: 9000,
      faultString: 'Method not supported: SelfDestruct',
    })
    expect(reply(unknown).header.id).toBe('5')
    const misdirected = encodeEnvelope('cwmp-1-0', { id: '6' }, { method: 'InformResponse', maxEnvelopes: 1 })
    expect(reply(misdirected).body).toMatchObject({ method: 'Fault', faultCode: 9000 })
  })

  it('carries a fault with its SetParameterValuesFault detail', () => {
    const xml = encodeEnvelope(
      'cwmp-1-0',
      { id: '9' },
      {
        method: 'SetParameterValues',
        parameterList: [{ name: 'InternetGatewayDevice.DeviceInfo.UpTime', value: '1', type: 'xsd:unsignedInt' }],
        parameterKey: '',
      },
    )
    expect(reply(xml).body).toMatchObject({
      method: 'Fault',
      faultCode: 9003,
      setParameterValuesFaults: [{ parameterName: 'InternetGatewayDevice.DeviceInfo.UpTime', faultCode: 9008 }],
    })
  })
})
