import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ListenError } from '../../main/core/acs'
import { createBench } from '../../main/core/bench'
import { decodeEnvelope } from '../../main/core/cwmp'
import { informXml, startAcs } from './helpers'

// A throwaway self-signed certificate, made with the openssl command line (CI installs it with the OS).
let dir: string
let tls: { certFile: string; keyFile: string }
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-acs-tls-'))
  tls = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') }
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      tls.keyFile,
      '-out',
      tls.certFile,
    ],
    { stdio: 'ignore' },
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function postTls(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', rejectUnauthorized: false, headers: { 'Content-Type': 'text/xml' } },
      (res) => {
        let text = ''
        res.on('data', (c) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

describe('CWMP over HTTPS', () => {
  it('serves sessions over TLS with the given certificate', async () => {
    const acs = await startAcs({ cwmp: { tls } })
    try {
      expect(acs.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/)
      const reply = await postTls(acs.url, informXml({ serial: 'TLS1' }))
      expect(reply.status).toBe(200)
      expect(decodeEnvelope(reply.text).body).toMatchObject({ method: 'InformResponse' })
      expect(acs.bench.store.devices.get('TLS1')).toBeDefined()
    } finally {
      await acs.close()
    }
  })

  it('refuses to start with a clear error when the certificate cannot be read', async () => {
    const bench = await createBench(
      {
        dataDir: dir,
        cwmp: { port: 0, bind: '127.0.0.1', tls: { certFile: join(dir, 'missing.pem'), keyFile: tls.keyFile } },
      },
      { log: () => {}, databaseFile: ':memory:' },
    )
    try {
      const error = await bench.acs.listen().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ListenError)
      expect((error as ListenError).code).toBe('TLS')
      expect((error as ListenError).message).toMatch(/cannot read the TLS certificate or key: .*missing\.pem/)
    } finally {
      await bench.close()
    }
  })
})
