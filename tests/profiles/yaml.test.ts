import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { benchPerTest } from './fixtures'

// Profiles shared as YAML: the same checks as JSON, errors that name the field and its line, and
// an export that imports back to the same profiles. A real bench on a real SQLite file.

const { open, current } = benchPerTest('bench-profiles-yaml-')

const TEAM = `# the lab's profiles
format: bench-acs-profiles/1
profiles:
  - name: lab upgrade
    match:
      productClass: BM632w
      softwareVersion: "<2.0.1"
    when:
      events: [0 BOOTSTRAP, 1 BOOT]
      schedule: 0 3 * * *
    steps:
      - firmware: 2.0.1
      - set:
          InternetGatewayDevice.ManagementServer.PeriodicInformInterval: 300
          InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID: bench-lab
  - name: ssid
    steps:
      - set: { Device.WiFi.SSID.1.SSID: bench }
`

describe('profiles as YAML', () => {
  it('imports a YAML file, exports it as YAML that imports back to the same profiles', async () => {
    const b = await open()
    const saved = b.profiles.import(TEAM, 'team.yaml')
    expect(saved.map((p) => p.name)).toEqual(['lab upgrade', 'ssid'])
    expect(b.profiles.get('lab upgrade')).toMatchObject({
      match: { productClass: 'BM632w', softwareVersion: '<2.0.1' },
      when: { events: ['0 BOOTSTRAP', '1 BOOT'], schedule: '0 3 * * *' },
      steps: [
        { firmware: '2.0.1' },
        {
          set: {
            'InternetGatewayDevice.ManagementServer.PeriodicInformInterval': 300,
            'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID': 'bench-lab',
          },
        },
      ],
    })
    const yaml = b.profiles.export(undefined, 'yaml')
    expect(parse(yaml)).toEqual(JSON.parse(b.profiles.export()))
    expect(yaml).toMatch(/^format: bench-acs-profiles\/1\nprofiles:\n/)
    // One long parameter path stays on one line.
    expect(yaml).toMatch(/\n +InternetGatewayDevice\.LANDevice\.1\.WLANConfiguration\.1\.SSID: bench-lab\n/)
    for (const p of b.profiles.list()) b.profiles.remove(p.name)
    // Without a file name the content says which: YAML here.
    b.profiles.import(yaml)
    expect(b.profiles.export(undefined, 'yaml')).toBe(yaml)
    expect(b.profiles.list().map((p) => p.version)).toEqual([1, 1])
  })

  it.each([
    [
      TEAM.replace('    match:\n', '    colour: red\n    match:\n'),
      /team\.yaml line 5: profile "lab upgrade": unknown field "colour"/,
    ],
    [
      TEAM.replace('"<2.0.1"', '"<2.0 beta"'),
      /team\.yaml line 7: profile "lab upgrade": match\.softwareVersion: "<2\.0 beta" is not a version comparison/,
    ],
    [
      TEAM.replace('      - firmware: 2.0.1\n', '      - firmware: 2.0.1\n        url: http://x\n'),
      /team\.yaml line 13: .*steps\[0\]: unknown field "url" \(known: firmware\)/,
    ],
    [
      TEAM.replace('schedule: 0 3 * * *', 'schedule: 61 3 * * *'),
      /team\.yaml line 10: .*when\.schedule "61 3 \* \* \*" is not a valid cron expression/,
    ],
    [
      TEAM.replace('schedule: 0 3 * * *', 'schedule: every night'),
      /line 10: .*when\.schedule "every night" has 2 fields/,
    ],
    [
      TEAM.replace('  - name: ssid\n', '  - name: ssid\n    name: again\n'),
      /team\.yaml is not valid YAML \(line 17\): Map keys must be unique/,
    ],
    [
      TEAM.replace('    steps:\n      - firmware', '    steps:\n    - firmware: [\n      - firmware'),
      /team\.yaml is not valid YAML \(line \d+\)/,
    ],
  ])('refuses a bad file, naming the field and its line, and changes nothing (%#)', async (content, message) => {
    const b = current() ?? (await open())
    b.profiles.save({ name: 'kept', steps: [{ firmware: '1.0' }] })
    const before = b.profiles.export()
    const outbox = b.store.outbox.count()
    expect(() => b.profiles.import(content, 'team.yaml')).toThrow(message)
    expect(b.profiles.export()).toBe(before)
    expect(b.store.outbox.count()).toBe(outbox)
  })

  it('names the line in a JSON file too, and refuses an alias bomb', async () => {
    const b = await open()
    const json = JSON.stringify(
      { format: 'bench-acs-profiles/1', profiles: [{ name: 'x', steps: [{ firmware: '1', url: 'u' }] }] },
      null,
      2,
    )
    expect(() => b.profiles.import(json, 'team.json')).toThrow(
      /team\.json line 9: profile "x": steps\[0\]: unknown field "url"/,
    )
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n')
    expect(() => b.profiles.import(bomb, 'bomb.yaml')).toThrow(/bomb\.yaml: .*alias/i)
    expect(b.profiles.list()).toEqual([])
  })
})
