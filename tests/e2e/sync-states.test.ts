import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startNatsServer, type NatsServer } from '../sync/nats-server'
import { screenshot, useBench, VIEWPORTS } from './harness'
import { syncPage } from './pages/sync'

const start = useBench()
let nats: NatsServer | undefined
afterEach(async () => {
  await nats?.dispose()
  nats = undefined
})

/** A loopback port nothing listens on (taken from the OS, then freed). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

// The Sync settings say what each target really does — not configured, failing, paused, sending —
// and what to do next; "Send to NATS" is never ticked for a target that sends nothing.
describe.each(Object.entries(VIEWPORTS))('Sync targets say their real state at %s width', (size, viewport) => {
  it('shows not configured, failing, paused and up to date against a real nats-server', async () => {
    const { page } = await start({ count: 0, path: '#/sync', viewport })
    const sync = syncPage(page)

    // Fresh: nothing is configured, so nothing is ticked and each target says how to start.
    for (const target of ['nats', 'mongo'] as const) {
      await sync.stateIn(target, 'not-configured').waitFor()
      expect(await sync.enabled(target).isChecked()).toBe(false)
      expect(await sync.enabled(target).isDisabled()).toBe(true)
      expect(await sync.state(target).textContent()).toContain('Type one below and Save')
    }
    await screenshot(page, `sync-not-configured-${size}`)

    // A server nobody answers on: ticked once it has a URL, then failing with the reason and a retry.
    await sync.url('nats').fill(`nats://127.0.0.1:${await closedPort()}`)
    expect(await sync.enabled('nats').isChecked()).toBe(true)
    await sync.save.click()
    await sync.saved.filter({ hasText: 'Saved' }).waitFor()
    // (Waits on the state with its text: between attempts it is briefly "connecting".)
    const failing = sync.stateIn('nats', 'retrying').filter({ hasText: /^failingFailing: .+ waiting/ })
    await failing.waitFor({ timeout: 30_000 })
    await failing.getByRole('button', { name: 'Try now' }).waitFor()
    await screenshot(page, `sync-failing-${size}`)

    // Paused from its card: the form says so and offers Resume.
    await sync.card('nats').getByRole('button', { name: 'Pause' }).click()
    await sync.stateIn('nats', 'paused').filter({ hasText: 'Configured but paused' }).waitFor()
    await screenshot(page, `sync-paused-${size}`)

    // A real server, resumed from the form: everything sent.
    nats = await startNatsServer()
    await sync.url('nats').fill(nats.url)
    await sync.save.click()
    await sync.state('nats').getByRole('button', { name: 'Resume' }).click()
    await sync
      .stateIn('nats', 'idle')
      .filter({ hasText: `Sending to ${nats.url}: everything is sent` })
      .waitFor({ timeout: 30_000 })
    await screenshot(page, `sync-up-to-date-${size}`)

    // Switched off: unticked, and the line says how to switch it back on.
    await sync.enabled('nats').uncheck()
    await sync.save.click()
    await sync.stateIn('nats', 'disabled').filter({ hasText: 'Tick “Send to NATS” and Save' }).waitFor()
  })
})
