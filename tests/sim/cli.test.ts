import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort, startBench } from './helpers'

// `bench-acs sim` as a user runs it: a real process (the sources through tsx), a real ACS, SIGINT.

const root = join(__dirname, '..', '..')
const children: ChildProcess[] = []
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
  for (const c of cleanups.splice(0)) await c()
})

function runSim(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main', 'cli.ts'), 'sim', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    child,
    exited,
    output: () => output,
    waitFor: (pattern: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) {
            child.stdout!.off('data', check)
            resolve(output)
          }
        }
        child.stdout!.on('data', check)
        child.on('exit', () => reject(new Error(`exited before printing ${pattern}:\n${output}`)))
        check()
      }),
  }
}

describe('bench-acs sim', () => {
  it('runs CPEs against the ACS, prints sessions and RPCs, and stops cleanly on SIGINT', async () => {
    const acs = await startBench()
    cleanups.push(acs.close)
    const sim = runSim(['--acs', acs.url, '--count', '3', '--serial-prefix', 'CLI', '--model', 'tr181'])
    await sim.waitFor(/All 3 CPEs bootstrapped in [\d.]+ s\.\nConnection requests: .*Press Ctrl\+C to stop\./)
    expect(sim.output()).toMatch(/CLI000002 session 1 \[0 BOOTSTRAP, 1 BOOT\] done/)
    expect(sim.output()).toMatch(
      /Connection requests: http:\/\/127\.0\.0\.1:\d+\/CLI000001 \(and one per CPE\), Digest user "cr"/,
    )
    expect(acs.bench.store.devices.get('CLI000003')?.dataModel).toBe('Device')

    await acs.bench.acs.execute('CLI000001', {
      method: 'GetParameterValues',
      parameterNames: ['Device.DeviceInfo.UpTime'],
    })
    await sim.waitFor(/CLI000001 {3}GetParameterValues → GetParameterValuesResponse/)
    sim.child.kill('SIGINT')
    expect(await sim.exited).toBe(0)
    expect(sim.output()).toContain('SIGINT: stopping the simulated CPEs')
  })

  it('says clearly when the ACS cannot be reached, and keeps going', async () => {
    const port = await freePort()
    const sim = runSim(['--acs', `http://127.0.0.1:${port}/`, '--count', '2'])
    await sim.waitFor(
      /cannot reach the ACS at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED — is the ACS running and the URL right\? Retrying/,
    )
    sim.child.kill('SIGINT')
    expect(await sim.exited).toBe(0)
  })

  it('injects faults into every CPE: a refused RPC reaches the ACS as its fault', async () => {
    const acs = await startBench()
    cleanups.push(acs.close)
    const sim = runSim([
      '--acs',
      acs.url,
      '--serial-prefix',
      'FCLI',
      '--refuse',
      'Reboot:9001',
      '--answer-delay',
      '100',
    ])
    await sim.waitFor(/Fault injection on every CPE: refuses Reboot \(9001\), answers after 100 ms\./)
    await sim.waitFor(/All 1 CPE bootstrapped/)
    const error = await acs.bench.acs
      .execute('FCLI000001', { method: 'Reboot', commandKey: 'k' })
      .catch((e: unknown) => e)
    expect((error as { fault?: unknown }).fault).toMatchObject({
      faultCode: 9001,
      faultString: expect.stringMatching(/^Request denied/),
    })
    sim.child.kill('SIGINT')
    expect(await sim.exited).toBe(0)
    const bad = runSim(['--acs', acs.url, '--refuse', 'Explode:9001'])
    expect(await bad.exited).toBe(2)
    expect(bad.output()).toMatch(/cannot refuse "Explode"/)
  })

  it('rejects bad options with the usage and exit status 2', async () => {
    const sim = runSim(['--acs', 'http://127.0.0.1:1/', '--count', 'many'])
    expect(await sim.exited).toBe(2)
    expect(sim.output()).toMatch(/--count must be a whole number ≥ 1, got "many"[\s\S]*Usage: bench-acs sim/)
    const missing = runSim(['--acs', 'http://127.0.0.1:1/', '--model', 'nope.csv'])
    expect(await missing.exited).toBe(1)
    expect(missing.output()).toMatch(/Cannot start the simulator: .*nope\.csv: no such model file/)
  })
})
