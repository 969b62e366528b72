// What a CPE sends must not reach the technician's terminal as control sequences: `bench-acs
// serve` (its session lines), `devices` and `sync --status` as real processes of the built
// command line (out/main/cli.js), a real Inform over HTTP, real SQLite files.
import { CapabilityStore } from '../../main/core/acs/capabilities'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BenchEvents } from '../../main/core/events'
import { SyncService } from '../../main/core/sync'
import { builtCli, ensureBuiltCli } from '../support/built-cli'
import { answerUntilEnd, informXml, ManualCpe } from './helpers'
import { databaseFile, openBenchStore } from '../../main/core/database'

const ROOT = join(__dirname, '..', '..')
const BIN = join(ROOT, 'bin', 'bench-acs.js')

/** What a terminal would act on: C0 but TAB and LF (the process' own line ends), DEL, C1, bidi controls. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\x00-\x08\x0B-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]/

/**
 * Legal XML 1.0, so the ACS takes it: CR and LF (forged lines), DEL, C1 CSI (U+009B, ESC [ on many
 * terminals) and a right-to-left override.
 */
const SERIAL = 'SN\r\nFAKE 00:00:00 line\x7f\u009b31m\u202eRTL'

let dir: string
beforeAll(() => {
  // `npm test` builds first; a bare `vitest run` builds here when out/ is missing or older than main/.
  ensureBuiltCli()
  dir = mkdtempSync(join(tmpdir(), 'bench-acs-terminal-'))
}, 180_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const run = builtCli

/** Resolves with the output so far once it matches. */
function waitFor(child: ChildProcess, output: () => string, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!pattern.test(output())) return
      child.stdout!.off('data', check)
      child.off('exit', exited)
      resolve(output())
    }
    const exited = () => reject(new Error(`exited before printing ${pattern}:\n${output()}`))
    child.stdout!.on('data', check)
    child.once('exit', exited)
    check()
  })
}

describe('CPE strings on the terminal', () => {
  it('serve prints the session of a CPE with control characters in its serial as one escaped line', async () => {
    const serve = spawn(
      process.execPath,
      [BIN, 'serve', '--data', dir, '--cwmp-port', '0', '--bind', '127.0.0.1', '--no-ui'],
      {
        cwd: ROOT,
      },
    )
    let stdout = ''
    serve.stdout!.on('data', (c: Buffer) => (stdout += c.toString()))
    serve.stderr!.resume()
    try {
      const ready = await waitFor(serve, () => stdout, /Press Ctrl\+C to stop/)
      const port = /listening for CPEs on 127\.0\.0\.1:(\d+)/.exec(ready)![1]
      const cpe = new ManualCpe(`http://127.0.0.1:${port}/`)
      try {
        // As &#13;: a raw CR before LF is a line end that XML parsers fold into LF.
        expect((await cpe.post(informXml({ serial: SERIAL }).replace('\r', '&#13;'))).status).toBe(200)
        // A new device: the ACS lists its DeviceInfo. and ManagementServer. objects first.
        const { reply } = await answerUntilEnd(cpe, await cpe.post(null))
        expect(reply.status).toBe(204)
      } finally {
        cpe.close()
      }
      const printed = await waitFor(serve, () => stdout, /completed\n/)
      expect(printed).not.toMatch(RAW_CONTROL)
      const line = printed.split('\n').find((l) => l.includes('SN\\r\\nFAKE'))
      expect(line).toMatch(
        /^\d\d:\d\d:\d\d {2}SN\\r\\nFAKE 00:00:00 line\\x7f\\x9b31m\\u202eRTL {2}127\.0\.0\.1 .* completed$/,
      )
    } finally {
      await new Promise<void>((resolve) => {
        serve.once('exit', () => resolve())
        serve.kill('SIGINT')
      })
    }
  })

  it('devices escapes what the store holds, also ESC and BEL stored before the ACS refused them', async () => {
    const db = new Database(join(dir, 'bench.sqlite'))
    db.prepare('UPDATE devices SET manufacturer = ?, software_version = ?').run(
      'ACME\x1b[2J\x1b]0;owned\x07',
      'v1\u009b',
    )
    db.close()
    const table = await run(['devices', '--data', dir])
    expect(table.code).toBe(0)
    expect(table.stdout).not.toMatch(RAW_CONTROL)
    expect(table.stdout).toContain('SN\\r\\nFAKE 00:00:00 line\\x7f\\x9b31m\\u202eRTL  ACME\\e[2J\\e]0;owned\\x07')
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(2)

    const json = await run(['devices', '--data', dir, '--json'])
    expect(json.stdout).not.toMatch(RAW_CONTROL)
    expect(JSON.parse(json.stdout)).toMatchObject([{ serial: SERIAL, manufacturer: 'ACME\x1b[2J\x1b]0;owned\x07' }])

    // With what the ACS learned about the device.
    const store = openBenchStore(databaseFile(dir))
    try {
      new CapabilityStore(store).setPartialPaths(SERIAL, 'yes')
    } finally {
      store.close()
    }
    const withCaps = JSON.parse((await run(['devices', '--data', dir, '--json'])).stdout)
    expect(withCaps[0].capabilities).toMatchObject({
      partialPaths: 'yes',
      rpcMethods: ['GetParameterValues'],
      unstable: null,
    })
  })

  it('sync --status escapes the serial of a quarantined row', async () => {
    const store = openBenchStore(databaseFile(dir))
    try {
      await new SyncService({ store, events: new BenchEvents() }).configure({ nats: { url: 'nats://127.0.0.1:1' } })
      store.db
        .prepare(
          `INSERT INTO sync_quarantine (target, seq, id, site, topic, key, payload, created_at, reason, hint, at)
           VALUES ('nats', 1, 'X', 's', 'inform', ?, '"<xml/>"', 0, 'too large', 'raise max_payload', 0)`,
        )
        .run(SERIAL)
    } finally {
      store.close()
    }
    const status = await run(['sync', '--status', '--data', dir])
    expect(status.code).toBe(0)
    expect(status.stdout).not.toMatch(RAW_CONTROL)
    expect(status.stdout).toContain(
      '#1 inform SN\\r\\nFAKE 00:00:00 line\\x7f\\x9b31m\\u202eRTL (8 bytes, tried 1×): too large',
    )
  })
})
