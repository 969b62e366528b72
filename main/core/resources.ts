import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A file every resources/ folder has, to tell it from another folder of that name. */
const MARKER = join('models', 'tr098-huawei-bm632w.csv')

/**
 * The project's resources/ folder. Found by walking up from this module (works from the sources
 * under vitest/tsx and from the bundle in out/main/), then from Electron's resourcesPath when
 * packaged, then from the working directory; BENCH_ACS_RESOURCES overrides all of them.
 */
export function resourcesDir(): string {
  const candidates: string[] = []
  if (process.env.BENCH_ACS_RESOURCES) candidates.push(process.env.BENCH_ACS_RESOURCES)
  const starts: string[] = []
  try {
    starts.push(dirname(fileURLToPath(import.meta.url)))
  } catch {
    // Not an ES module (e.g. bundled as CommonJS): fall through to the other starting points.
  }
  const packaged = (process as { resourcesPath?: string }).resourcesPath
  if (packaged) candidates.push(join(packaged, 'resources'), packaged)
  starts.push(process.cwd())
  for (const start of starts) {
    let dir = start
    for (let i = 0; i < 8; i++) {
      candidates.push(join(dir, 'resources'))
      const parent = dirname(dir)
      if (parent === dir) break
      dir = parent
    }
  }
  const found = candidates.find((c) => existsSync(join(c, MARKER)))
  if (!found)
    throw new Error(
      `cannot find the resources/models folder (looked in ${candidates.slice(0, 4).join(', ')}, …); set BENCH_ACS_RESOURCES to the project's resources folder`,
    )
  return found
}
