// The command line: `serve --nats URL` (in process, through startServe) and `sync --once/--status`
// (through runCli), against a real nats-server.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../main/cli/index'
import { startServe } from '../../main/cli/serve'
import { startSimulator } from '../../main/core/sim'
import { produce, streamMessages, tempDir, waitForTarget } from './helpers'
import { startNatsServer } from './nats-server'
import { openBenchStore, databaseFile } from '../../main/core/database'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  vi.restoreAllMocks()
  for (const c of cleanups.splice(0).reverse()) await c()
})

function captureConsole() {
  const out: string[] = []
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')))
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')))
  return out
}

describe('bench-acs serve --nats', () => {
  it('saves the target in the sync settings and syncs what the ACS stores while it runs', async () => {
    const nats = await startNatsServer()
    const tmp = tempDir()
    cleanups.push(tmp.cleanup, () => nats.dispose())
    const lines: string[] = []
    const running = await startServe(
      { data: tmp.dir, 'cwmp-port': '0', bind: '127.0.0.1', 'no-ui': true, nats: nats.url },
      (line) => lines.push(line),
    )
    cleanups.push(() => running.stop())
    const { bench } = running
    expect(bench.sync.settings().nats).toMatchObject({ url: nats.url, enabled: true, oktopus: true })
    expect(lines).toContain(`Syncing to NATS JetStream ${nats.url} (outbox: 0 rows).`)

    const fleet = await startSimulator({
      acsUrl: bench.acs.address!.url,
      periodicInformInterval: 0,
      serialPrefix: 'SRV',
    })
    cleanups.push(() => fleet.stop())
    await waitForTarget(
      bench.events,
      () => bench.sync.status(),
      'nats',
      (t) => t.backlog === 0 && t.state === 'idle',
    )
    const serial = fleet.cpes[0]!.serial
    const subjects = (await streamMessages(nats.url, 'BENCH')).map((m) => m.subject)
    expect(subjects).toContain(`bench.${bench.store.siteId}.device.${serial}`)
    // The line follows the throttled sync.status event, which may come after status() says idle.
    await vi.waitFor(() => expect(lines.some((l) => / sync nats: up to date/.test(l))).toBe(true), {
      timeout: 20_000,
    })
  })
})

describe('bench-acs sync', () => {
  it('--once drains to the given server and prints per-target counts; --status shows where it stands', async () => {
    const nats = await startNatsServer()
    const tmp = tempDir()
    cleanups.push(tmp.cleanup, () => nats.dispose())
    const store = openBenchStore(databaseFile(tmp.dir))
    produce(store, 1200)
    store.close()

    let out = captureConsole()
    expect(await runCli(['sync', '--once', '--data', tmp.dir, '--nats', nats.url])).toBe(0)
    expect(out).toContain(`nats  ${nats.url}  sent 1200, 0 remaining`)

    out = captureConsole()
    expect(await runCli(['sync', '--status', '--data', tmp.dir])).toBe(0)
    // --once does not save the URL: nothing is configured for the app.
    expect(out).toContain('nats  not configured')
  })

  it('--once exits 1 with what to do when the server is down, and keeps the rows', async () => {
    const nats = await startNatsServer()
    const url = nats.url
    await nats.dispose()
    const tmp = tempDir()
    cleanups.push(tmp.cleanup)
    const store = openBenchStore(databaseFile(tmp.dir))
    produce(store, 5)
    store.close()
    const out = captureConsole()
    expect(await runCli(['sync', '--once', '--data', tmp.dir, '--nats', url])).toBe(1)
    expect(out).toContain(`nats  ${url}  sent 0, 5 remaining`)
    expect(out.join('\n')).toMatch(/refused the connection[\s\S]*check that the server is running/)
    const after = openBenchStore(databaseFile(tmp.dir))
    expect(after.outbox.count()).toBe(5)
    after.close()
  })

  it('refuses bad options with exit status 2', async () => {
    const out = captureConsole()
    expect(await runCli(['sync'])).toBe(2)
    expect(await runCli(['sync', '--once', '--nats', 'http://x', '--data', tempDirFor()])).toBe(2)
    expect(out.join('\n')).toMatch(/--once or --status[\s\S]*is not valid: use nats:\/\/host:4222/)
  })
})

function tempDirFor(): string {
  const tmp = tempDir()
  cleanups.push(tmp.cleanup)
  return tmp.dir
}
