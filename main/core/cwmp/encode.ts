import { escapeXml } from './xml'
import { cwmpNamespace, type CwmpVersion } from './namespaces'
import { faultMeaning, faultSoapCode } from './faults'
import type { CwmpBody, CwmpHeader, ParameterValueStruct } from './types'

const e = escapeXml

/**
 * Serialises one CWMP envelope. Prefixes are fixed (soap-env, soap-enc, xsd, xsi, cwmp) — what
 * matters to peers is the namespace, which is the one the session uses.
 */
export function encodeEnvelope(version: CwmpVersion, header: CwmpHeader, body: CwmpBody): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"' +
    ' xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/"' +
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"' +
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
    ` xmlns:cwmp="${cwmpNamespace(version)}">` +
    encodeHeader(header) +
    '<soap-env:Body>' +
    encodeBody(body) +
    '</soap-env:Body></soap-env:Envelope>'
  )
}

function encodeHeader(h: CwmpHeader): string {
  let out = ''
  if (h.id !== undefined) out += `<cwmp:ID soap-env:mustUnderstand="1">${e(h.id)}</cwmp:ID>`
  if (h.holdRequests !== undefined)
    out += `<cwmp:HoldRequests soap-env:mustUnderstand="1">${h.holdRequests ? '1' : '0'}</cwmp:HoldRequests>`
  if (h.noMoreRequests !== undefined)
    out += `<cwmp:NoMoreRequests>${h.noMoreRequests ? '1' : '0'}</cwmp:NoMoreRequests>`
  if (h.sessionTimeout !== undefined)
    out += `<cwmp:SessionTimeout soap-env:mustUnderstand="0">${h.sessionTimeout}</cwmp:SessionTimeout>`
  return out ? `<soap-env:Header>${out}</soap-env:Header>` : '<soap-env:Header/>'
}

const stringArray = (tag: string, items: string[]) =>
  `<${tag} soap-enc:arrayType="xsd:string[${items.length}]">${items.map((s) => `<string>${e(s)}</string>`).join('')}</${tag}>`

const valueStructs = (items: ParameterValueStruct[]) =>
  `<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[${items.length}]">` +
  items
    .map(
      (p) =>
        `<ParameterValueStruct><Name>${e(p.name)}</Name><Value xsi:type="${e(p.type || 'xsd:string')}">${e(p.value)}</Value></ParameterValueStruct>`,
    )
    .join('') +
  '</ParameterList>'

const bool = (b: boolean) => (b ? '1' : '0')
const el = (name: string, inner: string) => `<cwmp:${name}>${inner}</cwmp:${name}>`
const t = (tag: string, value: string | number) => `<${tag}>${e(String(value))}</${tag}>`
const fault = (f: { faultCode: number; faultString: string }) =>
  `<FaultStruct>${t('FaultCode', f.faultCode)}${t('FaultString', f.faultString)}</FaultStruct>`

export function encodeBody(b: CwmpBody): string {
  switch (b.method) {
    // ACS → CPE requests
    case 'Raw':
      // Checked and made self-contained by readRawRequest (raw.ts).
      return b.xml
    case 'RawResponse':
      throw new Error(`${b.name} is a CPE's answer as received; it is never written again`)
    case 'GetRPCMethods':
      return '<cwmp:GetRPCMethods/>'
    case 'GetParameterNames':
      return el('GetParameterNames', t('ParameterPath', b.parameterPath) + t('NextLevel', bool(b.nextLevel)))
    case 'GetParameterValues':
      return el('GetParameterValues', stringArray('ParameterNames', b.parameterNames))
    case 'SetParameterValues':
      return el('SetParameterValues', valueStructs(b.parameterList) + t('ParameterKey', b.parameterKey))
    case 'GetParameterAttributes':
      return el('GetParameterAttributes', stringArray('ParameterNames', b.parameterNames))
    case 'SetParameterAttributes':
      return el(
        'SetParameterAttributes',
        `<ParameterList soap-enc:arrayType="cwmp:SetParameterAttributesStruct[${b.parameterList.length}]">` +
          b.parameterList
            .map(
              (p) =>
                '<SetParameterAttributesStruct>' +
                t('Name', p.name) +
                t('NotificationChange', bool(p.notificationChange)) +
                t('Notification', p.notification) +
                t('AccessListChange', bool(p.accessListChange)) +
                stringArray('AccessList', p.accessList) +
                '</SetParameterAttributesStruct>',
            )
            .join('') +
          '</ParameterList>',
      )
    case 'AddObject':
      return el('AddObject', t('ObjectName', b.objectName) + t('ParameterKey', b.parameterKey))
    case 'DeleteObject':
      return el('DeleteObject', t('ObjectName', b.objectName) + t('ParameterKey', b.parameterKey))
    case 'Reboot':
      return el('Reboot', t('CommandKey', b.commandKey))
    case 'FactoryReset':
      return '<cwmp:FactoryReset/>'
    case 'Download':
      return el(
        'Download',
        t('CommandKey', b.commandKey) +
          t('FileType', b.fileType) +
          t('URL', b.url) +
          t('Username', b.username) +
          t('Password', b.password) +
          t('FileSize', b.fileSize) +
          t('TargetFileName', b.targetFileName) +
          t('DelaySeconds', b.delaySeconds) +
          t('SuccessURL', b.successUrl) +
          t('FailureURL', b.failureUrl),
      )
    case 'Upload':
      return el(
        'Upload',
        t('CommandKey', b.commandKey) +
          t('FileType', b.fileType) +
          t('URL', b.url) +
          t('Username', b.username) +
          t('Password', b.password) +
          t('DelaySeconds', b.delaySeconds),
      )
    case 'ScheduleInform':
      return el('ScheduleInform', t('DelaySeconds', b.delaySeconds) + t('CommandKey', b.commandKey))

    // CPE → ACS responses
    case 'GetRPCMethodsResponse':
      return el('GetRPCMethodsResponse', stringArray('MethodList', b.methodList))
    case 'GetParameterNamesResponse':
      return el(
        'GetParameterNamesResponse',
        `<ParameterList soap-enc:arrayType="cwmp:ParameterInfoStruct[${b.parameterList.length}]">` +
          b.parameterList
            .map(
              (p) =>
                `<ParameterInfoStruct>${t('Name', p.name)}${t('Writable', bool(p.writable))}</ParameterInfoStruct>`,
            )
            .join('') +
          '</ParameterList>',
      )
    case 'GetParameterValuesResponse':
      return el('GetParameterValuesResponse', valueStructs(b.parameterList))
    case 'SetParameterValuesResponse':
      return el('SetParameterValuesResponse', t('Status', b.status))
    case 'GetParameterAttributesResponse':
      return el(
        'GetParameterAttributesResponse',
        `<ParameterList soap-enc:arrayType="cwmp:ParameterAttributeStruct[${b.parameterList.length}]">` +
          b.parameterList
            .map(
              (p) =>
                `<ParameterAttributeStruct>${t('Name', p.name)}${t('Notification', p.notification)}${stringArray('AccessList', p.accessList)}</ParameterAttributeStruct>`,
            )
            .join('') +
          '</ParameterList>',
      )
    case 'SetParameterAttributesResponse':
    case 'RebootResponse':
    case 'FactoryResetResponse':
    case 'ScheduleInformResponse':
    case 'TransferCompleteResponse':
    case 'AutonomousTransferCompleteResponse':
    case 'RequestDownloadResponse':
    case 'DUStateChangeCompleteResponse':
    case 'AutonomousDUStateChangeCompleteResponse':
      return `<cwmp:${b.method}/>`
    case 'AddObjectResponse':
      return el('AddObjectResponse', t('InstanceNumber', b.instanceNumber) + t('Status', b.status))
    case 'DeleteObjectResponse':
      return el('DeleteObjectResponse', t('Status', b.status))
    case 'DownloadResponse':
    case 'UploadResponse':
      return el(b.method, t('Status', b.status) + t('StartTime', b.startTime) + t('CompleteTime', b.completeTime))

    // CPE → ACS requests
    case 'Inform':
      return el(
        'Inform',
        '<DeviceId>' +
          t('Manufacturer', b.deviceId.manufacturer) +
          t('OUI', b.deviceId.oui) +
          t('ProductClass', b.deviceId.productClass) +
          t('SerialNumber', b.deviceId.serialNumber) +
          '</DeviceId>' +
          `<Event soap-enc:arrayType="cwmp:EventStruct[${b.event.length}]">` +
          b.event
            .map((ev) => `<EventStruct>${t('EventCode', ev.eventCode)}${t('CommandKey', ev.commandKey)}</EventStruct>`)
            .join('') +
          '</Event>' +
          t('MaxEnvelopes', b.maxEnvelopes) +
          t('CurrentTime', b.currentTime) +
          t('RetryCount', b.retryCount) +
          valueStructs(b.parameterList),
      )
    case 'TransferComplete':
      return el(
        'TransferComplete',
        t('CommandKey', b.commandKey) +
          fault(b.faultStruct) +
          t('StartTime', b.startTime) +
          t('CompleteTime', b.completeTime),
      )
    case 'AutonomousTransferComplete':
      return el(
        'AutonomousTransferComplete',
        t('AnnounceURL', b.announceUrl) +
          t('TransferURL', b.transferUrl) +
          t('IsDownload', bool(b.isDownload)) +
          t('FileType', b.fileType) +
          t('FileSize', b.fileSize) +
          t('TargetFileName', b.targetFileName) +
          fault(b.faultStruct) +
          t('StartTime', b.startTime) +
          t('CompleteTime', b.completeTime),
      )
    case 'RequestDownload':
      return el(
        'RequestDownload',
        t('FileType', b.fileType) +
          `<FileTypeArg soap-enc:arrayType="cwmp:ArgStruct[${b.fileTypeArg.length}]">` +
          b.fileTypeArg.map((a) => `<ArgStruct>${t('Name', a.name)}${t('Value', a.value)}</ArgStruct>`).join('') +
          '</FileTypeArg>',
      )
    case 'DUStateChangeComplete':
      return el('DUStateChangeComplete', '<Results/>' + t('CommandKey', b.commandKey))
    case 'AutonomousDUStateChangeComplete':
      return el('AutonomousDUStateChangeComplete', '<Results/>')

    // ACS → CPE responses
    case 'InformResponse':
      return el('InformResponse', t('MaxEnvelopes', b.maxEnvelopes))

    case 'Fault':
      return encodeFault(b.faultCode, b.faultString, b.setParameterValuesFaults)
  }
}

/** A SOAP Fault carrying a cwmp:Fault, as either side sends it. */
export function encodeFault(
  faultCode: number,
  faultString: string = faultMeaning(faultCode),
  spvFaults: { parameterName: string; faultCode: number; faultString: string }[] = [],
): string {
  return (
    '<soap-env:Fault>' +
    t('faultcode', faultSoapCode(faultCode)) +
    t('faultstring', 'CWMP fault') +
    '<detail><cwmp:Fault>' +
    t('FaultCode', faultCode) +
    t('FaultString', faultString) +
    spvFaults
      .map(
        (f) =>
          `<SetParameterValuesFault>${t('ParameterName', f.parameterName)}${t('FaultCode', f.faultCode)}${t('FaultString', f.faultString)}</SetParameterValuesFault>`,
      )
      .join('') +
    '</cwmp:Fault></detail></soap-env:Fault>'
  )
}
