import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { createBench, type Bench } from '../../main/core/bench'

/**
 * A real bench on a real SQLite file in a temporary folder, without example scripts and without
 * the ACS listening (what profile import and validation need), closed and removed after each test.
 * `open()` makes one, `current()` is the one the test opened, if any.
 */
export function benchPerTest(prefix = 'bench-profiles-'): { open(): Promise<Bench>; current(): Bench | undefined } {
  let bench: Bench | undefined
  let dir: string | undefined
  afterEach(async () => {
    await bench?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
    bench = dir = undefined
  })
  return {
    async open() {
      dir = mkdtempSync(join(tmpdir(), prefix))
      bench = await createBench({ dataDir: dir }, { log: () => {}, scripts: { seedExamples: false } })
      return bench
    },
    current: () => bench,
  }
}
