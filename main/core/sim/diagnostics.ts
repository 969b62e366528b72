import type { DataModel } from './model/data-model'

/**
 * IP ping diagnostics (TR-098 IPPingDiagnostics, TR-181 IP.Diagnostics.IPPing) as a CPE reports
 * them once DiagnosticsState was set to "Requested": no packets are sent, the results are plausible
 * LAN figures, and an empty Host fails as a real CPE's would.
 */
export function completePingDiagnostics(model: DataModel, object: string): void {
  const host = model.get(`${object}Host`) ?? ''
  const count = Math.max(1, Number(model.get(`${object}NumberOfRepetitions`) ?? '1') || 1)
  if (!host) {
    model.set(`${object}DiagnosticsState`, 'Error_CannotResolveHostName')
    return
  }
  model.set(`${object}DiagnosticsState`, 'Complete')
  model.set(`${object}SuccessCount`, String(count))
  model.set(`${object}FailureCount`, '0')
  model.set(`${object}AverageResponseTime`, '2')
  model.set(`${object}MinimumResponseTime`, '1')
  model.set(`${object}MaximumResponseTime`, '3')
}
