import { afterEach, describe, expect, it } from 'vitest'
import type { ProfileRun } from '../../main/core/profiles'
import { startBench, type TestBench } from '../lua/helpers'

// A profile matched on the technician's tags: real simulated CPEs over real HTTP, a real SQLite file.

let tb: TestBench | undefined
afterEach(async () => {
  await tb?.close()
  tb = undefined
})

const SSID = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID'

describe('a profile that matches on a tag', () => {
  it('runs on the tagged devices only, with the tag read when the event comes', async () => {
    tb = await startBench()
    const { bench } = tb
    bench.profiles.save({
      name: 'customer 42',
      match: { tag: 'CUSTOMER-4*' },
      when: { events: ['1 BOOT'] },
      steps: [{ set: { [SSID]: 'customer-42' } }],
    })
    const fleet = await tb.sims({ count: 3, model: 'tr098', serialPrefix: 'TAG' })
    const [tagged, other, late] = fleet.cpes.map((c) => c.serial) as [string, string, string]
    bench.store.tags.add([tagged], 'customer-42')
    bench.store.tags.add([other], 'customer-7')

    const ran = new Promise<ProfileRun>((resolve) => {
      const off = bench.events.on('profile.run', ({ run }) => {
        if (run.status === 'running') return
        off()
        resolve(run)
      })
    })
    await Promise.all(fleet.cpes.map((c) => c.inform(['1 BOOT'])))
    const run = await ran
    expect(run).toMatchObject({ serial: tagged, status: 'done', trigger: '1 BOOT' })
    expect(fleet.cpes[0]!.get(SSID)).toBe('customer-42')
    expect(bench.profiles.runs({ serial: other })).toEqual([])
    expect(bench.profiles.runs({ serial: late })).toEqual([])

    // Tagged now: its next boot runs the profile.
    bench.store.tags.add([late], 'customer-42')
    const second = new Promise<ProfileRun>((resolve) => {
      const off = bench.events.on('profile.run', ({ run }) => {
        if (run.status === 'running' || run.serial !== late) return
        off()
        resolve(run)
      })
    })
    await fleet.cpes[2]!.inform(['1 BOOT'])
    expect(await second).toMatchObject({ serial: late, status: 'done' })
    expect(fleet.cpes[2]!.get(SSID)).toBe('customer-42')
    expect(fleet.cpes[1]!.get(SSID)).not.toBe('customer-42')
  }, 120_000)

  it('refuses a tag that is not text, naming the field', () => {
    return startBench().then((b) => {
      tb = b
      expect(() =>
        b.bench.profiles.save({
          name: 'bad',
          match: { tag: 42 },
          when: { events: ['1 BOOT'] },
          steps: [{ set: { [SSID]: 'x' } }],
        }),
      ).toThrow(/match\.tag/)
    })
  })
})
