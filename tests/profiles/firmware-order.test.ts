import { afterEach, describe, expect, it } from 'vitest'
import type { ProfileRun } from '../../main/core/profiles'
import { informBody, ManualCpe } from '../acs/helpers'
import { testImage } from '../files/helpers'
import { startBench, type TestBench } from '../lua/helpers'

// A CPE that reports TransferComplete before it reboots into the new image (some do: the session
// carrying "7 TRANSFER COMPLETE" still informs the old SoftwareVersion; the "1 BOOT" after it, the
// new one). Hand-driven over real HTTP to the real ACS, with the real file library and SQLite.

let tb: TestBench | undefined
afterEach(async () => {
  await tb?.close()
  tb = undefined
})

const SERIAL = 'EARLYTC1'
const VERSION = 'InternetGatewayDevice.DeviceInfo.SoftwareVersion'

function inform(events: string[], softwareVersion: string) {
  const body = informBody({ serial: SERIAL, events })
  return {
    ...body,
    parameterList: body.parameterList.map((p) => (p.name === VERSION ? { ...p, value: softwareVersion } : p)),
  }
}

describe('the firmware step with a CPE that reports TransferComplete before rebooting', () => {
  it('waits for the Inform after the reboot and records the version it reports there', async () => {
    tb = await startBench({ cwmp: { discoverOnBootstrap: false, holdSessionMs: 2_000 } })
    const { bench, url } = tb
    await bench.files.library.add({ content: testImage('2.0.1', 'Router'), name: 'fw-2.0.1.bin' })
    bench.profiles.save({
      name: 'early reporter',
      match: { serial: 'EARLYTC*' },
      when: { events: ['0 BOOTSTRAP'] },
      steps: [{ firmware: '2.0.1' }],
    })
    const ended = new Promise<ProfileRun>((resolve) => {
      const off = bench.events.on('profile.run', ({ run }) => {
        if (run.serial !== SERIAL || run.status === 'running') return
        off()
        resolve(run)
      })
    })

    // Session 1: BOOTSTRAP; the profile sends the Download, the CPE accepts it for later (status 1).
    const cpe = new ManualCpe(url)
    expect((await cpe.post(inform(['0 BOOTSTRAP'], '1.0.0'))).status).toBe(200)
    const download = await cpe.post(null)
    const body = download.envelope?.body
    expect(body?.method).toBe('Download')
    const commandKey = body?.method === 'Download' ? body.commandKey : ''
    const now = new Date().toISOString()
    const after = await cpe.post(
      { method: 'DownloadResponse', status: 1, startTime: now, completeTime: now },
      download.envelope?.header.id,
    )
    expect(after.status).toBe(204)
    cpe.close()

    // Session 2: the CPE reports the transfer before it reboots; its Inform still says 1.0.0.
    const early = new ManualCpe(url)
    expect((await early.post(inform(['7 TRANSFER COMPLETE', 'M Download'], '1.0.0'))).status).toBe(200)
    const ack = await early.post({
      method: 'TransferComplete',
      commandKey,
      faultStruct: { faultCode: 0, faultString: '' },
      startTime: now,
      completeTime: now,
    })
    expect(ack.envelope?.body?.method).toBe('TransferCompleteResponse')
    expect((await early.post(null)).status).toBe(204)
    early.close()
    // The step has not failed on the old version: it is waiting for the reboot.
    expect(bench.profiles.runs({ serial: SERIAL }).every((r) => r.status === 'running')).toBe(true)

    // Session 3: after its reboot the CPE informs the new version.
    const booted = new ManualCpe(url)
    expect((await booted.post(inform(['1 BOOT'], '2.0.1'))).status).toBe(200)
    expect((await booted.post(null)).status).toBe(204)
    booted.close()

    const run = await ended
    expect(run.status).toBe('done')
    expect(run.steps[0]).toMatchObject({ outcome: 'applied' })
    expect(run.steps[0]?.detail).toContain('1.0.0 → 2.0.1')
  }, 60_000)
})
