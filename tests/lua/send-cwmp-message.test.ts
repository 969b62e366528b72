import { afterEach, describe, expect, it } from 'vitest'
import { parseXml, type XmlElement } from '../../main/core/cwmp'
import type { SimFleet } from '../../main/core/sim'
import { startBench, stdout, type TestBench } from './helpers'

// The script API page's three functions through the real ScriptService (workers) and the real ACS
// over HTTP, against simulated TR-098 CPEs; what the CPE received is read from the CPE side.

const IGD = 'InternetGatewayDevice.'
const WLAN = `${IGD}LANDevice.1.WLANConfiguration.1.`
// An envelope as a user writes one: their own prefixes and header (whose ID the ACS replaces).
const envelope = (rpc: string, ns = 'urn:dslforum-org:cwmp-1-0') =>
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="${ns}"><soap:Header><cwmp:ID soap:mustUnderstand="1">mine</cwmp:ID></soap:Header><soap:Body>${rpc}</soap:Body></soap:Envelope>`

let t: TestBench | undefined

afterEach(async () => {
  await t?.close()
  t = undefined
})

async function runOn(serial: string, source: string) {
  const [run] = t!.bench.scripts.runSource({ name: 'test', source, target: { kind: 'devices', serials: [serial] } })
  const done = await t!.bench.scripts.wait(run!.id)
  return { run: done, lines: stdout(t!.bench, done.id) }
}

/** The RPC elements the CPEs of this fleet received from the ACS, with the header of each. */
function recordReceived(fleet: SimFleet): { rpc: XmlElement; id?: string; hold?: string }[] {
  const seen: { rpc: XmlElement; id?: string; hold?: string }[] = []
  fleet.on((e) => {
    if (e.name !== 'received') return
    const root = parseXml(e.detail as string)
    const header = root.children.find((c) => c.local === 'Header')
    const rpc = root.children.find((c) => c.local === 'Body')?.children[0]
    if (rpc && rpc.local !== 'InformResponse' && !rpc.local.endsWith('Response'))
      seen.push({
        rpc,
        id: header?.children.find((c) => c.local === 'ID')?.text,
        hold: header?.children.find((c) => c.local === 'HoldRequests')?.text,
      })
  })
  return seen
}

/** An element as [name, text | children…], to compare what was sent with what was received. */
const shape = (el: XmlElement): unknown =>
  el.children.length ? [el.local, ...el.children.map(shape)] : [el.local, el.text]

describe('the page functions return one value, as the page says', () => {
  it('print shows true, table.insert takes get_device, and last_error() tells why a call failed', async () => {
    t = await startBench()
    const [cpe] = (await t.sims({ count: 1 })).cpes
    const set = (name: string, value: string) =>
      envelope(
        `<cwmp:SetParameterValues><ParameterList><ParameterValueStruct><Name>${name}</Name><Value>${value}</Value></ParameterValueStruct></ParameterList><ParameterKey/></cwmp:SetParameterValues>`,
      )
    const get = envelope(
      `<cwmp:GetParameterValues><ParameterNames><string>${WLAN}SSID</string></ParameterNames></cwmp:GetParameterValues>`,
    )
    const { run, lines } = await runOn(
      cpe!.serial,
      `
      print(send_cwmp_message(DEVICE, [[${set(`${WLAN}SSID`, 'one value')}]], 1))
      print(select("#", send_cwmp_message(DEVICE, [[${get}]], 0)), send_cwmp_message(DEVICE, [[${get}]], 0)["${WLAN}SSID"])
      print("ok clears", last_error())
      print(send_cwmp_message(DEVICE, [[${set(`${IGD}Nope`, '1')}]], 1))
      print("why", last_error().kind, last_error().code, tostring(last_error()):find("^CWMP fault 9003") ~= nil)
      local t = {}
      table.insert(t, get_device(DEVICE))
      table.insert(t, get_device("NOPE"))
      print("insert", #t, t[1].sn == DEVICE, t[2])
      print("unknown", last_error().kind)
      print(select("#", listen_to_cwmp_event("0", "never", 10)), last_error().kind)
    `,
    )
    expect(run.error).toBeNull()
    expect(lines).toEqual([
      'true',
      '1\tone value',
      'ok clears\tnil',
      'false',
      'why\tfault\t9003\ttrue',
      'insert\t2\ttrue\tfalse',
      'unknown\tunknown_device',
      '1\ttimeout',
    ])
    expect(cpe!.get(`${WLAN}SSID`)).toBe('one value')
  })
})

describe('send_cwmp_message sends any CWMP request as written', () => {
  it('a vendor RPC, ChangeDUState, ScheduleDownload and CancelTransfer reach the CPE as written; answers and faults come back', async () => {
    t = await startBench()
    const fleet = await t.sims({ count: 1 })
    const cpe = fleet.cpes[0]!
    const received = recordReceived(fleet)
    const echo =
      '<cwmp:X_BENCH_Echo><Target>wan</Target><Hops soap-enc:arrayType="xsd:string[2]" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/"><string>a</string><string>b</string></Hops><Opt><Depth>3</Depth></Opt></cwmp:X_BENCH_Echo>'
    const rpcs = {
      echo,
      vendor: '<cwmp:X_ACME_Diagnose><Target>lan</Target></cwmp:X_ACME_Diagnose>',
      du: '<cwmp:ChangeDUState><Operations><InstallOpStruct><URL>http://x/pkg</URL><UUID></UUID><Username/><Password/><ExecutionEnvRef/></InstallOpStruct></Operations><CommandKey>du1</CommandKey></cwmp:ChangeDUState>',
      schedule:
        '<cwmp:ScheduleDownload><CommandKey>sd</CommandKey><FileType>1 Firmware Upgrade Image</FileType><URL>http://x/fw</URL><Username/><Password/><FileSize>0</FileSize><TargetFileName/><TimeWindowList><TimeWindowStruct><WindowStart>0</WindowStart><WindowEnd>60</WindowEnd><WindowMode>1 At Any Time</WindowMode><UserMessage/><MaxRetries>0</MaxRetries></TimeWindowStruct></TimeWindowList></cwmp:ScheduleDownload>',
      download:
        '<cwmp:Download><CommandKey>late</CommandKey><FileType>1 Firmware Upgrade Image</FileType><URL>http://127.0.0.1:9/fw.bin</URL><Username/><Password/><FileSize>0</FileSize><TargetFileName/><DelaySeconds>3600</DelaySeconds><SuccessURL/><FailureURL/></cwmp:Download>',
      cancel: '<cwmp:CancelTransfer><CommandKey>late</CommandKey></cwmp:CancelTransfer>',
      names: `<cwmp:GetParameterNames><ParameterPath>${IGD}DeviceInfo.</ParameterPath><NextLevel>1</NextLevel></cwmp:GetParameterNames>`,
    }
    const lua = Object.entries(rpcs)
      .map(([k, rpc]) => `local ${k} = [[${envelope(rpc)}]]`)
      .join('\n')
    const { run, lines } = await runOn(
      cpe.serial,
      `${lua}
      local r = send_cwmp_message(DEVICE, echo, 5)
      print("echo", r.Target, #r.Hops, r.Hops[1], r.Hops[2], r.Opt.Depth)
      for _, name in ipairs({ "vendor", "du", "schedule" }) do
        local env = ({ vendor = vendor, du = du, schedule = schedule })[name]
        print(name, send_cwmp_message(DEVICE, env, 2), last_error().code)
      end
      print("download", send_cwmp_message(DEVICE, download, 1))
      local c = send_cwmp_message(DEVICE, cancel, 2)
      print("cancel", type(c), next(c))
      print("cancel again", send_cwmp_message(DEVICE, cancel, 1), last_error().code)
      local n = send_cwmp_message(DEVICE, names, 2)
      print("names", #n.ParameterList > 3, n.ParameterList[1].Name:find("^${IGD}DeviceInfo%.") ~= nil)
    `,
    )
    expect(run.error).toBeNull()
    expect(lines).toEqual([
      'echo\twan\t2\ta\tb\t3',
      'vendor\tnil\t9000',
      'du\tnil\t9000',
      'schedule\tnil\t9000',
      'download\ttrue',
      'cancel\ttable\tnil',
      'cancel again\tfalse\t9003',
      'names\ttrue\ttrue',
    ])
    // The CPE got each RPC exactly as written, in the ACS's header (its ID, not the user's "mine").
    const sent = Object.values(rpcs).map((rpc) => shape(parseXml(envelope(rpc)).children[1]!.children[0]!))
    expect(received.map((r) => shape(r.rpc))).toEqual([
      sent[0],
      sent[1],
      sent[2],
      sent[3],
      sent[4],
      sent[5],
      sent[5],
      sent[6],
    ])
    for (const r of received) {
      expect(r.rpc.ns).toBe('urn:dslforum-org:cwmp-1-0')
      expect(r.id).toMatch(/\S/)
      expect(r.id).not.toBe('mine')
      expect(r.hold).toBe('1')
    }
  })

  it('refuses envelopes that are not one CWMP request, with a clear error, and sends nothing', async () => {
    t = await startBench()
    const fleet = await t.sims({ count: 1 })
    const cpe = fleet.cpes[0]!
    const received = recordReceived(fleet)
    const reboot = '<cwmp:Reboot><CommandKey>x</CommandKey></cwmp:Reboot>'
    const cases: Record<string, string> = {
      doctype: `<!DOCTYPE x [<!ENTITY a "b">]>${envelope(reboot)}`,
      two: envelope(reboot + reboot),
      empty: envelope(''),
      namespace: envelope(reboot, 'urn:example:not-cwmp'),
      response: envelope('<cwmp:RebootResponse/>'),
      inform: envelope('<cwmp:TransferComplete><CommandKey/></cwmp:TransferComplete>'),
      notsoap: '<Envelope><Body>' + reboot + '</Body></Envelope>',
      missing: envelope('<cwmp:GetParameterNames><ParameterPath>A.</ParameterPath></cwmp:GetParameterNames>'),
    }
    const lua =
      Object.entries(cases)
        .map(([k, xml]) => `print("${k}", pcall(send_cwmp_message, DEVICE, [==[${xml}]==], 1))`)
        .join('\n') +
      // Past the 4 MiB cap (built in Lua: a script's own source is smaller).
      `\nlocal big = [==[${envelope('<cwmp:X_BIG_Rpc><Blob>BLOB</Blob></cwmp:X_BIG_Rpc>')}]==]
      print("oversize", pcall(send_cwmp_message, DEVICE, (big:gsub("BLOB", string.rep("x", 4 * 1024 * 1024))), 1))`
    const { run, lines } = await runOn(cpe.serial, lua)
    expect(run.error).toBeNull()
    const p = (k: string, why: string) => `${k}\tfalse\tsend_cwmp_message: ${why}`
    expect(lines).toEqual([
      p('doctype', 'the XML cannot be sent: DOCTYPE declarations are not allowed in CWMP messages'),
      p(
        'two',
        'the SOAP Body holds 2 elements (<cwmp:Reboot>, <cwmp:Reboot>); a CWMP envelope carries exactly one RPC',
      ),
      p('empty', 'the SOAP Body holds 0 elements; a CWMP envelope carries exactly one RPC'),
      p(
        'namespace',
        '<cwmp:Reboot> is in namespace "urn:example:not-cwmp", not a CWMP namespace (urn:dslforum-org:cwmp-1-0 … cwmp-1-4)',
      ),
      p('response', '<cwmp:RebootResponse> is a response, not a request for a CPE'),
      p('inform', 'TransferComplete is a request a CPE sends to an ACS, never one an ACS sends'),
      p(
        'notsoap',
        'the root element <Envelope> is not a SOAP Envelope (namespace http://schemas.xmlsoap.org/soap/envelope/)',
      ),
      p('missing', 'GetParameterNames cannot be sent: <GetParameterNames> is missing <NextLevel>'),
      expect.stringMatching(
        /^oversize\tfalse\tsend_cwmp_message: the XML cannot be sent: XML body of \d+ bytes exceeds the 4194304-byte limit$/,
      ),
    ])
    // Nothing left the ACS: no RPC reached the CPE and none was queued.
    expect(received).toEqual([])
    expect(t.bench.acs.rpcs(cpe.serial).filter((r) => r.source.startsWith('script:'))).toEqual([])
  })
})
