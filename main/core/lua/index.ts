// The Lua runtime: Fengari in worker threads, its sandbox and limits, and the host functions of
// the Oktopus script API. The script library, runs and triggers are main/core/scripts/.
export { DEFAULT_LIMITS, checkLimits, resolveLimits, LimitError, MAX_SOURCE_BYTES, type ScriptLimits } from './limits'
export { checkSyntax } from './check'
export { MESSAGE_TYPES, SCRIPT_API, type ScriptApiEntry } from './host'
export { locateWorker, type WorkerSource } from './worker-file'
export * from './types'
