// `npm run docs:api`: rewrites the function reference in docs/scripting.md from the host functions'
// own signatures, summaries and examples (the same the editor shows), so the two never drift.
import { readFileSync, writeFileSync } from 'node:fs'
import { withReference } from '../main/core/lua/reference-md'

const file = new URL('../docs/scripting.md', import.meta.url)
const before = readFileSync(file, 'utf8')
const after = withReference(before)
writeFileSync(file, after)
console.log(before === after ? 'docs/scripting.md was up to date.' : 'docs/scripting.md: function reference rewritten.')
