/** "name:12: message" → line 12, when the message points into the chunk with this name. */
export function lineOf(message: string, chunkName: string): { line?: number } {
  const name = chunkName.startsWith('=') || chunkName.startsWith('@') ? chunkName.slice(1) : chunkName
  if (!message.startsWith(`${name}:`)) return {}
  const m = /^:(\d+):/.exec(message.slice(name.length))
  return m ? { line: Number(m[1]) } : {}
}

/** A first line starting with "#" (e.g. "#!/usr/bin/env …") is skipped, as the standalone lua does; the line count stays. */
export function withoutShebang(source: string): string {
  return source.startsWith('#') ? source.replace(/^#[^\n]*/, '') : source
}
