import { createServer } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EXIT_PORT_IN_USE, serveCommand, startServe } from '../../main/cli/serve'
import { answerUntilEnd, informXml, ManualCpe } from './helpers'

const dirs: string[] = []
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'bench-serve-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  vi.restoreAllMocks()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('bench-acs serve', () => {
  it('prints the ACS URL and one line per session', async () => {
    const lines: string[] = []
    const running = await startServe({ 'cwmp-port': '0', bind: '127.0.0.1', data: temp() }, (l) => lines.push(l))
    try {
      const url = running.bench.acs.address!.url
      expect(lines).toContain(`  ${url}`)
      expect(lines.join('\n')).toMatch(/CPE authentication: none/)
      const cpe = new ManualCpe(url)
      const ended = new Promise((r) => running.bench.events.on('session.ended', r))
      await cpe.post(informXml({ serial: 'SERVE1', events: ['0 BOOTSTRAP', '1 BOOT'] }))
      // A new device: the ACS lists its DeviceInfo. and ManagementServer. objects and asks its methods.
      const { reply } = await answerUntilEnd(cpe, await cpe.post(null))
      expect(reply.status).toBe(204)
      await ended
      cpe.close()
      expect(lines.find((l) => l.includes('SERVE1'))).toMatch(
        /^\d\d:\d\d:\d\d {2}SERVE1 {2}127\.0\.0\.1 {2}\[0 BOOTSTRAP, 1 BOOT\] {2}3 RPCs {2}[\d.]+ m?s {2}completed$/,
      )
    } finally {
      await running.stop()
    }
  })

  it('exits with a clear message when the port is taken, and 2 on bad options', async () => {
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const port = (blocker.address() as { port: number }).port
    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((m: unknown) => void errors.push(String(m)))
    vi.spyOn(console, 'log').mockImplementation(() => {})
    try {
      const code = await serveCommand.run(['--cwmp-port', String(port), '--bind', '127.0.0.1', '--data', temp()])
      expect(code).toBe(EXIT_PORT_IN_USE)
      expect(errors.join('\n')).toContain(`port ${port} is already in use`)
      expect(await serveCommand.run(['--cwmp-port', 'seventy'])).toBe(2)
      expect(await serveCommand.run(['--no-such-option'])).toBe(2)
    } finally {
      await new Promise((r) => blocker.close(r))
    }
  })
})
