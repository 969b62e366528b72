import { getHeapStatistics } from 'node:v8'
import { lauxlib, lua, to_luastring, type LuaHook, type LuaState } from 'fengari'
import { describeBytes, describeMs } from '../limits'
import {
  SLOT_BEAT,
  SLOT_STATE,
  STATE_DONE,
  STATE_RUNNING,
  STATE_WAITING,
  type KillReason,
  type LogLevel,
  type LuaJs,
  type OutputLine,
  type OutputStream,
  type ReplyMessage,
  type ScriptFailure,
  type StartMessage,
  type WorkerToMain,
} from '../protocol'
import { ConvertError, jsString, pushJs, toJs, typeName } from './convert'
import { sleep } from './lib/sleep'
import { guardStringSize, StringLimitError } from './lib/string-guard'
import { lineOf, withoutShebang } from '../line-of'
import { createSandbox } from './sandbox'
import { scriptDialect } from '../dialect'
import { useLua51Numbers } from './lua51/numbers'
import { PRELUDE_CHUNK_NAME } from './prelude'
import { makeEnvReadOnly } from './readonly-env'
import { errorMessage } from '../../errors'

/** The count hook runs every this many Lua instructions (~20 µs of Fengari work). */
const HOOK_EVERY = 1000
/** Unreachable strings V8 lets pile up outside the heap before it collects them (see externalLimit). */
const EXTERNAL_GARBAGE_BYTES = 64 * 1024 * 1024
/** Output is sent to the main thread at least this often while the script runs, ms. */
const FLUSH_MS = 100
const FLUSH_BYTES = 16 * 1024

/** Host functions the worker answers itself, without a round trip to the main thread. */
const LOCAL_ASYNC: Record<string, (args: LuaJs[]) => Promise<LuaJs[]>> = { sleep }

export interface DriverIo {
  post(message: WorkerToMain): void
  /** Sends a host call to the main thread and waits for its reply. */
  call(name: string, args: LuaJs[]): Promise<ReplyMessage>
}

/**
 * Runs one script to completion in this thread: builds the sandbox, runs the chunk as a
 * coroutine, and turns each yield of a host stub into a call to the main thread. Posts exactly
 * one "done" message (unless the thread is terminated from outside).
 */
export async function runScript(start: StartMessage, io: DriverIo): Promise<void> {
  const bootStart = performance.now()
  const { limits } = start
  const shared = new Int32Array(start.shared)
  // Strings past a few dozen bytes live outside the JS heap, which the worker's heap limit does not
  // see. V8 frees the unreachable ones only once about 64 MiB of them have piled up since its last
  // collection, so a script that builds and drops big strings peaks that much (plus the strings
  // in flight) over what it holds: the check allows for it rather than stop a script for garbage.
  const externalLimit = limits.memoryMb * 1024 * 1024 + EXTERNAL_GARBAGE_BYTES + 2 * limits.maxStringBytes

  let killed: { reason: KillReason; message: string } | undefined
  let cpuMs = 0
  let sliceStart = 0
  let pending: OutputLine[] = []
  let pendingBytes = 0
  /** Printed since the script last waited: the flood guard (what is kept is the main thread's). */
  let sliceOutput = 0
  let lastFlush = performance.now()
  let hooks = 0

  const flush = () => {
    if (pending.length === 0) return
    io.post({ type: 'output', lines: pending })
    pending = []
    pendingBytes = 0
    lastFlush = performance.now()
  }

  const kill = (L: LuaState, reason: KillReason, message: string): never => {
    killed ??= { reason, message }
    // From now on every instruction raises, so no pcall or coroutine can swallow the stop.
    lua.lua_sethook(L, hook, lua.LUA_MASKCOUNT, 1)
    return lauxlib.luaL_error(L, to_luastring(killed.message))
  }

  // A listener prints a line per event for days: what the run keeps is its newest output (the
  // main thread drops the oldest past limits.outputBytes). What stops a run is printing more than
  // that without ever waiting, i.e. a loop that prints without end.
  const write = (L: LuaState, stream: OutputStream, text: string, level?: LogLevel) => {
    const bytes = Buffer.byteLength(text) + 1
    if (sliceOutput + bytes > limits.outputBytes) {
      const room = Math.max(0, limits.outputBytes - sliceOutput)
      if (room > 0) pending.push({ stream, text: text.slice(0, room), ts: Date.now(), ...(level ? { level } : {}) })
      sliceOutput = limits.outputBytes
      flush()
      kill(
        L,
        'output',
        `script stopped: it printed more than ${describeBytes(limits.outputBytes)} of output without waiting on a device, a timer or an event (limits.outputBytes); look for a loop that prints without end`,
      )
    }
    sliceOutput += bytes
    pendingBytes += bytes
    pending.push({ stream, text, ts: Date.now(), ...(level ? { level } : {}) })
    if (pendingBytes > FLUSH_BYTES) flush()
  }

  const hook: LuaHook = (L) => {
    Atomics.add(shared, SLOT_BEAT, 1)
    if (killed) kill(L, killed.reason, killed.message)
    const now = performance.now()
    if (now - sliceStart > limits.cpuMs)
      kill(
        L,
        'cpu',
        `script stopped: it ran Lua for more than ${describeMs(limits.cpuMs)} without waiting on a device, a timer or an event (limits.cpuMs); look for a loop that never ends`,
      )
    // Large strings live outside the JS heap (typed arrays): count them here too.
    if ((++hooks & 15) === 0 && getHeapStatistics().external_memory > externalLimit)
      kill(L, 'memory', memoryMessage(limits.memoryMb))
    if (pending.length > 0 && now - lastFlush > FLUSH_MS) flush()
  }

  guardStringSize(
    limits.maxStringBytes,
    (error) => {
      killed ??= {
        reason: 'memory',
        message: `script stopped: it tried to build a string of ${error.bytes} bytes, over the ${error.limit}-byte limit for one string (limits.maxStringBytes)`,
      }
    },
    {
      limitBytes: externalLimit,
      external: () => getHeapStatistics().external_memory,
      onHit: () => {
        killed ??= { reason: 'memory', message: memoryMessage(limits.memoryMb) }
      },
    },
  )
  const dialect = scriptDialect(start.source)
  // Process-wide in this thread, which runs this one script.
  if (dialect === '5.1') useLua51Numbers()
  const sandbox = createSandbox({
    dialect,
    hostFunctions: [...start.hostFunctions, ...Object.keys(LOCAL_ASYNC)],
    maxStringBytes: limits.maxStringBytes,
    print: (L, text) => write(L, 'stdout', text),
    log: (L, level, text) => write(L, 'log', text, level),
    cpuSeconds: () => (cpuMs + (sliceStart ? performance.now() - sliceStart : 0)) / 1000,
    onLibraryCall: () => Atomics.add(shared, SLOT_BEAT, 1),
    nativeError: (error) => {
      if (error instanceof StringLimitError) return killed?.message ?? error.message
      if (
        error instanceof RangeError &&
        /allocat|Invalid (typed )?array length|Invalid string length/i.test(error.message)
      ) {
        killed ??= { reason: 'memory', message: memoryMessage(limits.memoryMb) }
        return killed.message
      }
      return `internal error: ${errorMessage(error)}`
    },
  })
  const { L } = sandbox

  const done = (message: WorkerToMain) => {
    flush()
    Atomics.store(shared, SLOT_STATE, STATE_DONE)
    io.post(message)
  }
  const stopped = (why: { reason: KillReason; message: string }) =>
    done({ type: 'done', status: 'killed', failure: { message: why.message, reason: why.reason } })

  const chunk = Buffer.from(withoutShebang(start.source), 'utf8')
  const loaded = lauxlib.luaL_loadbufferx(L, chunk, chunk.length, to_luastring(start.chunkName), to_luastring('t'))
  if (loaded !== lua.LUA_OK) {
    const message = jsString(L, -1)
    return done({ type: 'done', status: 'error', failure: { message, ...lineOf(message, start.chunkName) } })
  }
  for (const [name, value] of Object.entries(start.globals)) {
    pushJs(L, value, () => sandbox.pushErrorMeta(L))
    lua.lua_setglobal(L, name)
  }
  makeEnvReadOnly(L)
  const co = lua.lua_newthread(L)
  lua.lua_pushvalue(L, -2)
  lua.lua_xmove(L, co, 1)
  sandbox.setMain(-1)
  lua.lua_sethook(co, hook, lua.LUA_MASKCOUNT, HOOK_EVERY)

  io.post({ type: 'started', bootMs: performance.now() - bootStart })

  let nargs = 0
  for (;;) {
    Atomics.store(shared, SLOT_STATE, STATE_RUNNING)
    sliceStart = performance.now()
    const status = lua.lua_resume(co, L, nargs)
    cpuMs += performance.now() - sliceStart
    sliceStart = 0
    Atomics.store(shared, SLOT_STATE, STATE_WAITING)

    // A stop raised inside a coroutine the script resumed itself ends that coroutine only, and
    // coroutine.resume hands the script the message: whatever the script did next, it was stopped.
    if (killed) return stopped(killed)

    if (status === lua.LUA_YIELD) {
      const n = lua.lua_gettop(co)
      if (n < 2 || !sandbox.isHost(co, 1)) {
        // The prelude stops the script's own yields at top level; anything else is resumed empty.
        lua.lua_settop(co, 0)
        nargs = 0
        continue
      }
      const name = jsString(co, 2)
      let answer: ReplyMessage | { ok: false; error: string }
      try {
        const args: LuaJs[] = []
        for (let i = 3; i <= n; i++) args.push(toJs(co, i))
        lua.lua_settop(co, 0)
        flush()
        sliceOutput = 0
        const local = LOCAL_ASYNC[name]
        answer = local ? { type: 'reply', id: 0, ok: true, values: await local(args) } : await io.call(name, args)
      } catch (error) {
        lua.lua_settop(co, 0)
        const why =
          error instanceof ConvertError ? `bad argument to '${name}' (${error.message})` : (error as Error).message
        answer = { ok: false, error: why }
      }
      if (answer.ok) {
        try {
          for (const value of answer.values) pushJs(co, value, () => sandbox.pushErrorMeta(co))
          nargs = answer.values.length
        } catch (error) {
          lua.lua_settop(co, 0)
          sandbox.pushRaise(co)
          lua.lua_pushstring(co, `${name}: ${(error as Error).message}`)
          nargs = 2
        }
      } else {
        sandbox.pushRaise(co)
        lua.lua_pushstring(co, answer.error)
        nargs = 2
      }
      continue
    }

    if (status === lua.LUA_OK) {
      const values: LuaJs[] = []
      const top = lua.lua_gettop(co)
      for (let i = 1; i <= top; i++) {
        try {
          values.push(toJs(co, i))
        } catch {
          values.push(`(${typeName(co, i)})`)
        }
      }
      return done({ type: 'done', status: 'ok', values })
    }

    // The error value's __tostring is script code too: it runs under the same hook and watchdog.
    lua.lua_sethook(L, hook, lua.LUA_MASKCOUNT, HOOK_EVERY)
    Atomics.store(shared, SLOT_STATE, STATE_RUNNING)
    sliceStart = performance.now()
    const failure = describeError(L, co, start.chunkName)
    Atomics.store(shared, SLOT_STATE, STATE_WAITING)
    if (killed) return stopped(killed)
    return done({ type: 'done', status: 'error', failure })
  }
}

function memoryMessage(memoryMb: number): string {
  return `script stopped: it used more than ${memoryMb} MiB of memory (limits.memoryMb)`
}

const toStringOf = (L: LuaState): number => {
  lauxlib.luaL_tolstring(L, 1)
  return 1
}

function describeError(L: LuaState, co: LuaState, chunkName: string): ScriptFailure {
  let traceback: string | undefined
  try {
    lauxlib.luaL_traceback(L, co, null, 0)
    traceback = cleanTraceback(jsString(L, -1))
    lua.lua_pop(L, 1)
  } catch {
    traceback = undefined
  }
  let message: string
  try {
    const t = lua.lua_type(co, -1)
    if (t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER) message = jsString(co, -1)
    else {
      // A table or other value: its __tostring (error values from host calls have one), called
      // protected so that one that raises (or is stopped by the hook) cannot take the driver down.
      lua.lua_pushcfunction(L, toStringOf)
      lua.lua_xmove(co, L, 1)
      message =
        lua.lua_pcall(L, 1, 1, 0) === lua.LUA_OK
          ? jsString(L, -1)
          : `(an error value whose __tostring failed: ${jsString(L, -1)})`
      lua.lua_pop(L, 1)
    }
  } catch {
    message = '(an error object that cannot be shown)'
  }
  return { message, ...(traceback ? { traceback } : {}), ...lineOf(message, chunkName) }
}

/** Drops the sandbox's own frames and the driver's boundary, which say nothing to the author. */
function cleanTraceback(raw: string): string {
  const hidden = PRELUDE_CHUNK_NAME.slice(1)
  return raw
    .split('\n')
    .filter((line) => !line.includes(hidden) && line.trim() !== '[C]: in ?')
    .join('\n')
}
