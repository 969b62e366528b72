import { describe, expect, it } from 'vitest'
import { compareVersions, versionTest } from '../../main/core/profiles'
import { benchPerTest } from './fixtures'

// Bad profile input is refused with a message naming what is wrong, and changes nothing.

const { open, current } = benchPerTest()

const GOOD = { name: 'ok', steps: [{ firmware: '2.0.1' }] }

describe('profile input', () => {
  it('compares versions part by part and refuses a bad comparison', () => {
    expect(compareVersions('2.0.10', '2.0.9')).toBe(1)
    expect(compareVersions('1.2', '1.2.0')).toBe(0)
    expect(versionTest('<2.0.1')('2.0.0')).toBe(true)
    expect(versionTest('<2.0.1')('2.0.1')).toBe(false)
    expect(versionTest('>=1.2')('1.10')).toBe(true)
    expect(versionTest('V100*')('V100R001')).toBe(true)
    expect(() => versionTest('<2.0 beta')).toThrow(/"<2.0 beta" is not a version comparison/)
    expect(() => versionTest('>=')).toThrow(/is not a version comparison/)
  })

  it.each([
    [{ ...GOOD, colour: 'red' }, /profile "ok": unknown field "colour" \(known: name, description/],
    [{ ...GOOD, match: { model: 'x', tags: ['a'] } }, /match: unknown field "tags" \(known: manufacturer, oui/],
    [
      { ...GOOD, match: { softwareVersion: '<2.0.1 beta' } },
      /match.softwareVersion: "<2.0.1 beta" is not a version comparison/,
    ],
    [
      { ...GOOD, steps: [{ firmware: '2.0.1', url: 'http://x' }] },
      /steps\[0\]: unknown field "url" \(known: firmware\)/,
    ],
    [{ ...GOOD, steps: [{ reboot: true }] }, /steps\[0\] has no kind/],
    [{ ...GOOD, steps: [{ firmware: '>=2' }] }, /steps\[0\].firmware is the exact version/],
    [{ ...GOOD, steps: [{ set: { SSID: 'x' } }] }, /"SSID" is not a full parameter name/],
    [
      { ...GOOD, steps: [{ addObject: 'Device.IP.Interface' }] },
      /steps\[0\].addObject must be an object path ending with "."/,
    ],
    [{ ...GOOD, steps: [] }, /steps must be a list of 1 to 100 steps/],
    [{ ...GOOD, when: { events: ['1 BOOT'], every: 60 } }, /when: unknown field "every"/],
  ])('refuses %j and changes nothing', async (input, message) => {
    const b = current() ?? (await open())
    b.profiles.save({ name: 'kept', steps: [{ firmware: '1.0' }] })
    const before = b.profiles.export()
    const outbox = b.store.outbox.count()
    expect(() => b.profiles.save(input)).toThrow(message)
    expect(() =>
      b.profiles.import(JSON.stringify({ format: 'bench-acs-profiles/1', profiles: [GOOD, input] })),
    ).toThrow(message)
    expect(b.profiles.export()).toBe(before)
    expect(b.profiles.list().map((p) => p.name)).toEqual(['kept'])
    expect(b.store.outbox.count()).toBe(outbox)
  })

  it('keeps every version and round-trips through export and import', async () => {
    const b = await open()
    b.profiles.save({ ...GOOD, description: 'one' })
    const v2 = b.profiles.save({ ...GOOD, description: 'two', match: { softwareVersion: '<2.0.1' } })
    expect(v2.version).toBe(2)
    expect(b.profiles.versions('ok').map((v) => [v.version, v.definition.description])).toEqual([
      [2, 'two'],
      [1, 'one'],
    ])
    expect(b.profiles.setEnabled('ok', false)).toMatchObject({ version: 3, enabled: false })
    const file = b.profiles.export()
    b.profiles.remove('ok')
    expect(b.profiles.list()).toEqual([])
    const [back] = b.profiles.import(file)
    expect(back).toMatchObject({ name: 'ok', enabled: false, description: 'two', match: { softwareVersion: '<2.0.1' } })
    expect(b.profiles.export()).toBe(file)
  })
})
