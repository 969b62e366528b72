import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCliFromSources } from '../support/cli'
import type { LibraryFile } from '../../main/core/files'

// `bench-acs files …` as a user runs it: a real process (the sources through tsx) on a real data folder.

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const cli = (...args: string[]) => runCliFromSources(['files', ...args])

describe('bench-acs files', () => {
  it('makes a test image, adds it, lists it, refuses bad input without changing anything, and removes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-files-cli-'))
    dirs.push(dir)
    const data = join(dir, 'data')
    const image = join(dir, 'fw-2.0.1.bin')
    expect(
      (await cli('make-image', '--version', '2.0.1', '--product-class', 'BR1800', '--size', '4096', image)).code,
    ).toBe(0)

    const added = await cli('add', image, '--data', data, '--json')
    expect(added.code, added.err).toBe(0)
    const file = JSON.parse(added.out) as LibraryFile
    expect(file).toMatchObject({
      name: 'fw-2.0.1.bin',
      fileType: '1 Firmware Upgrade Image',
      version: '2.0.1',
      productClass: 'BR1800',
      downloads: 0,
    })
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(file.size).toBeGreaterThan(4096)

    const config = join(dir, 'router.cfg')
    writeFileSync(config, 'ssid=bench\n')
    expect((await cli('add', config, '--type', 'config', '--data', data)).out).toMatch(
      /^Added router.cfg: 3 Vendor Configuration File, 11 bytes/,
    )

    // Bad input: a clear message, exit 2, and the library as it was.
    const wrongVersion = await cli('add', image, '--name', 'other.bin', '--version', '3.0', '--data', data)
    expect(wrongVersion).toMatchObject({ code: 2 })
    expect(wrongVersion.err).toMatch(/says it is version 2.0.1, not 3.0/)
    const badType = await cli('add', config, '--name', 'x.cfg', '--type', 'spreadsheet', '--data', data)
    expect(badType.code).toBe(2)
    expect(badType.err).toMatch(/not a file type/)
    expect((await cli('add', join(dir, 'missing.bin'), '--data', data)).err).toMatch(/Cannot read .*ENOENT/)
    expect((await cli('rm', 'nothing.bin', '--data', data)).code).toBe(1)

    const listed = await cli('list', '--data', data, '--json')
    const files = JSON.parse(listed.out) as LibraryFile[]
    expect(files.map((f) => f.name).sort()).toEqual(['fw-2.0.1.bin', 'router.cfg'])
    for (const f of files)
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining(['name', 'fileType', 'size', 'sha256', 'version', 'addedAt', 'downloads']),
      )
    expect(readdirSync(join(data, 'files'))).toHaveLength(2)
    const table = await cli('list', '--data', data)
    expect(table.out).toMatch(/^NAME\s+TYPE\s+SIZE\s+VERSION/)
    expect(table.out).toMatch(/fw-2\.0\.1\.bin\s+1 Firmware Upgrade Image\s+\d+\s+2\.0\.1\s+BR1800/)

    expect((await cli('rm', 'fw-2.0.1.bin', '--data', data)).out).toBe('Removed fw-2.0.1.bin.\n')
    expect(JSON.parse((await cli('list', '--data', data, '--json')).out).map((f: LibraryFile) => f.name)).toEqual([
      'router.cfg',
    ])
    expect(readdirSync(join(data, 'files'))).toHaveLength(1)
  }, 180_000)
})
