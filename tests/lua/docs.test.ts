import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SCRIPT_API } from '../../main/core/lua/host'
import { checkSyntax } from '../../main/core/lua/check'
import { withReference } from '../../main/core/lua/reference-md'

describe('docs/scripting.md', () => {
  it('documents every function scripts can call, with its example, as the runtime defines them', () => {
    const doc = readFileSync(new URL('../../docs/scripting.md', import.meta.url), 'utf8')
    // Stale docs: run `npm run docs:api`.
    expect(withReference(doc)).toBe(doc)
    for (const entry of SCRIPT_API) {
      expect(entry.example.trim(), entry.name).not.toBe('')
      // Every example is Lua that compiles, as pasted into the editor.
      expect(checkSyntax(entry.example), entry.name).toMatchObject({ ok: true })
      expect(doc).toContain(`#### \`${entry.signature}\``)
    }
  })
})
