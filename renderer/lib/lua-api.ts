import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete'
import { snippetCompletion } from '@codemirror/autocomplete'

/** The host API scripts can call (the Oktopus functions, then ours), for completion and hints. */
export const HOST_API: { label: string; detail: string; info: string; snippet: string }[] = [
  {
    label: 'send_cwmp_message',
    detail: '(serial, xml, type) → table | boolean',
    info: 'Sends a CWMP request to the device and waits for its answer. type 0 = GetParameterValues (returns a table name → value), 1 = SetParameterValues (returns true/false).',
    snippet: 'send_cwmp_message(${serial}, ${xml}, ${0})',
  },
  {
    label: 'listen_to_cwmp_event',
    detail: '([event], [serial]) → { serial_number, event }',
    info: 'Waits for the next CWMP event ("0" BOOTSTRAP, "1" BOOT, "2" PERIODIC, …), from one device or any. No arguments: any event from any device.',
    snippet: 'listen_to_cwmp_event(${"2"})',
  },
  {
    label: 'get_device',
    detail: '(serial) → table | false',
    info: 'The stored device: sn, model, vendor, version, product_class, alias, status (0 offline, 2 online: up and informing; 1 associating is not used for CWMP devices). false when unknown.',
    snippet: 'get_device(${serial})',
  },
  { label: 'print', detail: '(...)', info: 'Writes a line to the run output.', snippet: 'print(${})' },
  {
    label: 'log',
    detail: '([level], ...)',
    info: 'A line in the run output marked with its level ("debug", "info", "warn", "error"); also written to the event log.',
    snippet: 'log(${"info"}, ${})',
  },
  {
    label: 'sleep',
    detail: '(seconds)',
    info: 'Waits without using CPU; a stop ends the wait.',
    snippet: 'sleep(${1})',
  },
  {
    label: 'json.encode',
    detail: '(value, [pretty]) → string',
    info: 'Tables to JSON text.',
    snippet: 'json.encode(${})',
  },
  {
    label: 'json.decode',
    detail: '(text) → value | nil, err',
    info: 'JSON text to tables.',
    snippet: 'json.decode(${})',
  },
]

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

const OPTIONS: Completion[] = [
  ...HOST_API.map((f) =>
    snippetCompletion(f.snippet, { label: f.label, detail: f.detail, info: f.info, type: 'function', boost: 10 }),
  ),
  ...LUA_KEYWORDS.map((k) => ({ label: k, type: 'keyword' })),
  ...LUA_GLOBALS.map((g) => ({ label: g, type: 'variable' })),
]

export function luaCompletions(context: CompletionContext): CompletionResult | null {
  const word = context.matchBefore(/[A-Za-z_][A-Za-z_0-9.]*/)
  if (!word || (word.from === word.to && !context.explicit)) return null
  return { from: word.from, options: OPTIONS, validFor: /^[A-Za-z_0-9.]*$/ }
}
