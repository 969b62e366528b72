import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { CONFIG_FORMAT } from '../../main/core/sim/config-file'
import { startBench, stdout, type TestBench } from './helpers'

// The script API past the page's three functions, against a simulated TR-098 CPE through the
// real ACS: each call below is a real CWMP session (woken by a connection request).

const IGD = 'InternetGatewayDevice.'
const WLAN = `${IGD}LANDevice.1.WLANConfiguration.1.`
const POOLS = `${IGD}LANDevice.1.LANHostConfigManagement.DHCPConditionalServingPool.`

let t: TestBench | undefined
let files: Server | undefined

afterEach(async () => {
  if (files) {
    files.closeAllConnections()
    await new Promise((r) => files!.close(r))
    files = undefined
  }
  await t?.close()
  t = undefined
})

async function runOn(serial: string, source: string) {
  const [run] = t!.bench.scripts.runSource({ name: 'test', source, target: { kind: 'devices', serials: [serial] } })
  const done = await t!.bench.scripts.wait(run!.id)
  return { run: done, lines: stdout(t!.bench, done.id) }
}

describe('the friendly API', () => {
  it("reads, writes with the data model's types, lists, adds and deletes, with nil, err on faults", async () => {
    t = await startBench()
    const [cpe] = (await t.sims({ count: 1 })).cpes
    const sn = cpe!.serial
    const { run, lines } = await runOn(
      sn,
      `
      local WLAN = "${WLAN}"
      assert(DEVICE == "${sn}" and DEVICES[1] == DEVICE and TRIGGER.kind == "manual")
      local v = get_parameter_values(DEVICE, WLAN)          -- a subtree: stores each parameter's type
      print("ssid", v[WLAN .. "SSID"])
      -- Channel is xsd:int and Enable xsd:boolean on this device: sent as such, not guessed.
      print("set", set_parameter_values(DEVICE, { [WLAN .. "SSID"] = "bench ssid", [WLAN .. "Channel"] = 11, [WLAN .. "Enable"] = false }, { parameter_key = "k1" }))
      local after = get_parameter_values(DEVICE, { WLAN .. "SSID", WLAN .. "Channel" })
      print("after", after[WLAN .. "SSID"], after[WLAN .. "Channel"])

      local none, err = get_parameter_values(DEVICE, "${IGD}NoSuchThing.")
      print("fault", none, err.kind, err.code, err.code == 9005)
      print("concat", ("failed: " .. err):find("^failed: CWMP fault 9005 %(Invalid parameter name%)") == 1)

      local bad, why = set_parameter_values(DEVICE, { [WLAN .. "Channel"] = "eleven" })
      print("invalid", bad, why.kind, why.message:find("not a valid xsd:int") ~= nil)
      local wrong, typed = set_parameter_values(DEVICE, { [WLAN .. "Channel"] = { value = 1, type = "xsd:boolean" } })
      print("type fault", wrong, typed.code, typed.parameters[1].name == WLAN .. "Channel", typed.parameters[1].code)

      local names = get_parameter_names(DEVICE, "${IGD}LANDevice.1.", true)
      print("names", names["${IGD}LANDevice.1.WLANConfiguration."] ~= nil, names[WLAN .. "SSID"])

      local n, status = add_object(DEVICE, "${POOLS}", { parameter_key = "k2" })
      print("add", n % 1 == 0, status)
      print("delete", delete_object(DEVICE, "${POOLS}" .. n .. "."))
      local ro, roErr = add_object(DEVICE, "${IGD}LANDevice.1.WLANConfiguration.")
      print("read-only table", ro, roErr.code)

      local unknown, uerr = get_parameter_values("NO-SUCH-SERIAL", WLAN .. "SSID")
      print("unknown", unknown, uerr.kind)

      local all = list_devices()
      print("list", #all, all[1].sn == DEVICE, all[1].status, #list_devices("no-match"), #list_devices({ status = 0 }))
      return after
    `,
    )
    expect(run.error).toBeNull()
    expect(lines).toEqual([
      `ssid\t${'404 WiMAX Not Found'}`,
      'set\ttrue\t0',
      'after\tbench ssid\t11',
      'fault\tnil\tfault\t9005\ttrue',
      'concat\ttrue',
      'invalid\tfalse\tinvalid\ttrue',
      `type fault\tfalse\t9003\ttrue\t9006`,
      'names\ttrue\tnil',
      'add\ttrue\t0',
      'delete\ttrue\t0',
      'read-only table\tnil\t9001',
      'unknown\tnil\tunknown_device',
      'list\t1\ttrue\t2\t0\t0',
    ])
    expect(cpe!.get(`${WLAN}SSID`)).toBe('bench ssid')
    expect(cpe!.get(`${WLAN}Channel`)).toBe('11')
    expect(['0', 'false']).toContain(cpe!.get(`${WLAN}Enable`))
    expect(run.result).toEqual([{ [`${WLAN}SSID`]: 'bench ssid', [`${WLAN}Channel`]: '11' }])
    // Every host call is on the run's record, with how it went.
    expect(run.calls.map((c) => [c.name, c.ok, c.error ?? null])).toEqual([
      ['get_parameter_values', true, null],
      ['set_parameter_values', true, null],
      ['get_parameter_values', true, null],
      ['get_parameter_values', false, '9005'],
      ['set_parameter_values', false, 'invalid'],
      ['set_parameter_values', false, '9003'],
      ['get_parameter_names', true, null],
      ['add_object', true, null],
      ['delete_object', true, null],
      ['add_object', false, '9001'],
      ['get_parameter_values', false, 'unknown_device'],
      ['list_devices', true, null],
      ['list_devices', true, null],
      ['list_devices', true, null],
    ])
  })

  it('download waits for TransferComplete when asked', async () => {
    t = await startBench()
    const [cpe] = (await t.sims({ count: 1 })).cpes
    files = createServer((req, res) => {
      if (req.url === '/missing.bin') return res.writeHead(404).end()
      // A configuration file in the simulator's format: applying it renames the Wi-Fi.
      const config = {
        format: CONFIG_FORMAT,
        serial: '',
        created: '',
        instances: [],
        parameters: { [`${WLAN}SSID`]: 'from-config' },
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(config))
    })
    await new Promise<void>((r) => files!.listen(0, '127.0.0.1', r))
    const base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`
    const { run, lines } = await runOn(
      cpe!.serial,
      `
      local ok, done = download(DEVICE, { url = "${base}/config.xml", file_type = "config", wait = true, timeout_ms = 20000 })
      print("ok", ok, type(done) == "table" and done.complete_time ~= nil)
      local failed, err = download(DEVICE, { url = "${base}/missing.bin", file_type = "config", wait = true, timeout_ms = 20000 })
      print("missing", failed, err.kind, err.code ~= nil and err.code >= 9010 and err.code <= 9020)
      print("queued", download(DEVICE, { url = "${base}/config.xml", file_type = "3 Vendor Configuration File" }))
      print(pcall(download, DEVICE, { file_type = "config" }))
    `,
    )
    expect(run.error).toBeNull()
    expect(lines).toEqual([
      'ok\ttrue\ttrue',
      'missing\tfalse\tfault\ttrue',
      'queued\ttrue\t1',
      "false\tbad argument #2 to 'download' (field 'file' (a library file) or 'url' is required)",
    ])
    expect(cpe!.get(`${WLAN}SSID`)).toBe('from-config')
  })
})
