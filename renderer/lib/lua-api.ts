import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete'
import { snippetCompletion } from '@codemirror/autocomplete'
import type { ScriptApiReference } from '../../preload/api'
import { bench } from './bench'

type ApiEntry = ScriptApiReference['functions'][number]

let reference: Promise<ScriptApiReference> | undefined

/** The script API as the core defines it (bench.scripts.api()), fetched once per page load. */
export function scriptApi(): Promise<ScriptApiReference> {
  reference ??= bench.scripts.api().catch((error: unknown) => {
    // Try again next time (the server may have been restarting); the editor still completes Lua.
    reference = undefined
    throw error
  })
  return reference
}

/**
 * The arguments a call needs: those before the first optional one ("[…" outside braces), split at
 * top-level commas. "set_parameter_values(serial, {[name] = value, …} [, options])" needs two.
 */
export function requiredArgs(signature: string): string[] {
  const open = signature.indexOf('(')
  if (open < 0) return []
  const inner = signature.slice(open + 1, signature.lastIndexOf(')'))
  const args: string[] = []
  let depth = 0
  let current = ''
  for (const ch of inner) {
    if (ch === '{') depth++
    if (ch === '}') depth--
    if (depth === 0 && ch === '[') break
    if (depth === 0 && ch === ',') {
      args.push(current.trim())
      current = ''
      continue
    }
    current += ch
  }
  if (current.trim()) args.push(current.trim())
  return args.filter((a) => a && a !== '…')
}

function info(entry: ApiEntry): () => Node {
  return () => {
    const box = document.createElement('div')
    box.className = 'completion-info'
    const summary = document.createElement('div')
    summary.textContent = entry.summary
    const example = document.createElement('pre')
    example.className = 'code'
    example.textContent = entry.example
    box.append(summary, example)
    return box
  }
}

function toCompletion(entry: ApiEntry): Completion {
  const callable = entry.signature.includes('(')
  if (!callable) return { label: entry.name, detail: 'global', info: info(entry), type: 'variable', boost: 10 }
  // A snippet with a field per required argument; Tab moves between them.
  const args = requiredArgs(entry.signature)
    .map((a) => `\${${a.replace(/[{}$\\]/g, '')}}`)
    .join(', ')
  return snippetCompletion(`${entry.name}(${args})`, {
    label: entry.name,
    detail: entry.signature.slice(entry.name.length),
    info: info(entry),
    type: 'function',
    boost: 10,
  })
}

const LUA_KEYWORDS = [
  'and',
  'break',
  'do',
  'else',
  'elseif',
  'end',
  'false',
  'for',
  'function',
  'if',
  'in',
  'local',
  'nil',
  'not',
  'or',
  'repeat',
  'return',
  'then',
  'true',
  'until',
  'while',
]
const LUA_GLOBALS = [
  'pairs',
  'ipairs',
  'tostring',
  'tonumber',
  'type',
  'string',
  'table',
  'math',
  'os',
  'pcall',
  'error',
]

const LUA: Completion[] = [
  ...LUA_KEYWORDS.map((k) => ({ label: k, type: 'keyword' })),
  ...LUA_GLOBALS.map((g) => ({ label: g, type: 'variable' })),
]

export async function luaCompletions(context: CompletionContext): Promise<CompletionResult | null> {
  const word = context.matchBefore(/[A-Za-z_][A-Za-z_0-9.]*/)
  if (!word || (word.from === word.to && !context.explicit)) return null
  let host: Completion[] = []
  try {
    host = (await scriptApi()).functions.map(toCompletion)
  } catch {
    // Without the reference, Lua's own words still complete.
  }
  return { from: word.from, options: [...host, ...LUA], validFor: /^[A-Za-z_0-9.]*$/ }
}
