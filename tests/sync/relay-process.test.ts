// The app process dies mid-drain: `bench-acs sync --once` runs in a child process (the real CLI,
// through tsx) and is SIGKILLed while it sends; a second run finishes the job. The stream must hold
// every outbox row exactly once.
import { spawn, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import { connect } from 'nats'
import { afterEach, describe, expect, it } from 'vitest'
import { produce, streamMessages, tempDir, until } from './helpers'
import { startNatsServer } from './nats-server'
import { openBenchStore } from '../../main/core/database'

const ROOT = resolve(__dirname, '../..')
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function runCli(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; out: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'main/cli.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const done = new Promise<{ code: number | null; out: string }>((res) =>
    child.once('exit', (code) => res({ code, out })),
  )
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return { child, done }
}

describe('relay process killed mid-drain', () => {
  it('resumes after SIGKILL without losing or duplicating a record', async () => {
    const tmp = tempDir()
    const server = await startNatsServer()
    cleanups.push(tmp.cleanup, () => server.dispose())
    const file = join(tmp.dir, 'bench.sqlite')
    const writer = openBenchStore(file)
    produce(writer, 10_000)
    const ids = writer.outbox.after(0, 100_000).map((r) => r.id)
    writer.close()

    // Watch the stream from here and kill the relay as soon as part of the outbox has arrived.
    const nc = await connect({ servers: server.url })
    cleanups.push(() => nc.close())
    const first = runCli(['sync', '--once', '--data', tmp.dir, '--nats', server.url])
    let atKill = 0
    await until(async () => {
      const jsm = await nc.jetstreamManager()
      const info = await jsm.streams.info('BENCH').catch(() => undefined)
      if ((info?.state.messages ?? 0) < 1000) return false
      first.child.kill('SIGKILL')
      atKill = info!.state.messages
      return true
    }, 30_000)
    const killed = await first.done
    expect(killed.code).toBeNull()
    expect(atKill).toBeLessThan(10_000)

    const cursorAfterKill = openBenchStore(file)
    const cursor = (
      cursorAfterKill.db.prepare("SELECT seq FROM sync_cursors WHERE target = 'nats'").get() as {
        seq: number
      }
    ).seq
    cursorAfterKill.close()
    expect(cursor).toBeLessThan(10_000)

    const second = await runCli(['sync', '--once', '--data', tmp.dir, '--nats', server.url, '--json']).done
    expect(second.code, second.out).toBe(0)
    const summary = JSON.parse(second.out) as { targets: { sent: number; remaining: number; error: unknown }[] }
    expect(summary.targets[0]).toMatchObject({ remaining: 0, error: null })
    expect(summary.targets[0]!.sent).toBe(10_000 - cursor)

    const messages = await streamMessages(server.url, 'BENCH')
    const stored = messages.map((m) => m.msgId)
    expect(stored.length).toBe(10_000)
    expect(new Set(stored).size).toBe(10_000)
    expect(new Set(stored)).toEqual(new Set(ids))
  })
})
