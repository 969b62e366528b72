// `npm run bench`: each suite measures our path and a baseline in the same run, and reports the
// ratio — absolute numbers vary from machine to machine, ratios much less.
// Run one suite with `npm run bench -- <name>`.
import { suites } from './suites'

const only = process.argv.slice(2)
const selected = only.length ? suites.filter((s) => only.includes(s.name)) : suites.filter((s) => !s.optIn)
if (selected.length === 0) {
  console.error(`No suite named ${only.join(', ')}. Suites: ${suites.map((s) => s.name).join(', ')}`)
  process.exit(2)
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2))

for (const suite of selected) {
  console.log(`\n## ${suite.name}`)
  await suite.run((r) => {
    let line = `${r.name}: ${fmt(r.value)} ${r.unit}`
    if (r.baseline) line += ` | baseline ${r.baseline.name}: ${fmt(r.baseline.value)} ${r.baseline.unit}`
    if (r.ratio)
      line += ` | ratio ${r.ratio.value.toFixed(2)} (${r.ratio.meaning}${r.ratio.aim ? `; aim ${r.ratio.aim}` : ''})`
    console.log(line)
  })
}
