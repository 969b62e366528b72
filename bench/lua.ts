// Lua automation: what the script path costs over the ACS itself, and how long a run takes to start.
//  - host-call overhead: get_parameter_values round trips from a script (worker → main thread →
//    ACS → CPE → back) against the same RPC queued directly on the ACS, same CPE, same run, both
//    with the session held between calls (cwmp.holdSessionMs) as scripts get it.
//  - start-up: a run's worker + Fengari state + sandbox until the script's first line runs,
//    against a bare worker thread reporting it is up.
//  - Lua 5.1 semantics: a compute-heavy script (arithmetic, tostring, string.format, concatenation)
//    run as Lua 5.1 (the default: every number a double, C's number formatting) against the same
//    script opted in to Lua 5.3 (Fengari as it comes).
import { Worker } from 'node:worker_threads'
import { resolveLimits } from '../main/core/lua/limits'
import { LuaRun, Watchdog } from '../main/core/lua/runner'
import { locateWorker } from '../main/core/lua/worker-file'
import { startBench } from '../tests/lua/helpers'
import type { BenchSuite } from './types'

const CALLS = 200
const STARTS = 20
const PARAM = 'InternetGatewayDevice.DeviceInfo.SoftwareVersion'

export const luaSuite: BenchSuite = {
  name: 'lua',
  async run(report) {
    const t = await startBench()
    try {
      const [cpe] = (await t.sims({ count: 1 })).cpes
      const serial = cpe!.serial
      // Two rounds each, interleaved, best kept: the first round warms SQLite, the JIT and the CPE.
      let direct = Infinity
      let scripted = Infinity
      for (let round = 0; round < 2; round++) {
        const started = performance.now()
        for (let i = 0; i < CALLS; i++)
          await t.bench.acs.execute(
            serial,
            { method: 'GetParameterValues', parameterNames: [PARAM] },
            // What a script's calls get too: the session is kept for the next call.
            { source: 'bench', holdSessionMs: t.bench.config.cwmp.holdSessionMs },
          )
        direct = Math.min(direct, (performance.now() - started) / CALLS)

        const [run] = t.bench.scripts.runSource({
          name: 'bench',
          source: `for i = 1, ${CALLS} do assert(get_parameter_values(DEVICE, "${PARAM}")) end`,
          target: { kind: 'devices', serials: [serial] },
        })
        const done = await t.bench.scripts.wait(run!.id)
        if (done.status !== 'ok' || done.calls.length !== CALLS)
          throw new Error(`the bench script failed: ${done.error?.message}`)
        const first = done.calls[0]!
        const last = done.calls[CALLS - 1]!
        scripted = Math.min(scripted, (last.at + last.ms - first.at) / CALLS)
      }
      report({
        name: `get_parameter_values from a script (${CALLS} sequential round trips in one held CPE session)`,
        value: scripted,
        unit: 'ms/call',
        baseline: { name: 'the same RPC through bench.acs.execute', value: direct, unit: 'ms/call' },
        ratio: { value: scripted / direct, meaning: 'script round trip ÷ direct round trip', aim: '≤ 1.5' },
      })
    } finally {
      await t.close()
    }

    const source = locateWorker()
    const watchdog = new Watchdog()
    const luaStarts: number[] = []
    const bareStarts: number[] = []
    for (let i = 0; i < STARTS; i++) {
      bareStarts.push(await bareWorkerStart())
      const spawned = performance.now()
      let firstLine = 0
      const run = new LuaRun(
        {
          runId: `bench-${i}`,
          source: 'return 1',
          name: 'start',
          limits: resolveLimits(),
          hostFunctions: [],
          globals: {},
        },
        { started: () => (firstLine = performance.now() - spawned), call: async () => [] },
        watchdog,
        source,
      )
      await run.done
      luaStarts.push(firstLine)
    }

    // Best of three, interleaved, for each dialect.
    let as51 = Infinity
    let as53 = Infinity
    for (let round = 0; round < 3; round++) {
      as51 = Math.min(as51, await computeMs(COMPUTE, source, watchdog))
      as53 = Math.min(as53, await computeMs(`-- bench-acs: lua 5.3\n${COMPUTE}`, source, watchdog))
    }
    report({
      name: 'compute-heavy script (arithmetic, tostring, string.format, ..) with Lua 5.1 semantics',
      value: as51,
      unit: 'ms',
      baseline: { name: 'the same script opted in to Lua 5.3 (Fengari as it comes)', value: as53, unit: 'ms' },
      ratio: { value: as51 / as53, meaning: 'Lua 5.1 semantics ÷ Fengari 5.3', aim: '≤ 1.1' },
    })

    const lua = median(luaStarts)
    const bare = median(bareStarts)
    report({
      name: `run start-up: worker + Fengari state + sandbox until the first line (median of ${STARTS})`,
      value: lua,
      unit: 'ms',
      baseline: { name: 'a bare worker thread posting its first message', value: bare, unit: 'ms' },
      ratio: { value: lua / bare, meaning: 'run start-up ÷ bare worker start-up', aim: '≤ 4' },
    })
  },
}

const COMPUTE = `
local acc, parts = 0, {}
for i = 1, 300000 do
  acc = (acc + i * 3 / 2) % 1000003
  if i % 100 == 0 then parts[#parts + 1] = tostring(acc) .. string.format("%.2f", acc / 7) end
end
local s = table.concat(parts, ",")
return #s
`

/** Wall time of one run from its first line to its end, ms. */
async function computeMs(code: string, source: ReturnType<typeof locateWorker>, watchdog: Watchdog): Promise<number> {
  let firstLine = 0
  const run = new LuaRun(
    { runId: 'compute', source: code, name: 'compute', limits: resolveLimits(), hostFunctions: [], globals: {} },
    { started: () => (firstLine = performance.now()), call: async () => [] },
    watchdog,
    source,
  )
  const outcome = await run.done
  if (outcome.status !== 'ok') throw new Error(`the compute script failed: ${JSON.stringify(outcome)}`)
  return performance.now() - firstLine
}

function bareWorkerStart(): Promise<number> {
  const spawned = performance.now()
  return new Promise((resolve, reject) => {
    const worker = new Worker("require('node:worker_threads').parentPort.postMessage('up')", {
      eval: true,
      execArgv: [],
    })
    worker.once('message', () => {
      const ms = performance.now() - spawned
      void worker.terminate().then(() => resolve(ms))
    })
    worker.once('error', reject)
  })
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
