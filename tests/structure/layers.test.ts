import { describe, expect, it } from 'vitest'
import { checkLayers, repoRoot } from '../../scripts/layers'

// The layer map of scripts/layers.ts (also `npm run lint`): checked on the real tree, and shown to
// catch what it is for by adding deliberately wrong files to it.

describe('layers', () => {
  const root = repoRoot()

  it('the tree has no upward import and no import cycle', () => {
    expect(checkLayers(root)).toEqual([])
  })

  it('fails on an import that goes up a layer', () => {
    const problems = checkLayers(root, {
      'main/core/store/bad.ts': "import { Acs } from '../acs'\nexport const x = Acs\n",
    })
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'upward',
        message: expect.stringContaining('core/store may not import core/acs'),
      }),
    ])
  })

  it('fails when the renderer imports core code, and lets preload import core types only', () => {
    const problems = checkLayers(root, {
      'renderer/bad.ts': "import { checkSyntax } from '../main/core/lua/check'\nexport const f = checkSyntax\n",
      'preload/types-ok.ts':
        "import type { DeviceRecord } from '../main/core/store/types'\nexport type D = DeviceRecord\n",
      'preload/code-bad.ts': "import { parentPath } from '../main/core/store'\nexport const p = parentPath\n",
    })
    expect(problems.map((p) => p.message).sort()).toEqual([
      expect.stringContaining('preload/code-bad.ts imports main/core/store/index.ts'),
      expect.stringContaining('renderer/bad.ts imports main/core/lua/check.ts'),
    ])
  })

  it('keeps tests and benchmarks out of the app, and the UI out of the tooling', () => {
    const problems = checkLayers(root, {
      'main/core/store/uses-tests.ts': "import { runCli } from '../../../tests/support/cli'\nexport const r = runCli\n",
      'main/core/sync/uses-bench.ts':
        "import type { syncSuite } from '../../../bench/sync'\nexport type X = typeof syncSuite\n",
      'renderer/uses-tests.ts': "import { runCli } from '../tests/support/cli'\nexport const r = runCli\n",
      'scripts/uses-renderer.ts': "import { App } from '../renderer/App'\nexport const a = App\n",
      // Allowed: tooling on the core and the test support; tests and benchmarks on anything.
      'scripts/uses-core.ts':
        "import { runCli } from '../tests/support/cli'\nimport { ulid } from '../main/core/ids'\nexport const u = [runCli, ulid]\n",
      'tests/uses-all.ts':
        "import { App } from '../renderer/App'\nimport { checkLayers } from '../scripts/layers'\nimport type { syncSuite } from '../bench/sync'\nexport const a = [App, checkLayers] as unknown as typeof syncSuite\n",
      'bench/uses-all.ts':
        "import { App } from '../renderer/App'\nimport { runCli } from '../tests/support/cli'\nexport const a = [App, runCli]\n",
    })
    expect(problems.map((p) => p.message).sort()).toEqual([
      expect.stringContaining(
        'main/core/store/uses-tests.ts imports tests/support/cli.ts: core/store may not import tests',
      ),
      expect.stringContaining(
        'main/core/sync/uses-bench.ts imports bench/sync.ts (types): core/sync may not import bench',
      ),
      expect.stringContaining('renderer/uses-tests.ts imports tests/support/cli.ts: renderer may not import tests'),
      expect.stringContaining('scripts/uses-renderer.ts imports renderer/App.tsx: scripts may not import renderer'),
    ])
  })

  it('fails on an import cycle, even inside one module', () => {
    const problems = checkLayers(root, {
      'main/core/acs/cycle-a.ts': "import { b } from './cycle-b'\nexport const a = () => b\n",
      'main/core/acs/cycle-b.ts': "import type { a } from './cycle-a'\nexport const b = 1 as unknown as typeof a\n",
    })
    expect(problems).toEqual([
      {
        kind: 'cycle',
        message: 'import cycle: main/core/acs/cycle-a.ts -> main/core/acs/cycle-b.ts -> main/core/acs/cycle-a.ts',
      },
    ])
  })

  it('fails on a file that belongs to no layer', () => {
    expect(checkLayers(root, { 'main/stray.ts': 'export const s = 1\n' })).toEqual([
      expect.objectContaining({ kind: 'unmapped' }),
    ])
  })
})
