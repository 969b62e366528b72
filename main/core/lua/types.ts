import type { KillReason } from './protocol'

export type { ScriptLimits } from './limits'
export type { KillReason, LogLevel, LuaJs, OutputStream, ScriptFailure } from './protocol'

/** A syntax check's answer, for the editor's error markers. */
export type SyntaxCheck = { ok: true } | { ok: false; line: number; message: string }

export type { KillReason as RunKillReason }
