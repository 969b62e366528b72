/**
 * One CSV cell, for a spreadsheet: quoted when it holds a quote, comma or line break, and a value
 * starting with =, +, -, @ (or a tab / CR) prefixed with ' so it cannot run as a formula. CPE strings
 * are untrusted: a serial "=HYPERLINK(…)" stays text.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** Lines joined with CRLF, as RFC 4180 has it, ending with one. */
export function csvText(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
