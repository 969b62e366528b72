// Lua automation as the user sees it: the script library, runs and triggers, on the runtime in
// main/core/lua. See docs/scripting.md.
export {
  ScriptService,
  type ScriptServiceDeps,
  type ScriptServiceOptions,
  type RunOptions,
  type SourceRunOptions,
} from './service'
export { ScriptInputError } from './errors'
export { SCRIPT_MIGRATIONS } from './migrations'
export { DEFAULT_LIMITS, checkLimits, resolveLimits, LimitError, MAX_SOURCE_BYTES, checkSyntax } from '../lua'
export * from './types'
