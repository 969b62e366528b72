import type { CheckReport } from './types'

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const LABEL = { pass: 'PASS', fail: 'FAIL', 'not-supported': 'NOT SUPPORTED', 'not-observed': 'NOT OBSERVED' } as const

/**
 * A self-contained HTML report (no scripts, no external resources): every string a CPE sent is
 * escaped, and the SOAP of each check sits in a <details> under it.
 */
export function renderHtmlReport(report: CheckReport): string {
  const d = report.device
  const rows = report.results
    .map(
      (r) => `<section class="check ${r.outcome}" data-check="${esc(r.id)}" data-outcome="${r.outcome}">
<h2><span class="verdict">${LABEL[r.outcome]}</span> ${esc(r.title)}</h2>
<p>${esc(r.detail)} <span class="ms">(${r.durationMs} ms)</span></p>
${r.evidence
  .map(
    (e) => `<details><summary>${esc(e.summary)}</summary>
${e.soapOut ? `<h3>ACS → CPE</h3><pre>${esc(e.soapOut)}</pre>` : ''}${e.soapIn ? `<h3>CPE → ACS</h3><pre>${esc(e.soapIn)}</pre>` : ''}</details>`,
  )
  .join('\n')}
</section>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>CPE check: ${esc(report.serial)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#1b1f24}
h1{font-size:1.4em}h2{font-size:1.05em;margin:0 0 .3em}h3{font-size:.85em;margin:.6em 0 .2em;color:#555}
.summary span{margin-right:1.2em;font-weight:600}
.check{border:1px solid #d0d7de;border-left-width:6px;border-radius:6px;padding:.7em 1em;margin:.7em 0}
.pass{border-left-color:#1a7f37}.fail{border-left-color:#cf222e}.not-supported,.not-observed{border-left-color:#9a6700}
.verdict{display:inline-block;min-width:8.5em;font-size:.8em;letter-spacing:.04em}
.pass .verdict{color:#1a7f37}.fail .verdict{color:#cf222e}.not-supported .verdict,.not-observed .verdict{color:#9a6700}
pre{background:#f6f8fa;padding:.6em;overflow:auto;font-size:12px;white-space:pre-wrap;word-break:break-all}
.ms{color:#777;font-size:.85em}
</style></head><body>
<h1>CPE check: ${esc(report.serial)}</h1>
<p>${esc(d.manufacturer)} ${esc(d.productClass)}, software ${esc(d.softwareVersion)}, ${esc(d.dataModel)} data model.
Run ${esc(new Date(report.startedAt).toISOString())}, ${Math.round((report.finishedAt - report.startedAt) / 1000)} s.</p>
<p class="summary"><span class="pass">${report.counts.pass} passed</span><span class="fail">${report.counts.fail} failed</span><span class="not-supported">${report.counts['not-supported']} not supported</span>${report.counts['not-observed'] ? `<span class="not-observed">${report.counts['not-observed']} not observed</span>` : ''}</p>
${rows}
</body></html>
`
}
