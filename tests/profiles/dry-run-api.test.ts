import { afterEach, describe, expect, it } from 'vitest'
import { createApiService, type BenchApiService } from '../../main/api'
import type { CallReply, DryRunReport } from '../../preload/api'
import { testImage } from '../files/helpers'
import { startBench, type TestBench } from '../lua/helpers'
import { ok } from '../support/api-reply'

// profiles.dryRun as the UI calls it: through the API service, on a real bench whose "real"
// device is a simulated CPE that informed it. The dry run must run the profile on a stand-in of
// that device in a bench of its own and leave the real one, its store and its outbox alone.

let tb: TestBench | undefined
let api: BenchApiService | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
  await tb?.close()
  tb = undefined
})

const SSID = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID'
const INTERVAL = 'InternetGatewayDevice.ManagementServer.PeriodicInformInterval'
const PROFILE = {
  name: 'lab',
  match: { productClass: 'BM632w' },
  when: { events: [] },
  steps: [{ firmware: '2.0.1' }, { set: { [SSID]: 'bench-lab' } }, { set: { [INTERVAL]: 600 } }],
}

async function call(channel: string, ...args: unknown[]): Promise<CallReply> {
  return api!.call(channel, args)
}
function value<T>(channel: string, ...args: unknown[]): Promise<T> {
  return ok<T>(call(channel, ...args))
}

/** A UI connection subscribed to profiles.dryRuns, collecting the reports it is sent. */
function watchDryRuns(service: BenchApiService) {
  const streamed: DryRunReport[] = []
  const connection = service.connect((stream, batch) => {
    if (stream === 'profiles.dryRuns') streamed.push(...(batch as DryRunReport[]))
  })
  connection.subscribe('profiles.dryRuns', true)
  return { streamed, connection }
}

describe('profiles.dryRun', () => {
  it('runs the steps on a stand-in of the device (its stored values included) and changes nothing of the real one', async () => {
    tb = await startBench()
    const { bench } = tb
    api = createApiService(bench, { shell: 'browser', version: 'test' })
    const { streamed, connection } = watchDryRuns(api)

    let ended = 0
    bench.events.on('session.ended', () => ended++)
    const fleet = await tb.sims({ count: 1, model: 'tr098', serialPrefix: 'REAL' })
    const real = fleet.cpes[0]!
    // The SSID the profile wants is already on the device, as its stored values say.
    await bench.acs.execute(real.serial, {
      method: 'SetParameterValues',
      parameterList: [{ name: SSID, value: 'bench-lab', type: 'xsd:string' }],
      parameterKey: '',
    })
    await bench.files.library.add(
      { name: 'fw-2.0.1.bin', content: testImage('2.0.1', 'BM632w', 20_000) },
      { version: '2.0.1', productClass: 'BM632w' },
    )
    await value('profiles.save', PROFILE)
    // The real CPE's session ends on both sides (the CPE counted it, the ACS wrote its last rows)
    // before the snapshot is taken.
    await expect
      .poll(() => !bench.acs.inSession(real.serial) && real.sessions === ended, { timeout: 30_000 })
      .toBe(true)

    const snapshot = () => ({
      device: bench.store.devices.get(real.serial),
      params: bench.store.parameters.subtree(real.serial, ''),
      devices: bench.store.devices.list().map((d) => d.serial),
      runs: bench.profiles.runs(),
      states: bench.profiles.states(),
      outbox: bench.store.outbox.maxSeq(),
      fetches: bench.files.library.fetches(),
      sessions: real.sessions,
      version: real.get('InternetGatewayDevice.DeviceInfo.SoftwareVersion'),
      interval: real.get(INTERVAL),
    })
    const before = snapshot()
    expect(before.params.find((p) => p.name === SSID)?.value).toBe('bench-lab')

    const report = await value<DryRunReport>('profiles.dryRun', 'lab', { serial: real.serial })
    expect(report).toMatchObject({
      dryRun: true,
      profile: 'lab',
      profileVersion: 1,
      device: real.serial,
      simSerial: real.serial,
      state: 'done',
      identity: { productClass: 'BM632w', softwareVersion: before.device!.softwareVersion },
    })
    expect(report.storedValues).toBeGreaterThan(20)
    expect(report.steps.map((s) => s.outcome)).toEqual(['would-apply', 'held', 'would-apply'])
    expect(report.steps[0]!.detail).toContain('→ 2.0.1 (fw-2.0.1.bin)')
    expect(report.steps[2]!.detail).toContain(INTERVAL)
    expect(report.message).toBe('Dry run done: 2 would apply, 1 already holds, 0 would fail.')
    await expect.poll(() => streamed.map((r) => r.state), { timeout: 10_000 }).toContain('done')
    // Progress came before the end (reports pushed within one flush of the stream are coalesced
    // to the latest, so which of 'preparing', 'starting' and 'running' arrive depends on the
    // machine's speed).
    expect(['preparing', 'starting', 'running']).toContain(streamed[0]!.state)

    // Nothing of the real bench changed: device, values, runs, provisioning state, outbox, fetches, the CPE.
    expect(snapshot()).toEqual(before)

    // Against the profile's match: a default simulated BM632w (whose SSID is not the wanted one).
    const byMatch = await value<DryRunReport>('profiles.dryRun', 'lab')
    expect(byMatch).toMatchObject({ device: null, simSerial: 'DRYRUN000001', storedValues: 0, state: 'done' })
    expect(byMatch.steps.map((s) => s.outcome)).toEqual(['would-apply', 'would-apply', 'would-apply'])
    expect(bench.store.devices.list().map((d) => d.serial)).toEqual([real.serial])
    connection.close()
  })

  it("counts what profiles restored on the device before, and runs the library's scripts in its own bench", async () => {
    tb = await startBench()
    const { bench } = tb
    api = createApiService(bench, { shell: 'browser', version: 'test' })
    const fleet = await tb.sims({ count: 1, model: 'tr098', serialPrefix: 'REAL' })
    const serial = fleet.cpes[0]!.serial
    const cfg = await bench.files.library.add(
      { name: 'lab-config.xml', content: Buffer.from('<config/>') },
      { type: 'config' },
    )
    bench.profiles.profiles.setMark(serial, 'config:lab-config.xml', cfg.sha256, Date.now())
    bench.scripts.create({ name: 'says-held', source: 'print("checked " .. DEVICE)\nreturn "held"' })
    await value('profiles.save', {
      name: 'restore',
      match: { serial },
      steps: [{ config: 'lab-config.xml' }, { script: 'says-held' }, { script: 'not-in-library' }],
    })
    const scriptRuns = bench.scripts.runs().length

    const report = await value<DryRunReport>('profiles.dryRun', 'restore', { serial })
    expect(report.steps.map((s) => [s.outcome, s.detail.replace(/\(run \w+\)/, '(run …)')])).toEqual([
      ['held', `lab-config.xml (sha256 ${cfg.sha256.slice(0, 12)}…) was restored before`],
      ['held', 'script says-held says it holds (run …)'],
      ['would-fail', 'the script library has no script "not-in-library"'],
    ])
    // The script ran in the dry run's bench: none in this one's runs.
    expect(bench.scripts.runs()).toHaveLength(scriptRuns)
    expect(bench.profiles.runs()).toEqual([])
  })

  it('stops on profiles.stopDryRun: the step in flight is cut short, the rest not reached; one dry run at a time', async () => {
    tb = await startBench()
    const { bench } = tb
    api = createApiService(bench, { shell: 'browser', version: 'test' })
    const { streamed, connection } = watchDryRuns(api)
    bench.scripts.create({ name: 'slow', source: 'sleep(600000)' })
    await value('profiles.save', { name: 'slow', match: {}, steps: [{ script: 'slow' }, { set: { [INTERVAL]: 60 } }] })
    expect(await value('profiles.stopDryRun')).toBe(false)

    const pending = call('profiles.dryRun', 'slow')
    await expect.poll(() => streamed.some((r) => r.state === 'running'), { timeout: 30_000 }).toBe(true)
    expect(await call('profiles.dryRun', 'slow')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('A dry run is already under way') },
    })
    expect(await value('profiles.stopDryRun')).toBe(true)
    const reply = await pending
    expect(reply.ok).toBe(true)
    const report = (reply as { value: DryRunReport }).value
    expect(report.steps.map((s) => s.outcome)).toEqual(['would-fail', 'not-reached'])
    expect(report.steps[0]!.detail).toMatch(/^stopped by the technician during this step/)
    connection.close()
  })

  it('says what is wrong: an unknown profile or device, a target the match does not fit, a firmware the library lacks', async () => {
    tb = await startBench()
    api = createApiService(tb.bench, { shell: 'browser', version: 'test' })
    const fleet = await tb.sims({ count: 1, model: 'tr098', serialPrefix: 'REAL' })
    const serial = fleet.cpes[0]!.serial
    await value('profiles.save', PROFILE)

    expect(await call('profiles.dryRun', 'nope', { serial })).toMatchObject({
      ok: false,
      error: { name: 'NotFoundError', message: expect.stringContaining('There is no profile "nope"') },
    })
    expect(await call('profiles.dryRun', 'lab', { serial: 'GHOST' })).toMatchObject({
      ok: false,
      error: { name: 'NotFoundError', message: expect.stringContaining('There is no device "GHOST"') },
    })
    expect(await call('profiles.dryRun', 'lab', { serial, productClass: 'x' })).toMatchObject({
      ok: false,
      error: { name: 'BadRequestError' },
    })
    await value('profiles.save', { ...PROFILE, name: 'other', match: { productClass: 'HG8245' } })
    const misfit = await call('profiles.dryRun', 'other', { serial })
    expect(misfit).toMatchObject({ ok: false, error: { name: 'BadRequestError' } })
    expect(!misfit.ok && misfit.error.message).toBe(
      `Profile "other" does not match ${serial}: productClass "HG8245" ≠ "BM632w". Pick a device it matches, or dry-run against the profile's match.`,
    )

    // No image in the library: the firmware step would fail and says why; a real run stops there.
    const report = await value<DryRunReport>('profiles.dryRun', 'lab', { serial })
    expect(report.state).toBe('done')
    expect(report.steps.map((s) => s.outcome)).toEqual(['would-fail', 'not-reached', 'not-reached'])
    expect(report.steps[0]!.detail).toMatch(
      /the library has no firmware image of version 2\.0\.1 for product class "BM632w"/,
    )
    expect(report.steps[1]!.detail).toBe('a real run stops at step 1, which would fail')
    expect(tb.bench.profiles.runs()).toEqual([])
  })
})
