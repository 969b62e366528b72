import { readFileSync } from 'node:fs'
import { credsAuthenticator, type ConnectionOptions } from 'nats'
import { SyncTargetError, errorCode, networkHint } from '../errors'
import { parseServerUrl, redactUrl } from '../settings'
import type { NatsTargetSettings } from '../types'
import { errorMessage } from '../../errors'

/** Connection options for the nats client from our settings (credentials from the URL too). */
export function natsConnectionOptions(
  s: NatsTargetSettings,
  extra: { name: string; timeoutMs: number },
): ConnectionOptions {
  const servers: string[] = []
  let urlUser = ''
  let urlPass = ''
  let wantsTls = s.tls.enabled
  for (const raw of s.url.split(',')) {
    const url = parseServerUrl(raw.trim())
    if (!url) continue
    if (url.username) {
      urlUser = decodeURIComponent(url.username)
      urlPass = decodeURIComponent(url.password)
    }
    if (url.protocol === 'tls:') wantsTls = true
    servers.push(`${url.hostname.includes(':') ? `[${url.hostname}]` : url.hostname}:${url.port || 4222}`)
  }
  const options: ConnectionOptions = {
    servers,
    name: extra.name,
    timeout: extra.timeoutMs,
    // The relay decides when to give up; the client keeps reconnecting in the background.
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    waitOnFirstConnect: false,
    pingInterval: 20_000,
    // Without this the client builds an Error (a stack trace) for every request: a sixth of the
    // CPU time of a drain. Our errors say what failed without the client's stack.
    noAsyncTraces: true,
  }
  const auth = s.auth
  if (auth.kind === 'userpass') {
    options.user = auth.user
    options.pass = auth.password
  } else if (auth.kind === 'token') {
    options.token = auth.token
  } else if (auth.kind === 'creds') {
    let creds: Uint8Array
    try {
      creds = readFileSync(auth.file)
    } catch (error) {
      throw new SyncTargetError(
        `NATS credentials file ${auth.file} cannot be read (${errorCode(error) ?? String(error)})`,
        'Choose the .creds file again in the Sync settings (it is issued by your NATS operator with nsc).',
      )
    }
    options.authenticator = credsAuthenticator(creds)
  } else if (urlUser) {
    // nats://user:pass@host, or nats://token@host.
    if (urlPass) {
      options.user = urlUser
      options.pass = urlPass
    } else options.token = urlUser
  }
  if (wantsTls) {
    options.tls = {
      ...(s.tls.caFile ? { caFile: s.tls.caFile } : {}),
      ...(s.tls.certFile ? { certFile: s.tls.certFile } : {}),
      ...(s.tls.keyFile ? { keyFile: s.tls.keyFile } : {}),
    }
  }
  return options
}

/** Turns what nats.connect() or the JetStream API threw into an error with a next step. */
export function natsError(error: unknown, url: string, during: string): SyncTargetError {
  if (error instanceof SyncTargetError) return error
  const shown = redactUrl(url)
  const where = `NATS at ${shown}`
  const code = errorCode(error)
  const message = errorMessage(error)
  const permission = (error as { permissionContext?: { operation: string; subject: string } }).permissionContext
  const api = (error as { api_error?: { code: number; err_code?: number; description: string } }).api_error
  switch (code) {
    case 'CONNECTION_REFUSED':
    case 'ECONNREFUSED':
      return new SyncTargetError(`${where} refused the connection (${during})`, networkHint('ECONNREFUSED', shown)!, {
        cause: error,
      })
    case 'AUTHORIZATION_VIOLATION':
    case 'AUTHENTICATION_EXPIRED':
    case 'BAD_AUTHENTICATION':
    case 'BAD_CREDS':
      return new SyncTargetError(
        `${where} rejected the credentials`,
        'Check the user and password, token or .creds file in the Sync settings.',
        { cause: error },
      )
    case 'PERMISSIONS_VIOLATION':
      return new SyncTargetError(
        `${where}: this user may not ${permission?.operation ?? 'use'} ${permission?.subject ?? 'a subject it needs'}`,
        'Ask your NATS administrator to allow publishing to the sync subjects and the JetStream API ($JS.API.>).',
        { cause: error },
      )
    case 'TIMEOUT':
    case 'CONNECTION_TIMEOUT':
      return new SyncTargetError(`${where} did not answer in time (${during})`, networkHint('ETIMEDOUT', shown)!, {
        cause: error,
      })
    case 'TLS':
      return new SyncTargetError(
        `${where}: TLS failed (${message})`,
        'Use tls:// only if the server has TLS; check the CA, certificate and key files in the Sync settings.',
        { cause: error },
      )
    case '503':
      return new SyncTargetError(
        `${where} has no JetStream (${during})`,
        'Start nats-server with JetStream on (nats-server -js, or "jetstream {}" in its config), or enable it for this account.',
        { cause: error },
      )
    case 'MAX_PAYLOAD_EXCEEDED':
      return new SyncTargetError(
        `${where}: a message is larger than the server's max_payload`,
        'Raise max_payload in the nats-server configuration (e.g. max_payload: 8MB).',
        { cause: error },
      )
  }
  const net = networkHint(code, shown)
  if (net) return new SyncTargetError(`${where}: ${message} (${during})`, net, { cause: error })
  if (api) {
    return new SyncTargetError(
      `${where}: JetStream refused (${during}): ${api.description}`,
      'Check the stream settings on the server and in the Sync settings (stream name, subject prefix).',
      { cause: error },
    )
  }
  return new SyncTargetError(
    `${where}: ${message} (${during})`,
    'Check the NATS settings and that the server is reachable from this machine.',
    { cause: error },
  )
}
