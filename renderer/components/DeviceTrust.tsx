import { useEffect, useState } from 'react'
import type { DevicePolicy } from '../../preload/api'
import { bench } from '../lib/bench'
import { useLoad } from '../lib/hooks'
import { ErrorNote, Note, Spinner } from './ui'

/**
 * What the ACS trusts about one device beyond what the device says of itself (docs/security.md):
 * the technician's answer to the refusals the event log reports for it.
 */
export function DeviceTrust({ serial, reportedCrUrl }: { serial: string; reportedCrUrl: string }) {
  const loaded = useLoad(() => bench.devices.trust(serial), [serial])
  const [form, setForm] = useState<DevicePolicy | null>(null)
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null)
  const [saving, setSaving] = useState(false)
  useEffect(() => setForm(loaded.data ?? null), [loaded.data])

  if (loaded.loading && !form) return <Spinner label="Loading trust settings…" />
  if (!form) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />

  const save = async () => {
    setSaving(true)
    setResult(null)
    try {
      const saved = await bench.devices.setTrust(serial, {
        confirmedCrUrl: form.confirmedCrUrl ?? '',
        allowBasicCr: Boolean(form.allowBasicCr),
        matchByAddress: Boolean(form.matchByAddress),
      })
      setForm(saved)
      setResult({ ok: true, message: 'Saved. The change is in the event log.' })
    } catch (error) {
      setResult({ ok: false, message: error instanceof Error ? error.message : String(error) })
    } finally {
      setSaving(false)
    }
  }

  return (
    <form
      className="form trust"
      data-testid="device-trust"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <p className="hint">
        A CPE chooses its own connection request URL and may drop cookies; by default Bench ACS wakes only URLs on the
        address its sessions come from ({form.sessionAddress || 'none seen yet'}), answers only Digest challenges, and
        never gives a cookie-less message to a session by address. Change this only for a CPE you know needs it.
      </p>
      <label>
        Confirmed connection request URL
        <input
          type="text"
          className="mono"
          data-testid="trust-cr-url"
          placeholder="none: only URLs on the session address are woken"
          value={form.confirmedCrUrl ?? ''}
          onChange={(e) => setForm({ ...form, confirmedCrUrl: e.target.value })}
        />
      </label>
      {reportedCrUrl && reportedCrUrl !== form.confirmedCrUrl && (
        <button
          type="button"
          className="link"
          data-testid="trust-use-reported"
          onClick={() => setForm({ ...form, confirmedCrUrl: reportedCrUrl })}
        >
          Use the URL the device reported: <span className="mono">{reportedCrUrl}</span>
        </button>
      )}
      <label className="check">
        <input
          type="checkbox"
          data-testid="trust-basic"
          checked={Boolean(form.allowBasicCr)}
          onChange={(e) => setForm({ ...form, allowBasicCr: e.target.checked })}
        />
        Answer Basic challenges (the connection request password crosses the LAN in clear; for CPEs without Digest)
      </label>
      <label className="check">
        <input
          type="checkbox"
          data-testid="trust-address"
          checked={Boolean(form.matchByAddress)}
          onChange={(e) => setForm({ ...form, matchByAddress: e.target.checked })}
        />
        Match its messages without cookie by address (for a CPE that drops cookies and connections, alone at its
        address)
      </label>
      <div className="actions">
        <button type="submit" disabled={saving} data-testid="trust-save">
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      {result && (
        <Note kind={result.ok ? 'ok' : 'warn'} testId="trust-result">
          {result.message}
        </Note>
      )}
    </form>
  )
}
