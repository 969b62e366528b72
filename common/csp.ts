/**
 * The Content-Security-Policy of the UI, the same in the Electron window and the headless mode:
 * our own scripts only, no eval, no framing.
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
