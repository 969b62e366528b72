import { describe, expect, it } from 'vitest'
import { answerUntilEnd, informXml, ManualCpe, nextEvent } from '../acs/helpers'
import { screenshot, useBench } from './harness'
import { devicePage } from './pages/devices'

const start = useBench()

const MODEL = 'InternetGatewayDevice.DeviceInfo.ModelName'

describe('RPCs tab and capabilities (headless mode in Chromium)', () => {
  it('shows a failed transfer with its fault and retries it, and shows what the ACS learned of the device', async () => {
    const { page } = await start({ serialPrefix: 'RPC', path: '#/devices/{serial}' })
    const device = devicePage(page)
    await device.serial.waitFor()
    await device.download.click()
    await device.downloadUrl.fill('http://127.0.0.1:1/firmware.bin')
    await device.downloadSubmit.click()
    await device.actionResultIn('failed').filter({ hasText: '9015' }).waitFor()

    // The RPCs tab: the Download's arguments, its TransferComplete's fault, and Retry.
    await device.tab('rpcs').click()
    const row = device.rpcRow('Download').first()
    await row.locator('[data-testid="rpc-transfer"][data-state="failed"]').waitFor()
    expect(await row.getByTestId('rpc-args').textContent()).toContain('http://127.0.0.1:1/firmware.bin')
    expect(await row.getByTestId('rpc-fault').textContent()).toMatch(/^9015 /)
    await screenshot(page, 'rpcs-transfer-failed')
    await row.getByTestId('rpc-retry').click()
    await device.rpcActionResult.filter({ hasText: 'Download sent again' }).waitFor()
    await expect.poll(() => device.rpcRow('Download').count()).toBe(2)

    // The capabilities tab: what the simulated CPE's sessions showed.
    await device.tab('capabilities').click()
    await device.capabilities.waitFor()
    expect(await device.capability('cwmp').textContent()).toMatch(/^cwmp-1-\d$/)
    expect(await device.capability('cookies').textContent()).toBe('kept')
    expect(await page.getByTestId('cap-stable').isVisible()).toBe(true)
    await screenshot(page, 'device-capabilities')
  })

  it('shows an unstable device and its request prominently, clears it with Retry, and cancels a queued RPC', async () => {
    // The page opens on the device once its sessions have happened.
    const { app, page } = await start({ count: 0, acceptDialogs: false })
    const bench = app.bench
    const url = bench.acs.address!.url
    const serial = 'CRASHY'
    // Its first session: the ACS discovers the new device (GetRPCMethods, names, values).
    const first = new ManualCpe(url)
    await first.post(informXml({ serial }))
    expect((await answerUntilEnd(first, await first.post(null))).reply.status).toBe(204)
    first.close()
    const read = bench.acs
      .execute(serial, { method: 'GetParameterValues', parameterNames: [MODEL] }, { onUnreachable: 'wait' })
      .catch(() => {})
    // Its sessions die twice on the request: the CPE closes the connection instead of answering.
    for (let crash = 1; crash <= 2; crash++) {
      const ended = nextEvent(bench, 'session.ended', (e) => e.serial === serial)
      const cpe = new ManualCpe(url)
      await cpe.post(informXml({ serial }))
      expect((await cpe.post(null)).envelope?.body?.method).toBe('GetParameterValues')
      cpe.close()
      await ended
    }
    await read

    await page.goto(`${app.url}#/devices/${serial}`)
    const device = devicePage(page)
    await device.unstableMark.waitFor()
    expect(await device.unstableRequest.textContent()).toBe(`GetParameterValues (${MODEL})`)
    await screenshot(page, 'device-unstable')

    // A queued RPC (the device is offline and cannot be woken) is cancelled from its row.
    const reboot = bench.acs.execute(serial, { method: 'Reboot', commandKey: 'e2e' }, { onUnreachable: 'wait' })
    const cancelled = reboot.catch((e: Error) => e.message)
    await device.tab('rpcs').click()
    await device.rpcRow('Reboot', 'queued').getByTestId('rpc-cancel').click()
    await device.rpcActionResult.filter({ hasText: 'Reboot cancelled: it was never sent.' }).waitFor()
    await device.rpcRow('Reboot', 'cancelled').waitFor()
    expect(await cancelled).toMatch(/cancelled before it was sent/)

    // Retry lifts the mark even though this device cannot be reached now; the note says why it failed.
    await device.rpcRow('GetParameterValues', 'error').getByTestId('rpc-retry').click()
    await device.rpcActionResult.waitFor()
    await expect.poll(() => device.unstableMark.count()).toBe(0)
    expect(bench.acs.capabilities(serial).unstable).toBeNull()
  })
})
