import { BenchError } from '../core/errors'
import { printable } from '../core/printable'

/**
 * A plain text table on stdout. Every cell is escaped (printable) before the widths are measured:
 * cells may hold what a CPE sent (serials, versions, file names of uploads).
 */
export function printTable(header: string[], rows: string[][]): void {
  const cells = rows.map((r) => r.map((c) => printable(c)))
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)))
  for (const r of [header, ...cells])
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
}

/**
 * The exit code of a subcommand that failed with a user-facing core error, said on stderr: 1 when
 * what it names does not exist, 2 for anything else the user must change. Other errors are rethrown.
 */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof BenchError)) throw error
  console.error(error.message)
  return error.kind === 'not-found' ? 1 : 2
}
