// Lua automation: Fengari in worker threads with the Oktopus script API. See docs/scripting.md.
export {
  ScriptService,
  type ScriptServiceDeps,
  type ScriptServiceOptions,
  type RunOptions,
  type SourceRunOptions,
} from './service'
export { ScriptInputError, MAX_SOURCE_BYTES } from './store/scripts'
export { DEFAULT_LIMITS, checkLimits, resolveLimits, LimitError, type ScriptLimits } from './limits'
export { checkSyntax } from './check'
export { MESSAGE_TYPES, SCRIPT_API } from './host'
export { locateWorker, type WorkerSource } from './worker-file'
export * from './types'
