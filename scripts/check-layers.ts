import { checkLayers, repoRoot } from './layers'

// `npm run lint` runs this: it fails on an import that goes up a layer and on any import cycle.
const problems = checkLayers(repoRoot())
for (const p of problems) console.error(`${p.kind}: ${p.message}`)
if (problems.length > 0) {
  console.error(`\n${problems.length} layer problem(s). The map is in scripts/layers.ts and docs/architecture.md.`)
  process.exit(1)
}
console.log('layers: no upward imports, no import cycles')
