/** The listener could not start; `code` is the system error code (EADDRINUSE, EACCES, …) or "TLS". */
export class ListenError extends Error {
  constructor(
    readonly code: string,
    readonly port: number,
    readonly bind: string,
    message: string,
  ) {
    super(message)
    this.name = 'ListenError'
  }
}

/** Why the listener could not bind, in words that say what to do about it. */
export function listenError(error: NodeJS.ErrnoException, port: number, bind: string): ListenError {
  const where = `${bind}:${port}`
  switch (error.code) {
    case 'EADDRINUSE':
      return new ListenError(
        'EADDRINUSE',
        port,
        bind,
        `port ${port} is already in use (${where}): another ACS or bench-acs is running — stop it, or choose another port`,
      )
    case 'EACCES':
      return new ListenError(
        'EACCES',
        port,
        bind,
        `port ${port} needs administrator privileges here (${where}): use a port above 1023, such as the CWMP default 7547`,
      )
    case 'EADDRNOTAVAIL':
      return new ListenError('EADDRNOTAVAIL', port, bind, `${bind} is not an address of this machine`)
    default:
      return new ListenError(error.code ?? 'ERROR', port, bind, `cannot listen on ${where}: ${error.message}`)
  }
}
