import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCliFromSources } from '../support/cli'
import type { ProfileRecord } from '../../main/core/profiles'

// `bench-acs profiles …` as a user runs it: a real process (the sources through tsx) on a real data folder.

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const cli = (...args: string[]) => runCliFromSources(['profiles', ...args])

const SHARED = {
  format: 'bench-acs-profiles/1',
  profiles: [
    {
      name: 'lab upgrade',
      match: { productClass: 'BM632w', softwareVersion: '<2.0.1' },
      when: { events: ['0 BOOTSTRAP'] },
      steps: [{ firmware: '2.0.1' }, { set: { 'InternetGatewayDevice.ManagementServer.PeriodicInformInterval': 300 } }],
    },
    { name: 'ssid', steps: [{ set: { 'Device.WiFi.SSID.1.SSID': 'bench' } }] },
  ],
}

describe('bench-acs profiles', () => {
  it('imports a shared file, lists it, exports it unchanged, and refuses a bad file without changing anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-profiles-cli-'))
    dirs.push(dir)
    const data = join(dir, 'data')
    const file = join(dir, 'team.json')
    writeFileSync(file, JSON.stringify(SHARED))

    const imported = await cli('import', file, '--data', data)
    expect(imported.code, imported.err).toBe(0)
    expect(imported.out).toBe('Imported lab upgrade (version 1, 2 steps)\nImported ssid (version 1, 1 steps)\n')

    const listed = await cli('list', '--json', '--data', data)
    expect(listed.code).toBe(0)
    const list = JSON.parse(listed.out) as ProfileRecord[]
    expect(list.map((p) => [p.name, p.version, p.enabled, p.when.events])).toEqual([
      ['lab upgrade', 1, true, ['0 BOOTSTRAP']],
      ['ssid', 1, true, []],
    ])
    expect((await cli('list', '--data', data)).out).toMatch(
      /lab upgrade\s+1\s+yes\s+productClass=BM632w softwareVersion=<2\.0\.1\s+0 BOOTSTRAP\s+2/,
    )

    const exported = await cli('export', '--data', data)
    expect(exported.code).toBe(0)
    const back = JSON.parse(exported.out) as typeof SHARED
    expect(back.profiles.map((p) => p.name)).toEqual(['lab upgrade', 'ssid'])
    expect(back.profiles[0]).toMatchObject(SHARED.profiles[0]!)
    const one = join(dir, 'one.json')
    expect((await cli('export', 'ssid', '--out', one, '--data', data)).code).toBe(0)
    expect(JSON.parse(readFileSync(one, 'utf8'))).toMatchObject({ profiles: [{ name: 'ssid' }] })

    // Bad input: a clear message, exit 2, nothing saved (the good profile in the file neither).
    const bad = join(dir, 'bad.json')
    writeFileSync(
      bad,
      JSON.stringify({
        ...SHARED,
        profiles: [
          { ...SHARED.profiles[1], name: 'new one' },
          { ...SHARED.profiles[0], match: { softwareVersion: '<=two dot oh' } },
        ],
      }),
    )
    const refused = await cli('import', bad, '--data', data)
    expect(refused.code).toBe(2)
    expect(refused.err).toMatch(
      /profile "lab upgrade": match\.softwareVersion: "<=two dot oh" is not a version comparison/,
    )
    writeFileSync(bad, JSON.stringify({ ...SHARED.profiles[1], steps: [{ set: {}, retries: 3 }] }))
    expect((await cli('import', bad, '--data', data)).err).toMatch(/steps\[0\]: unknown field "retries" \(known: set\)/)
    expect((await cli('export', '--data', data)).out).toBe(exported.out)

    const missing = await cli('export', 'nope', '--data', data)
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/There is no profile "nope"/)

    // A second import saves new versions of the same profiles.
    expect((await cli('import', file, '--data', data)).out).toMatch(/Imported lab upgrade \(version 2/)
    // Each run starts a process through tsx: seconds apiece on a busy machine.
  }, 300_000)
})

describe('bench-acs profiles with YAML', () => {
  it('imports a .yaml file, exports YAML with --yaml or to a .yml file, and refuses a bad one naming its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-profiles-cli-'))
    dirs.push(dir)
    const data = join(dir, 'data')
    const file = join(dir, 'team.yaml')
    writeFileSync(
      file,
      [
        'name: nightly',
        'when:',
        '  schedule: "30 2 * * 1-5"',
        'steps:',
        '  - set: { InternetGatewayDevice.ManagementServer.PeriodicInformInterval: 300 }',
        '',
      ].join('\n'),
    )
    const imported = await cli('import', file, '--data', data)
    expect(imported.code, imported.err).toBe(0)
    expect(imported.out).toBe('Imported nightly (version 1, 1 steps)\n')
    expect((await cli('list', '--data', data)).out).toMatch(/nightly\s+1\s+yes\s+any\s+cron 30 2 \* \* 1-5\s+1/)

    const yaml = await cli('export', '--yaml', '--data', data)
    expect(yaml.code).toBe(0)
    expect(yaml.out).toMatch(/^format: bench-acs-profiles\/1\nprofiles:\n {2}- name: nightly\n/)
    expect(yaml.out).toContain('schedule: 30 2 * * 1-5')
    const out = join(dir, 'again.yml')
    expect((await cli('export', 'nightly', '--out', out, '--data', data)).code).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe(yaml.out)

    const bad = join(dir, 'bad.yml')
    writeFileSync(bad, yaml.out.replace('schedule: 30 2 * * 1-5', 'schedule: 30 25 * * *'))
    const refused = await cli('import', bad, '--data', data)
    expect(refused.code).toBe(2)
    expect(refused.err).toMatch(
      /bad\.yml line 9: profile "nightly": when\.schedule "30 25 \* \* \*" is not a valid cron/,
    )
    expect((await cli('export', '--yaml', '--data', data)).out).toBe(yaml.out)
    expect((await cli('list', '--json', '--data', data)).out).toMatch(/"version": 1/)
  }, 300_000)
})
