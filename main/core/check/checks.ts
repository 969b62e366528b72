import { CwmpFaultError } from '../cwmp/faults'
import { type CheckContext, fail, notObserved, pass, unsupported, type Verdict } from './context'

export interface Check {
  id: string
  title: string
  /** Changes the device's configuration for good (only with CheckOptions.factoryReset). */
  destructive?: boolean
  run(ctx: CheckContext): Promise<Verdict>
}

/** TR-069 Table 5: the RPCs every CPE must support. */
const REQUIRED_METHODS = [
  'GetRPCMethods',
  'SetParameterValues',
  'GetParameterValues',
  'GetParameterNames',
  'SetParameterAttributes',
  'GetParameterAttributes',
  'AddObject',
  'DeleteObject',
  'Reboot',
  'Download',
]

/** A fault 9000 (method not supported) is the CPE's honest "no"; any other fault is a failure. */
function faulted(error: unknown, what: string): Verdict {
  if (error instanceof CwmpFaultError && error.code === 9000) return unsupported(`${what}: ${error.message}`)
  return fail(`${what}: ${error instanceof Error ? error.message : String(error)}`)
}

async function attempt(what: string, run: () => Promise<Verdict>): Promise<Verdict> {
  try {
    return await run()
  } catch (error) {
    return faulted(error, what)
  }
}

/** Names GetParameterNames listed in the full check (the whole tree), for later checks. */
function listed(ctx: CheckContext): { name: string; writable: boolean }[] {
  return (ctx.memo.get('names') as { name: string; writable: boolean }[] | undefined) ?? []
}

/** A writable leaf that is safe to set to the value it already has. */
const SAFE_WRITABLE = ['ManagementServer.PeriodicInformInterval', 'ManagementServer.PeriodicInformEnable']

/**
 * The checks, in the order they run: reads first, then writes that restore what they change, then
 * what makes the device go away for a while (reboot, download). Each cites the TR-069 rule it tests.
 */
export const CHECKS: Check[] = [
  {
    id: 'inform',
    title: 'Inform content (DeviceId, events, required parameters)',
    async run(ctx) {
      const d = ctx.deps.store.devices.get(ctx.serial)!
      // TR-069 A.3.3.1: DeviceId's four fields; TR-098/TR-181 Inform parameters.
      const missing = [
        ['Manufacturer', d.manufacturer],
        ['OUI', d.oui],
        ['ProductClass', d.productClass],
        ['SoftwareVersion', d.softwareVersion],
        ['HardwareVersion', d.hardwareVersion],
        ['ConnectionRequestURL', d.connectionRequestUrl],
      ].filter(([, v]) => !v)
      if (!/^[0-9A-F]{6}$/.test(d.oui)) return fail(`OUI "${d.oui}" is not six upper-case hex digits (TR-069 A.3.3.1).`)
      return missing.length
        ? fail(`The Inform lacks ${missing.map(([n]) => n).join(', ')}.`)
        : pass(`DeviceId and the Inform parameters are all there (${d.dataModel || ctx.root} data model).`)
    },
  },
  {
    id: 'connection-request',
    title: 'Connection request (wakes the device into a session)',
    run: (ctx) =>
      attempt('Connection request', async () => {
        const started = ctx.waitFor('session.started', () => true)
        const r = await ctx.deps.acs.wake(ctx.serial)
        const session = await started.promise
        return session
          ? pass(`Accepted with HTTP ${r.status} in ${r.durationMs} ms; the device opened a session.`)
          : fail(`Accepted with HTTP ${r.status}, but no session followed within ${ctx.waitMs / 1000} s.`)
      }),
  },
  {
    id: 'get-rpc-methods',
    title: 'GetRPCMethods lists the required methods',
    run: (ctx) =>
      attempt('GetRPCMethods', async () => {
        const r = await ctx.execute({ method: 'GetRPCMethods' })
        ctx.memo.set('rpcMethods', r.methodList)
        const missing = REQUIRED_METHODS.filter((m) => !r.methodList.includes(m))
        return missing.length
          ? fail(`It does not list ${missing.join(', ')} (required by TR-069 Table 5).`)
          : pass(`Lists ${r.methodList.length} methods, all the required ones among them.`)
      }),
  },
  {
    id: 'gpn-next-level',
    title: 'GetParameterNames, NextLevel true',
    run: (ctx) =>
      attempt('GetParameterNames', async () => {
        const r = await ctx.execute({ method: 'GetParameterNames', parameterPath: ctx.root, nextLevel: true })
        // A.3.2.3: with NextLevel true only the path's direct children.
        const deeper = r.parameterList.filter((p) => {
          const rest = p.name.slice(ctx.root.length).replace(/\.$/, '')
          return !p.name.startsWith(ctx.root) || rest === '' || rest.includes('.')
        })
        if (r.parameterList.length === 0) return fail(`Nothing listed under ${ctx.root}.`)
        return deeper.length
          ? fail(
              `Lists names that are not direct children of ${ctx.root}: ${deeper
                .slice(0, 3)
                .map((p) => p.name)
                .join(', ')}.`,
            )
          : pass(`${r.parameterList.length} direct children of ${ctx.root}`)
      }),
  },
  {
    id: 'gpn-full',
    title: 'GetParameterNames, NextLevel false (the whole tree)',
    run: (ctx) =>
      attempt('GetParameterNames', async () => {
        const r = await ctx.execute({ method: 'GetParameterNames', parameterPath: ctx.root, nextLevel: false })
        ctx.memo.set('names', r.parameterList)
        const outside = r.parameterList.filter((p) => !p.name.startsWith(ctx.root))
        const leaves = r.parameterList.filter((p) => !p.name.endsWith('.')).length
        if (outside.length) return fail(`Lists names outside ${ctx.root}: ${outside[0]!.name}.`)
        return leaves
          ? pass(`${r.parameterList.length} names, ${leaves} of them parameters.`)
          : fail('No parameters listed.')
      }),
  },
  {
    id: 'gpv-full',
    title: 'GetParameterValues of full names',
    run: (ctx) =>
      attempt('GetParameterValues', async () => {
        const names = [`${ctx.root}DeviceInfo.SoftwareVersion`, `${ctx.root}ManagementServer.PeriodicInformInterval`]
        const r = await ctx.execute({ method: 'GetParameterValues', parameterNames: names })
        const got = new Set(r.parameterList.map((p) => p.name))
        const missing = names.filter((n) => !got.has(n))
        return missing.length ? fail(`No value for ${missing.join(', ')}.`) : pass(`Values for ${names.length} names.`)
      }),
  },
  {
    id: 'gpv-partial',
    title: 'GetParameterValues of a partial path',
    run: (ctx) =>
      attempt('GetParameterValues of a partial path', async () => {
        const path = `${ctx.root}DeviceInfo.`
        // Minimal stacks (those without GetRPCMethods, a required RPC) are the ones that die on a
        // partial path (docs/acs.md, "Reads"): not sent to them unless the technician asks, so the
        // check never crashes the device it is checking.
        const fullStack = ctx.memo.has('rpcMethods')
        if (!fullStack && !ctx.probePartialPaths && ctx.deps.acs.capabilities(ctx.serial).partialPaths !== 'yes')
          return fail(
            'Not sent: this CPE did not answer GetRPCMethods and is not known to answer partial paths, and such stacks crash on one. TR-069 A.3.2.2 requires them; run the check with "probe partial paths" to send one anyway.',
          )
        const r = await ctx.execute({ method: 'GetParameterValues', parameterNames: [path] })
        // A.3.2.2: a partial path returns every parameter beneath it.
        if (r.parameterList.length === 0) return fail(`No values under ${path}`)
        const outside = r.parameterList.filter((p) => !p.name.startsWith(path))
        return outside.length
          ? fail(`Returned ${outside[0]!.name}, outside ${path}.`)
          : pass(`${r.parameterList.length} values under ${path}`)
      }),
  },
  {
    id: 'spv-parameter-key',
    title: 'SetParameterValues, and its ParameterKey in ManagementServer.ParameterKey',
    run: (ctx) =>
      attempt('SetParameterValues', async () => {
        const names = SAFE_WRITABLE.map((n) => `${ctx.root}${n}`)
        const current = await ctx.execute({ method: 'GetParameterValues', parameterNames: [names[0]!] })
        const p = current.parameterList[0]
        if (!p) return fail(`It has no ${names[0]}.`)
        // The value it already has: the check changes nothing but the ParameterKey.
        const key = `check-${Date.now().toString(36)}`
        const r = await ctx.execute({
          method: 'SetParameterValues',
          parameterList: [{ name: p.name, value: p.value, type: p.type || 'xsd:unsignedInt' }],
          parameterKey: key,
        })
        const echoed = await ctx.execute({
          method: 'GetParameterValues',
          parameterNames: [`${ctx.root}ManagementServer.ParameterKey`],
        })
        const now = echoed.parameterList[0]?.value
        // A.3.2.1: the CPE sets ParameterKey to the value given once the SPV is applied.
        return now === key
          ? pass(`Set ${p.name} (status ${r.status}); ParameterKey reads "${key}".`)
          : fail(`ParameterKey reads "${now ?? '(absent)'}" after the SPV with ParameterKey "${key}".`)
      }),
  },
  {
    id: 'add-delete-object',
    title: 'AddObject and DeleteObject on a writable table',
    run: (ctx) =>
      attempt('AddObject/DeleteObject', async () => {
        const names = listed(ctx)
        // A writable object that has instances ("X.1.") or is named like a table is multi-instance.
        const tables = names.filter(
          (p) => p.writable && p.name.endsWith('.') && !/\.\d+\.$/.test(p.name) && p.name !== ctx.root,
        )
        const table = tables.find((t) => /PortMapping\.$/.test(t.name)) ?? tables[0]
        if (!table) return unsupported('GetParameterNames lists no writable multi-instance object to add to.')
        const added = await ctx.execute({ method: 'AddObject', objectName: table.name, parameterKey: '' })
        const instance = `${table.name}${added.instanceNumber}.`
        const deleted = await ctx.execute({ method: 'DeleteObject', objectName: instance, parameterKey: '' })
        return pass(`Added ${instance} (status ${added.status}) and deleted it again (status ${deleted.status}).`)
      }),
  },
  {
    id: 'parameter-attributes',
    title: 'SetParameterAttributes / GetParameterAttributes (notification)',
    run: (ctx) =>
      attempt('Set/GetParameterAttributes', async () => {
        const name = `${ctx.root}DeviceInfo.SoftwareVersion`
        const before = await ctx.execute({ method: 'GetParameterAttributes', parameterNames: [name] })
        const was = before.parameterList[0]?.notification ?? 0
        const set = (notification: number) =>
          ctx.execute({
            method: 'SetParameterAttributes',
            parameterList: [{ name, notificationChange: true, notification, accessListChange: false, accessList: [] }],
          })
        // 1 (passive) is allowed on every parameter; SoftwareVersion is forced active on many CPEs (9009).
        const want = was === 2 ? 2 : 1
        await set(want)
        const after = await ctx.execute({ method: 'GetParameterAttributes', parameterNames: [name] })
        const now = after.parameterList[0]?.notification
        if (was !== want) await set(was)
        return now === want
          ? pass(`Notification of ${name} set to ${want} and read back; restored to ${was}.`)
          : fail(`Set notification ${want} on ${name}, read back ${now ?? '(nothing)'}.`)
      }),
  },
  {
    id: 'value-change',
    title: 'Active notification: "4 VALUE CHANGE" after a change made on the CPE',
    run: (ctx) => attempt('Active notification', () => valueChange(ctx)),
  },
  {
    id: 'reboot',
    title: 'Reboot, then an Inform with "1 BOOT" and "M Reboot"',
    run: (ctx) =>
      attempt('Reboot', async () => {
        const commandKey = `check-rb-${Date.now().toString(36)}`
        const back = ctx.waitFor('device.informed', (i) => i.events.some((e) => e.code === 'M Reboot'))
        try {
          await ctx.execute({ method: 'Reboot', commandKey })
        } catch (error) {
          back.cancel()
          throw error
        }
        const inform = await back.promise
        if (!inform) return fail(`Accepted, but no Inform with "M Reboot" within ${ctx.waitMs / 1000} s.`)
        const codes = inform.events.map((e) => e.code)
        const key = inform.events.find((e) => e.code === 'M Reboot')?.commandKey
        // A.3.3.1: "1 BOOT" with "M Reboot" carrying the Reboot's CommandKey.
        if (!codes.includes('1 BOOT')) return fail(`Back with ${codes.join(', ')} but no "1 BOOT".`)
        return key === commandKey
          ? pass(`Back with ${codes.join(', ')}; "M Reboot" carries CommandKey "${commandKey}".`)
          : fail(`"M Reboot" carries CommandKey "${key}", not "${commandKey}".`)
      }),
  },
  {
    id: 'download',
    title: "Download from the bench's file server, then TransferComplete",
    run: (ctx) =>
      attempt('Download', async () => {
        const commandKey = `check-dl-${Date.now().toString(36)}`
        const request = await ctx.deps.downloadRequest(ctx.serial, commandKey)
        const done = ctx.waitFor('transfer.completed', (t) => t.commandKey === commandKey)
        let status: number
        try {
          status = (await ctx.execute(request)).status
        } catch (error) {
          done.cancel()
          throw error
        }
        if (status === 0) {
          done.cancel()
          return pass('Downloaded and applied within the session (status 0).')
        }
        const t = await done.promise
        if (!t) return fail(`Accepted (status 1), but no TransferComplete within ${ctx.waitMs / 1000} s.`)
        return t.fault.code === 0
          ? pass(`TransferComplete with CommandKey "${commandKey}" and no fault.`)
          : fail(`TransferComplete reports fault ${t.fault.code}: ${t.fault.message}.`)
      }),
  },
  {
    id: 'factory-reset',
    title: 'FactoryReset, then "0 BOOTSTRAP"',
    destructive: true,
    run: (ctx) =>
      attempt('FactoryReset', async () => {
        const back = ctx.waitFor('device.informed', (i) => i.events.some((e) => e.code === '0 BOOTSTRAP'))
        try {
          await ctx.execute({ method: 'FactoryReset' })
        } catch (error) {
          back.cancel()
          throw error
        }
        return (await back.promise)
          ? pass('Back with "0 BOOTSTRAP".')
          : fail(`Accepted, but no "0 BOOTSTRAP" within ${ctx.waitMs / 1000} s.`)
      }),
  },
]

/**
 * The parameter the value-change check watches: one a user changes on the CPE (a Wi-Fi SSID),
 * else ProvisioningCode; writable and never one the CPE changes by itself.
 */
function watchedParameter(ctx: CheckContext): string {
  const writable = listed(ctx).filter((p) => p.writable && !p.name.endsWith('.'))
  return (
    writable.find((p) => p.name.endsWith('.SSID'))?.name ??
    writable.find((p) => p.name === `${ctx.root}DeviceInfo.ProvisioningCode`)?.name ??
    `${ctx.root}DeviceInfo.ProvisioningCode`
  )
}

/**
 * TR-069 3.2.1 and A.3.3.1: with Notification 2 (active) on a parameter, a change not made by the
 * ACS makes the CPE open a session whose Inform has "4 VALUE CHANGE" and the parameter in its
 * ParameterList. Only someone at the CPE (or our simulator) can make that change: on a real CPE the
 * check verifies the attribute and says the event was not observed; it restores what it set.
 */
async function valueChange(ctx: CheckContext): Promise<Verdict> {
  const name = watchedParameter(ctx)
  const attrs = await ctx.execute({ method: 'GetParameterAttributes', parameterNames: [name] })
  const was = attrs.parameterList[0]?.notification ?? 0
  const values = await ctx.execute({ method: 'GetParameterValues', parameterNames: [name] })
  const old = values.parameterList[0]?.value ?? ''
  const notify = (notification: number) =>
    ctx.execute({
      method: 'SetParameterAttributes',
      parameterList: [{ name, notificationChange: true, notification, accessListChange: false, accessList: [] }],
    })
  await notify(2)
  let changed = false
  try {
    const sim = ctx.deps.simulated?.(ctx.serial)
    if (!sim) {
      const read = await ctx.execute({ method: 'GetParameterAttributes', parameterNames: [name] })
      const now = read.parameterList[0]?.notification
      if (now !== 2) return fail(`Set Notification 2 (active) on ${name}, read back ${now ?? '(nothing)'}.`)
      return notObserved(
        `Active notification on ${name} is accepted (read back 2), but the bench cannot change a value on a real CPE by itself, so "4 VALUE CHANGE" was not observed. To see it: set Notification 2 on ${name} (device page), change it on the CPE's own web page, and look for "4 VALUE CHANGE" in Events.`,
      )
    }
    const value = old.endsWith('-bench') ? old.slice(0, -'-bench'.length) : `${old}-bench`.slice(-32)
    const seen = ctx.waitFor(
      'device.informed',
      (i) => i.device.serial === ctx.serial && i.events.some((e) => e.code === '4 VALUE CHANGE'),
    )
    try {
      sim.changeLocally(name, value)
      changed = true
    } catch (error) {
      seen.cancel()
      throw error
    }
    const inform = await seen.promise
    if (!inform)
      return fail(
        `Changed ${name} on the simulated CPE; no Inform with "4 VALUE CHANGE" within ${ctx.waitMs / 1000} s.`,
      )
    const reported = inform.parameters?.find((p) => p.name === name)
    if (!reported) return fail(`"4 VALUE CHANGE" came, but its ParameterList does not list ${name}.`)
    return reported.value === value
      ? pass(`Changed ${name} on the simulated CPE: it informed "4 VALUE CHANGE" with ${name} = "${value}".`)
      : fail(`"4 VALUE CHANGE" lists ${name} = "${reported.value}", not the new value "${value}".`)
  } finally {
    // Put back what the check changed: the value (from the ACS, so nothing is notified) and the attribute.
    if (changed)
      await ctx.execute({
        method: 'SetParameterValues',
        parameterList: [{ name, value: old, type: 'xsd:string' }],
        parameterKey: '',
      })
    if (was !== 2) await notify(was)
  }
}
