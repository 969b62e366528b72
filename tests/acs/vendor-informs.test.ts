import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualCpe, startAcs, type TestAcs } from './helpers'

/**
 * Informs that real CPEs sent, quoted from public test suites and write-ups (each fixture names its
 * source), replayed byte for byte over HTTP to the real ACS. Each must give a correct device and a
 * session that ends normally. The fixtures' provenance comment is stripped before sending, so a
 * message that began with an XML declaration begins with it again.
 */
const DIR = join(__dirname, 'fixtures', 'informs')

function replayBody(file: string): string {
  const text = readFileSync(join(DIR, file), 'utf8')
  const match = /^<!--[\s\S]*?-->\n/.exec(text)
  if (!match) throw new Error(`${file}: no provenance comment at the top`)
  return text.slice(match[0].length)
}

interface Expected {
  file: string
  serial: string
  oui: string
  productClass: string
  manufacturer: string
  softwareVersion: string
  hardwareVersion: string
  connectionRequestUrl: string
  dataModel: 'InternetGatewayDevice' | 'Device'
  events: string[]
  /** cwmp:ID the InformResponse must echo; undefined when the CPE sent no header. */
  id?: string
  ip: string
  headers?: Record<string, string>
}

const CASES: Expected[] = [
  {
    file: 'zyxel-p2601hn-f1.xml',
    serial: 'EC43F69AF408',
    oui: 'EC43F6',
    productClass: 'P-2601HN-F1',
    manufacturer: 'ZyXEL',
    softwareVersion: 'V1.00(AACB.3)',
    hardwareVersion: 'P-2601HN-F1',
    connectionRequestUrl: 'http://2.110.157.83:7676/CWMP/ConnectionRequest',
    dataModel: 'InternetGatewayDevice',
    events: ['2 PERIODIC'],
    id: '100',
    ip: '2.110.157.83',
  },
  {
    file: 'zyxel-vmg8924-b10a.xml',
    serial: 'S140Y24025829',
    oui: '4C9EFF',
    productClass: 'VMG8924-B10A',
    manufacturer: 'ZyXEL',
    softwareVersion: '1.00(AAQU.1)b20',
    hardwareVersion: 'HW_1.0',
    connectionRequestUrl: 'http://[2a02:980:1400::1ff]:30005/78DF621FFD24F339452C341BEFE0E8A8',
    dataModel: 'InternetGatewayDevice',
    events: ['6 CONNECTION REQUEST'],
    id: '844317904',
    ip: '2a02:980:1400::1ff',
  },
  {
    file: 'sagemcom-hgw4-router.xml',
    serial: 'LK14183DP340340',
    oui: '40F201',
    productClass: 'Router',
    manufacturer: 'Sagemcom',
    softwareVersion: 'SG72113250226',
    hardwareVersion: '5DK40-04',
    connectionRequestUrl: 'http://2.110.222.109:7548/jkflHRnJu3gaSEvt',
    dataModel: 'Device',
    events: ['2 PERIODIC'],
    id: '0',
    ip: '2.110.222.109',
  },
  {
    file: 'motorola-vap2404e.xml',
    serial: 'M91342SA1JJ0',
    oui: '001404',
    productClass: 'VAP2404E',
    manufacturer: 'Motorola Mobility',
    softwareVersion: '00.19.00',
    hardwareVersion: '02.00',
    connectionRequestUrl: 'http://2.110.24.198:7547/XML/001404-M91342SA1JJ0.xml',
    dataModel: 'Device',
    events: ['2 PERIODIC'],
    ip: '2.110.24.198',
  },
  {
    file: 'cytco-bcm-serials.xml',
    serial: '00100400FV020010000000a859f6a238',
    oui: '00a859',
    productClass: 'BCM Serials',
    manufacturer: 'Cytco',
    softwareVersion: '2.3.1-65-g79fe05b build 4388',
    hardwareVersion: '1.0',
    connectionRequestUrl: 'http://192.168.40.144:8088/',
    dataModel: 'InternetGatewayDevice',
    events: ['2 PERIODIC'],
    id: '31645',
    ip: '192.168.40.144',
  },
  {
    file: 'zte-f600w.xml',
    serial: 'ZTEEQAWF5J00191',
    oui: '44F436',
    productClass: 'F600W',
    manufacturer: 'ZTE',
    softwareVersion: 'V5.2.10P4T26',
    hardwareVersion: 'V5.2',
    connectionRequestUrl: 'http://10.90.13.32:58000',
    dataModel: 'InternetGatewayDevice',
    events: ['0 BOOTSTRAP (CommandKey TR069_ZTE_HOMEGATEWAY)', '1 BOOT', '4 VALUE CHANGE'],
    id: '1',
    ip: '10.90.13.32',
  },
  {
    file: 'mikrotik-hap-lite.xml',
    serial: 'XXXXXXXXXXXX',
    oui: 'E48D8C',
    productClass: 'hAP lite',
    manufacturer: 'MikroTik',
    softwareVersion: '6.42rc49',
    hardwareVersion: 'v1.0',
    connectionRequestUrl: 'http://10.0.0.1:7547/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    dataModel: 'Device',
    events: ['8 DIAGNOSTICS COMPLETE'],
    ip: '10.0.0.1',
    headers: { 'Content-Type': 'text/xml', 'User-Agent': 'MikroTik' },
  },
  {
    file: 'thomson-speedtouch-706.xml',
    serial: 'CP0636JT3SH',
    oui: '00147F',
    productClass: 'SpeedTouch 706',
    manufacturer: 'THOMSON',
    softwareVersion: '6.2.15.5',
    hardwareVersion: 'BANT-S',
    connectionRequestUrl: 'http://192.168.1.254:51005/',
    dataModel: 'InternetGatewayDevice',
    events: ['2 PERIODIC'],
    id: '22_THOM_TR69_ID',
    ip: '192.168.1.254',
  },
  {
    file: 'thomson-speedtouch-780.xml',
    serial: 'CP0644JTHJ4',
    oui: '00147F',
    productClass: 'SpeedTouch 780',
    manufacturer: 'THOMSON',
    softwareVersion: '7.4.1.7',
    hardwareVersion: 'BANT-R',
    connectionRequestUrl: 'http://10.0.0.2:51005/',
    dataModel: 'InternetGatewayDevice',
    events: ['2 PERIODIC'],
    id: '3_THOM_TR69_ID',
    ip: '10.0.0.2',
    headers: {
      'Content-Type': 'text/xml; charset=ISO-8859-1',
      SOAPAction: '',
      'User-Agent': 'Thomson_cwmp-engine/r7.4.1.7',
    },
  },
  {
    file: 'zhone-6718.xml',
    serial: '00255e71f7ac',
    oui: '00255e',
    productClass: '6718',
    manufacturer: 'Zhone',
    softwareVersion: '01.01.02',
    hardwareVersion: 'REV.1.01',
    connectionRequestUrl: 'http://216.113.193.87:30005/',
    dataModel: 'InternetGatewayDevice',
    events: ['0 BOOTSTRAP', '1 BOOT'],
    id: '946498461',
    ip: '216.113.193.87',
  },
]

let acs: TestAcs
beforeAll(async () => {
  acs = await startAcs()
})
afterAll(async () => {
  await acs?.close()
})

describe('Informs real CPEs sent, replayed to the ACS', () => {
  it('has a fixture for every case and a case for every fixture', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.xml'))
    expect(CASES.map((c) => c.file).sort()).toEqual(files.sort())
  })

  it.each(CASES)('$file gives the right device and a complete session', async (c) => {
    const cpe = new ManualCpe(acs.url)
    try {
      const body = replayBody(c.file)
      const inform = await cpe.post(body, undefined, c.headers ?? {})
      expect(inform.status).toBe(200)
      expect(inform.envelope?.body).toEqual({ method: 'InformResponse', maxEnvelopes: 1 })
      expect(inform.envelope?.version).toBe('cwmp-1-0')
      expect(inform.envelope?.header.id).toBe(c.id)

      const done = await cpe.post(null)
      expect(done.status).toBe(204)
      expect(acs.bench.acs.inSession(c.serial)).toBe(false)

      expect(acs.bench.store.devices.get(c.serial)).toMatchObject({
        serial: c.serial,
        oui: c.oui,
        productClass: c.productClass,
        manufacturer: c.manufacturer,
        softwareVersion: c.softwareVersion,
        hardwareVersion: c.hardwareVersion,
        connectionRequestUrl: c.connectionRequestUrl,
        cwmpVersion: 'cwmp-1-0',
        dataModel: c.dataModel,
        ip: c.ip,
        status: 2,
      })
      // A routine periodic session is one grouped row listing its events (docs/acs.md, "Writes and
      // events"); any other session has an inform row and a row per event.
      const grouped = acs.bench.store.events
        .query({ serial: c.serial, kinds: ['session'] })
        .filter((e) => (e.detail as { grouped?: boolean } | undefined)?.grouped)
      const events = [
        ...acs.bench.store.events.query({ serial: c.serial, kinds: ['cwmp-event'] }).map((e) => e.summary),
        ...grouped.flatMap((e) =>
          (e.detail as { events: { code: string; commandKey: string }[] }).events.map(
            (x) => `${x.code}${x.commandKey ? ` (CommandKey ${x.commandKey})` : ''}`,
          ),
        ),
      ].sort()
      expect(events).toEqual([...c.events].sort())
      // The raw Inform is kept as sent, for the event log and the sync outbox.
      const logged = [...acs.bench.store.events.query({ serial: c.serial, kinds: ['inform'] }), ...grouped]
      expect(logged).toHaveLength(1)
      expect(acs.bench.store.events.soap(logged[0]!.seq)?.soapIn).toContain(c.serial)
    } finally {
      cpe.close()
    }
  })

  it('takes the same real Inform behind a UTF-8 byte order mark, as some stacks write it', async () => {
    const cpe = new ManualCpe(acs.url)
    try {
      const body = '\uFEFF' + replayBody('zyxel-p2601hn-f1.xml').replace('EC43F69AF408', 'EC43F69AF408-BOM')
      const inform = await cpe.post(body)
      expect(inform.status).toBe(200)
      expect(inform.envelope?.body).toEqual({ method: 'InformResponse', maxEnvelopes: 1 })
      expect((await cpe.post(null)).status).toBe(204)
      expect(acs.bench.store.devices.get('EC43F69AF408-BOM')).toMatchObject({ manufacturer: 'ZyXEL', oui: 'EC43F6' })
    } finally {
      cpe.close()
    }
  })
})
