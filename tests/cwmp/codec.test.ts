import { describe, expect, it } from 'vitest'
import {
  CwmpDecodeError,
  decodeEnvelope,
  encodeEnvelope,
  CWMP_VERSIONS,
  type AcsRequest,
  type CpeRequest,
  type CpeResponse,
} from '../../main/core/cwmp'

const roundTrip = (body: AcsRequest | CpeResponse | CpeRequest, version = 'cwmp-1-0' as const) =>
  decodeEnvelope(encodeEnvelope(version, { id: 'x' }, body))

describe('CWMP codec', () => {
  it('classifies each message as the ACS sees it, so the session engine keeps no lists of its own', () => {
    const kind = (body: Parameters<typeof encodeEnvelope>[2]) =>
      decodeEnvelope(encodeEnvelope('cwmp-1-0', { id: '1' }, body)).kind
    const empty = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap:Body/></soap:Envelope>`
    expect(decodeEnvelope(empty)).toMatchObject({ kind: 'empty', body: null })
    expect(
      kind({
        method: 'Inform',
        deviceId: { manufacturer: 'M', oui: '000000', productClass: 'P', serialNumber: 'S' },
        event: [],
        maxEnvelopes: 1,
        currentTime: '2026-11-29T00:00:00Z',
        retryCount: 0,
        parameterList: [],
      }),
    ).toBe('inform')
    expect(kind({ method: 'GetRPCMethods' })).toBe('cpe-request')
    expect(kind({ method: 'RequestDownload', fileType: '1 Firmware Upgrade Image', fileTypeArg: [] })).toBe(
      'cpe-request',
    )
    expect(kind({ method: 'GetParameterValuesResponse', parameterList: [] })).toBe('cpe-response')
    expect(kind({ method: 'GetRPCMethodsResponse', methodList: [] })).toBe('cpe-response')
    expect(kind({ method: 'RebootResponse' })).toBe('cpe-response')
    // What only an ACS sends: a request to a CPE, or an answer to a CPE's request.
    expect(kind({ method: 'Reboot', commandKey: '' })).toBe('acs-only')
    expect(kind({ method: 'InformResponse', maxEnvelopes: 1 })).toBe('acs-only')
    const fault = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap:Body><soap:Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring><detail><cwmp:Fault><FaultCode>9005</FaultCode><FaultString>Invalid parameter name</FaultString></cwmp:Fault></detail></soap:Fault></soap:Body></soap:Envelope>`
    expect(decodeEnvelope(fault)).toMatchObject({ kind: 'fault', body: { faultCode: 9005 } })
    const vendor = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap:Body><cwmp:X_ACME_KickResponse/></soap:Body></soap:Envelope>`
    expect(decodeEnvelope(vendor)).toMatchObject({ kind: 'unknown', body: { name: 'X_ACME_KickResponse' } })
  })

  it('round-trips every ACS request', () => {
    const requests: AcsRequest[] = [
      { method: 'GetRPCMethods' },
      { method: 'GetParameterNames', parameterPath: 'InternetGatewayDevice.', nextLevel: true },
      { method: 'GetParameterValues', parameterNames: ['A.B.C', 'A.D.'] },
      {
        method: 'SetParameterValues',
        parameterList: [{ name: 'A.B', value: ' 007 <&> ', type: 'xsd:string' }],
        parameterKey: 'k1',
      },
      { method: 'GetParameterAttributes', parameterNames: ['A.'] },
      {
        method: 'SetParameterAttributes',
        parameterList: [
          {
            name: 'A.B',
            notificationChange: true,
            notification: 2,
            accessListChange: true,
            accessList: ['Subscriber'],
          },
        ],
      },
      { method: 'AddObject', objectName: 'A.B.', parameterKey: '' },
      { method: 'DeleteObject', objectName: 'A.B.3.', parameterKey: 'p' },
      { method: 'Reboot', commandKey: 'reboot-1' },
      { method: 'FactoryReset' },
      {
        method: 'Download',
        commandKey: 'dl',
        fileType: '1 Firmware Upgrade Image',
        url: 'http://h/f.bin?a=1&b=2',
        username: '',
        password: '',
        fileSize: 123,
        targetFileName: 'f.bin',
        delaySeconds: 0,
        successUrl: '',
        failureUrl: '',
      },
      {
        method: 'Upload',
        commandKey: 'up',
        fileType: '1 Vendor Configuration File',
        url: 'http://h/u',
        username: 'u',
        password: 'p',
        delaySeconds: 5,
      },
      { method: 'ScheduleInform', delaySeconds: 30, commandKey: 'si' },
    ]
    for (const r of requests) expect(roundTrip(r).body).toEqual(r)
  })

  it('keeps values exactly as sent: no number or boolean conversion, no trimming', () => {
    const decoded = roundTrip({
      method: 'GetParameterValuesResponse',
      parameterList: [
        { name: 'X.Zero', value: '007', type: 'xsd:unsignedInt' },
        { name: 'X.Bool', value: 'true', type: 'xsd:boolean' },
        { name: 'X.Space', value: '  padded  ', type: 'xsd:string' },
        { name: 'X.Exp', value: '1e5', type: 'xsd:string' },
        { name: 'X.Empty', value: '', type: 'xsd:string' },
      ],
    })
    expect(decoded.body).toMatchObject({
      parameterList: [{ value: '007' }, { value: 'true' }, { value: '  padded  ' }, { value: '1e5' }, { value: '' }],
    })
  })

  it('echoes cwmp:ID exactly as a string and answers in every namespace', () => {
    for (const v of CWMP_VERSIONS) {
      const decoded = decodeEnvelope(
        encodeEnvelope(v, { id: ' 0012 & x ' }, { method: 'InformResponse', maxEnvelopes: 1 }),
      )
      expect(decoded.version).toBe(v)
      expect(decoded.header.id).toBe(' 0012 & x ')
    }
  })

  it('decodes envelopes written with other prefixes and character references', () => {
    const xml = `<?xml version="1.0"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:x="urn:dslforum-org:cwmp-1-2" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
 <SOAP-ENV:Header><x:ID SOAP-ENV:mustUnderstand="1">42</x:ID></SOAP-ENV:Header>
 <SOAP-ENV:Body><x:GetParameterValuesResponse><ParameterList>
   <ParameterValueStruct><Name>A.B</Name><Value i:type="xs:int">&#65;&#x42;&lt;</Value></ParameterValueStruct>
 </ParameterList></x:GetParameterValuesResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`
    const d = decodeEnvelope(xml)
    expect(d.version).toBe('cwmp-1-2')
    expect(d.header.id).toBe('42')
    expect(d.body).toEqual({
      method: 'GetParameterValuesResponse',
      parameterList: [{ name: 'A.B', value: 'AB<', type: 'xsd:int' }],
    })
  })

  it('decodes CPE faults with SetParameterValuesFault detail', () => {
    const d = roundTrip({ method: 'GetRPCMethods' })
    expect(d.body).toEqual({ method: 'GetRPCMethods' })
    const fault = decodeEnvelope(
      encodeEnvelope(
        'cwmp-1-0',
        { id: '1' },
        {
          method: 'Fault',
          faultCode: 9003,
          faultString: 'Invalid arguments',
          setParameterValuesFaults: [{ parameterName: 'A.B', faultCode: 9007, faultString: 'bad value' }],
        },
      ),
    )
    expect(fault.body).toEqual({
      method: 'Fault',
      faultCode: 9003,
      faultString: 'Invalid arguments',
      setParameterValuesFaults: [{ parameterName: 'A.B', faultCode: 9007, faultString: 'bad value' }],
    })
  })

  it('reports unknown RPCs, wrong namespaces, DOCTYPEs and truncation as typed errors', () => {
    const unknown = encodeEnvelope('cwmp-1-0', { id: '1' }, { method: 'Reboot', commandKey: '' }).replace(
      /Reboot/g,
      'Frobnicate',
    )
    // The element comes along, for a receiver that answers methods the codec does not model.
    expect(decodeEnvelope(unknown).body).toMatchObject({
      method: 'Unknown',
      name: 'Frobnicate',
      ns: 'urn:dslforum-org:cwmp-1-0',
      element: { local: 'Frobnicate', children: [{ local: 'CommandKey', text: '' }] },
    })
    const wrongNs = unknown.replace('urn:dslforum-org:cwmp-1-0', 'urn:example:not-cwmp')
    expect(() => decodeEnvelope(wrongNs)).toThrow(CwmpDecodeError)
    expect(() => decodeEnvelope('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).toThrow(/DOCTYPE/)
    expect(() => decodeEnvelope(unknown.slice(0, 200))).toThrow(/malformed/)
    expect(() => decodeEnvelope('<html/>')).toThrow(/not a SOAP Envelope/)
  })
})
