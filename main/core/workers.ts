import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker, type ResourceLimits } from 'node:worker_threads'

/** Where a worker thread's code is: its bundle in out/main, or its TypeScript entry. */
export type WorkerSource =
  /** A JavaScript file: out/main/<bundle>.js, or the sources bundled on the fly. */
  | { kind: 'built'; file: string }
  /** The TypeScript entry, run through tsx registered inside the worker. */
  | { kind: 'source'; entry: string; tsxApi: string }

/**
 * Where a worker's code is (the Lua runtime's, the ACS's parser). Built (the app, the CLI):
 * out/main/<bundle> next to the bundle that calls this (or one folder up, from a shared chunk). From sources (vitest, tsx,
 * the benchmarks): the TypeScript entry, bundled once per change with esbuild (which tsx brings)
 * into node_modules/.cache; registering tsx in every worker costs ~0.5 s of CPU per run, which
 * 50 runs at once on two cores cannot afford. Without esbuild it falls back to tsx.
 */
export function locateWorker(
  /** The caller's import.meta.url. */
  moduleUrl: string,
  /** The worker's TypeScript entry relative to `moduleUrl`'s folder, and its bundle's name. */
  worker: { entry: string; bundle: string },
): WorkerSource {
  const here = fileURLToPath(moduleUrl)
  if (/\.[cm]?ts$/.test(here)) {
    const entry = join(dirname(here), worker.entry)
    const tsxPackage = createRequire(moduleUrl).resolve('tsx/package.json')
    const bundled = bundleSources(entry, tsxPackage, worker.bundle.replace(/\.js$/, ''))
    if (bundled) return { kind: 'built', file: bundled }
    return { kind: 'source', entry, tsxApi: join(dirname(tsxPackage), 'dist', 'esm', 'api', 'index.mjs') }
  }
  for (const dir of [dirname(here), dirname(dirname(here))]) {
    const file = join(dir, worker.bundle)
    if (existsSync(file)) return { kind: 'built', file }
  }
  throw new Error(`the worker bundle ${worker.bundle} is missing next to ${here}; rebuild with \`npm run build\``)
}

export function spawnWorker(source: WorkerSource, resourceLimits: ResourceLimits, workerData?: unknown): Worker {
  // execArgv: [] — a worker inherits the parent's flags by default, and a parent run through tsx
  // (vitest, npm run bench) would make every worker load tsx for nothing.
  if (source.kind === 'built') return new Worker(source.file, { resourceLimits, execArgv: [], workerData })
  // `--import tsx` in a worker's execArgv is not honoured by Node 20, so the worker registers tsx
  // itself, then imports the TypeScript entry.
  const boot =
    `import { register } from ${JSON.stringify(pathToFileURL(source.tsxApi).href)};\n` +
    `register();\n` +
    `await import(${JSON.stringify(pathToFileURL(source.entry).href)});\n`
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { resourceLimits, workerData })
}

interface EsbuildLike {
  buildSync(options: Record<string, unknown>): { outputFiles?: { text: string }[] }
}

/** Bundles the worker's sources (packages stay imports) into the project's node_modules/.cache. */
function bundleSources(entry: string, tsxPackage: string, name: string): string | undefined {
  let esbuild: EsbuildLike
  try {
    esbuild = createRequire(tsxPackage)('esbuild') as EsbuildLike
  } catch {
    return undefined
  }
  const result = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles?.[0]?.text
  if (!code) return undefined
  // Packages resolve from the project's node_modules (where tsx is), so the bundle lives inside it.
  const dir = join(dirname(tsxPackage), '..', '.cache', 'bench-acs')
  const file = join(dir, `${name}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`)
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true })
    const temp = `${file}.${process.pid}.tmp`
    writeFileSync(temp, code)
    renameSync(temp, file)
  }
  return file
}
