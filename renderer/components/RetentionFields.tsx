import type { SettingsView } from '../../preload/api'

type Retention = SettingsView['retention']

/** Smallest cap the API takes (main/api/settings.ts MIN_CAP_MB). */
const MIN_CAP_MB = 16

export function retentionProblem(r: Retention): string | null {
  const days = [r.eventsDays, r.runsDays, r.fetchesDays]
  if (days.some((d) => !Number.isInteger(d) || d < 0)) return 'Days are whole numbers, 0 for no age limit.'
  if (!Number.isInteger(r.maxMb) || r.maxMb < 0 || (r.maxMb > 0 && r.maxMb < MIN_CAP_MB))
    return `The database cap is at least ${MIN_CAP_MB} MB, or 0 for no cap.`
  if (!Number.isInteger(r.convertBelowMb) || r.convertBelowMb < 0) return 'The vacuum size is a whole number of MB.'
  return null
}

/** The Settings page's retention section (docs/retention.md). */
export function RetentionFields({
  value,
  onChange,
}: {
  value: Retention
  onChange: (patch: Partial<Retention>) => void
}) {
  const num = (key: keyof Retention) => ({
    type: 'number' as const,
    min: 0,
    value: value[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => onChange({ [key]: Number(e.target.value) }),
    'data-testid': `settings-retention-${key}`,
  })
  const problem = retentionProblem(value)
  return (
    <div data-testid="settings-retention">
      <h2>Retention</h2>
      <p className="hint">
        How long the database keeps history, oldest deleted first in small steps that never hold up a CPE. Rows not yet
        sent to a sync target are never deleted; the Sync page shows the size and what was deleted last.
      </p>
      <div className="row">
        <label>
          Keep events (days, 0 = no limit)
          <input {...num('eventsDays')} />
        </label>
        <label>
          Keep script runs (days)
          <input {...num('runsDays')} />
        </label>
        <label>
          Keep file fetches (days)
          <input {...num('fetchesDays')} />
        </label>
      </div>
      <div className="row">
        <label>
          Database cap (MB, 0 = none)
          <input {...num('maxMb')} aria-invalid={Boolean(problem && problem.includes('cap'))} />
        </label>
        <label>
          Switch to incremental vacuum at start when at most (MB)
          <input {...num('convertBelowMb')} />
        </label>
      </div>
      <p className="hint">
        Deleted space goes back to the disk as it is freed (incremental vacuum). A database made by an older version and
        larger than the size above is switched only by <span className="mono">bench-acs serve --vacuum</span> (it needs
        as much free disk again).
      </p>
      {problem && <span className="invalid-text">{problem}</span>}
    </div>
  )
}
