import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createBench, type Bench } from '../../main/core/bench'
import { ManualCpe, informXml, nextEvent } from '../acs/helpers'
import { fetchRaw } from './helpers'

const dirs: string[] = []
const benches: Bench[] = []
afterEach(async () => {
  for (const b of benches.splice(0)) await b.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function open(dir: string): Promise<{ bench: Bench; url: string }> {
  const bench = await createBench(
    { dataDir: dir, cwmp: { port: 0, bind: '127.0.0.1', discoverOnBootstrap: false } },
    { log: () => {}, acs: { statusSweepMs: 0 } },
  )
  benches.push(bench)
  return { bench, url: (await bench.acs.listen()).url }
}

describe('transfers in flight across a restart of the ACS', () => {
  it('matches a TransferComplete that arrives after a restart to the Download it answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-files-'))
    dirs.push(dir)
    const first = await open(dir)
    await first.bench.files.library.add({ content: Buffer.from('firmware bytes'), name: 'fw.bin' })
    const cpe = new ManualCpe(first.url)
    await cpe.post(informXml({ serial: 'SN1' }))
    const request = first.bench.files.downloadRequest('SN1', 'fw.bin', 'upgrade-1')
    // The URL is on the address the CPE's session arrived on, with the file's type and size.
    expect(request).toMatchObject({ fileType: '1 Firmware Upgrade Image', fileSize: 14, targetFileName: 'fw.bin' })
    expect(request.url).toMatch(new RegExp(`^${first.url}files/[A-Za-z0-9_-]+/fw\\.bin$`))
    const answered = first.bench.acs.execute('SN1', request)
    const sent = await cpe.post(null)
    expect(sent.envelope?.body?.method).toBe('Download')
    const id = sent.envelope!.header.id!
    await cpe.post(
      {
        method: 'DownloadResponse',
        status: 1,
        startTime: '0001-01-01T00:00:00Z',
        completeTime: '0001-01-01T00:00:00Z',
      },
      id,
    )
    expect((await answered).status).toBe(1)
    expect((await cpe.post(null)).status).toBe(204)
    const rpcId = first.bench.acs.rpcs('SN1').find((r) => r.method === 'Download')!.id
    // The CPE fetches the file while the ACS is still up.
    expect((await fetchRaw(request.url)).body.toString()).toBe('firmware bytes')
    cpe.close()
    await first.bench.close()

    const second = await open(dir)
    const later = new ManualCpe(second.url)
    const completed = nextEvent(second.bench, 'transfer.completed')
    await later.post(
      informXml({ serial: 'SN1', events: ['1 BOOT', '7 TRANSFER COMPLETE', 'M Download'] }).replace(
        /(<EventCode>M Download<\/EventCode>\s*<CommandKey>)(<\/CommandKey>)/,
        '$1upgrade-1$2',
      ),
    )
    const ack = await later.post({
      method: 'TransferComplete',
      commandKey: 'upgrade-1',
      faultStruct: { faultCode: 0, faultString: '' },
      startTime: '2026-01-01T00:00:00Z',
      completeTime: '2026-01-01T00:00:10Z',
    })
    expect(ack.envelope?.body?.method).toBe('TransferCompleteResponse')
    expect(await completed).toMatchObject({ serial: 'SN1', commandKey: 'upgrade-1', method: 'Download', rpcId })
    const logged = second.bench.store.events.query({ serial: 'SN1' }).find((e) => e.kind === 'transfer')!
    expect(logged.summary).toBe('Download "upgrade-1" completed')
    expect(logged.detail).toMatchObject({ matched: true, rpcId })
    // Done: the Download's URL ends with it, and a repeat of the TransferComplete matches nothing.
    expect((await fetchRaw(request.url.replace(first.url, second.url))).status).toBe(404)
    expect(second.bench.files.transfers.pendingFor('SN1')).toEqual([])
    later.close()
  })
})
