/**
 * Which Lua a script runs as. Lua 5.1 is the default: Oktopus runs scripts in gopher-lua, a Lua
 * 5.1, so scripts written for it print and compute the same here. A script opts in to Lua 5.3
 * semantics (integers beside floats, 5.3's number formatting and library) with a comment line
 * before its code:
 *
 *     -- bench-acs: lua 5.3
 */
export type LuaDialect = '5.1' | '5.3'

export const DEFAULT_DIALECT: LuaDialect = '5.1'

const DIRECTIVE = /^--\s*bench-acs:\s*lua\s+(5\.[13])\s*$/

/** The dialect a script asks for in its leading comment lines (after a #! line), else 5.1. */
export function scriptDialect(source: string): LuaDialect {
  for (const raw of source.split('\n', 50)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#!')) continue
    if (!line.startsWith('--') || line.startsWith('--[[')) break
    const m = DIRECTIVE.exec(line)
    if (m) return m[1] as LuaDialect
  }
  return DEFAULT_DIALECT
}
