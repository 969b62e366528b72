import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, posix, relative, resolve } from 'node:path'
import ts from 'typescript'

/**
 * The layer map: every source folder (or root file) is one module, and a module may import only
 * the modules listed for it (and itself). Lower layers never know the higher ones, as in VS Code's
 * `common` / `node` / `browser` layer check. docs/architecture.md shows the same table.
 *
 * Order matters: the first pattern that matches a file's path names its module.
 */
export const LAYERS: readonly { module: string; match: RegExp; may: readonly string[] }[] = [
  // Pure code the renderer and the core share: no Node, no DOM, no Electron.
  { module: 'common', match: /^common\//, may: [] },
  {
    module: 'core/base',
    match: /^main\/core\/(ids|errors|printable|resources|picked-files|workers)\.ts$/,
    may: ['common'],
  },
  { module: 'core/cwmp', match: /^main\/core\/cwmp\//, may: ['core/base', 'common'] },
  { module: 'core/store', match: /^main\/core\/store\//, may: ['core/base', 'common'] },
  { module: 'core/config', match: /^main\/core\/config\.ts$/, may: ['core/cwmp', 'core/base', 'common'] },
  { module: 'core/events', match: /^main\/core\/events\.ts$/, may: ['core/store', 'core/base', 'common'] },
  {
    module: 'core/journal',
    match: /^main\/core\/journal\.ts$/,
    may: ['core/events', 'core/store', 'core/base', 'common'],
  },
  {
    module: 'core/settings',
    match: /^main\/core\/settings\.ts$/,
    may: ['core/config', 'core/store', 'core/base', 'common'],
  },
  // A simulated CPE is a client of CWMP, not a part of the ACS: it shares only the protocol.
  {
    module: 'core/sim',
    match: /^main\/core\/sim\//,
    may: ['core/cwmp', 'core/events', 'core/base', 'common'],
  },
  {
    module: 'core/acs',
    match: /^main\/core\/acs\//,
    may: ['core/cwmp', 'core/store', 'core/config', 'core/events', 'core/journal', 'core/base', 'common'],
  },
  // The file library and its server on the ACS's port; the ACS's transfers in flight.
  {
    module: 'core/files',
    match: /^main\/core\/files\//,
    may: ['core/acs', 'core/cwmp', 'core/store', 'core/config', 'core/events', 'core/journal', 'core/base', 'common'],
  },
  // The Lua runtime: sandbox, workers, limits, host functions (which drive the ACS).
  {
    module: 'core/lua',
    match: /^main\/core\/lua\//,
    may: [
      'core/files',
      'core/acs',
      'core/cwmp',
      'core/store',
      'core/config',
      'core/events',
      'core/journal',
      'core/base',
      'common',
    ],
  },
  // The script library, runs and triggers, built on the runtime.
  {
    module: 'core/scripts',
    match: /^main\/core\/scripts\//,
    may: [
      'core/lua',
      'core/files',
      'core/acs',
      'core/cwmp',
      'core/store',
      'core/config',
      'core/events',
      'core/journal',
      'core/settings',
      'core/base',
      'common',
    ],
  },
  // Provisioning profiles: steps over the ACS, the file library and library scripts.
  {
    module: 'core/profiles',
    match: /^main\/core\/profiles\//,
    may: [
      'core/scripts',
      'core/lua',
      'core/files',
      'core/acs',
      'core/cwmp',
      'core/store',
      'core/config',
      'core/events',
      'core/journal',
      'core/base',
      'common',
    ],
  },
  // The one-click CPE check: RPCs over the ACS, a file from the file library, evidence from the log.
  {
    module: 'core/check',
    match: /^main\/core\/check\//,
    may: ['core/files', 'core/acs', 'core/cwmp', 'core/store', 'core/events', 'core/journal', 'core/base', 'common'],
  },
  {
    module: 'core/sync',
    match: /^main\/core\/sync\//,
    may: ['core/store', 'core/config', 'core/events', 'core/journal', 'core/settings', 'core/base', 'common'],
  },
  // Retention: prunes the store by age and size; sync tells it which outbox rows are sent.
  {
    module: 'core/retention',
    match: /^main\/core\/retention\//,
    may: ['core/sync', 'core/store', 'core/config', 'core/events', 'core/journal', 'core/base', 'common'],
  },
  { module: 'core/bench', match: /^main\/core\/(bench|database)\.ts$/, may: ['core/*', 'common'] },
  // A profile's dry run builds a bench of its own and a simulated CPE: a composition root too.
  { module: 'core/dry-run', match: /^main\/core\/dry-run\//, may: ['core/*', 'common'] },
  // The API contract: types only from the core (erased at build), so the renderer gets no core code.
  { module: 'preload', match: /^preload\//, may: ['core/*:types', 'common'] },
  { module: 'renderer', match: /^renderer\//, may: ['preload', 'common'] },
  { module: 'main/api', match: /^main\/api\//, may: ['core/*', 'preload', 'common'] },
  { module: 'main/ui-server', match: /^main\/ui-server\//, may: ['main/api', 'core/*', 'preload', 'common'] },
  { module: 'main/electron', match: /^main\/electron\//, may: ['main/api', 'core/*', 'preload', 'common'] },
  {
    module: 'main/cli',
    match: /^main\/cli(\/|\.ts$)/,
    may: ['main/ui-server', 'main/api', 'core/*', 'preload', 'common'],
  },
  {
    module: 'main/index',
    match: /^main\/index\.ts$/,
    may: ['main/electron', 'main/ui-server', 'main/api', 'core/*', 'preload', 'common'],
  },
  // Tooling (this check, docs generators, screenshots): the core and the test support that drives
  // the real app, never the UI's code.
  { module: 'scripts', match: /^scripts\//, may: ['tests', 'core/*', 'common'] },
  // Tests and benchmarks may import anything; no other layer lists them, so nothing imports them.
  { module: 'tests', match: /^tests\//, may: ['*'] },
  { module: 'bench', match: /^bench\//, may: ['*'] },
]

export interface ImportEdge {
  from: string
  to: string
  typeOnly: boolean
}

export interface LayerProblem {
  kind: 'upward' | 'cycle' | 'unmapped'
  message: string
}

const ROOTS = ['common', 'main', 'preload', 'renderer', 'scripts', 'tests', 'bench']

/** Source files of the layered folders, as repo-relative POSIX paths. */
export function sourceFiles(root: string): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      return
    }
    for (const name of names) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(relative(root, path).split('\\').join('/'))
    }
  }
  for (const r of ROOTS) walk(join(root, r))
  return out.sort()
}

export function moduleOf(file: string): string | undefined {
  return LAYERS.find((l) => l.match.test(file))?.module
}

/** Relative imports and re-exports of one file (static, dynamic and `import type`). */
export function importsOf(file: string, source: string, known: ReadonlySet<string>): ImportEdge[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false)
  const edges: ImportEdge[] = []
  const add = (spec: string, typeOnly: boolean) => {
    if (!spec.startsWith('.')) return
    const target = resolveSpecifier(file, spec, known)
    if (target) edges.push({ from: file, to: target, typeOnly })
  }
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)))
      add(node.moduleSpecifier.text, typeOnly)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly)
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false)
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, true)
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return edges
}

function resolveSpecifier(file: string, spec: string, known: ReadonlySet<string>): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(file), spec))
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (known.has(candidate)) return candidate
  }
  return undefined
}

function allowed(from: string, to: string, typeOnly: boolean): boolean {
  if (from === to) return true
  const rule = LAYERS.find((l) => l.module === from)
  if (!rule) return false
  return rule.may.some((m) => {
    const [pattern, only] = m.split(':')
    if (only === 'types' && !typeOnly) return false
    return pattern === '*' || pattern === to || (pattern!.endsWith('/*') && to.startsWith(pattern!.slice(0, -1)))
  })
}

/**
 * Checks the layer map and looks for import cycles between files. `extra` adds or replaces files
 * (path → source), so a test can show that a deliberate upward import or cycle is caught.
 */
export function checkLayers(root: string, extra: Record<string, string> = {}): LayerProblem[] {
  const files = new Set([...sourceFiles(root), ...Object.keys(extra)])
  const sources = new Map<string, string>()
  for (const f of files) sources.set(f, extra[f] ?? readFileSync(resolve(root, f), 'utf8'))
  const problems: LayerProblem[] = []
  const graph = new Map<string, string[]>()
  for (const [file, source] of sources) {
    const from = moduleOf(file)
    if (!from && !/\.test\.tsx?$/.test(file)) {
      problems.push({ kind: 'unmapped', message: `${file} is in no layer: add it to LAYERS in scripts/layers.ts` })
    }
    const edges = importsOf(file, source, files)
    graph.set(
      file,
      edges.map((e) => e.to),
    )
    if (!from) continue
    for (const e of edges) {
      const to = moduleOf(e.to)
      if (!to || !allowed(from, to, e.typeOnly)) {
        problems.push({
          kind: 'upward',
          message: `${file} imports ${e.to}${e.typeOnly ? ' (types)' : ''}: ${from} may not import ${to ?? 'an unmapped file'}`,
        })
      }
    }
  }
  for (const cycle of cycles(graph)) {
    problems.push({ kind: 'cycle', message: `import cycle: ${[...cycle, cycle[0]].join(' -> ')}` })
  }
  return problems
}

/** Strongly connected components with more than one file (Tarjan), each as one cycle path. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const out: string[][] = []
  const strong = (v: string) => {
    indices.set(v, index)
    low.set(v, index)
    index++
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        strong(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!))
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1) out.push(component.reverse())
    }
  }
  for (const v of graph.keys()) if (!indices.has(v)) strong(v)
  return out
}

export function repoRoot(): string {
  return resolve(dirname(new URL(import.meta.url).pathname), '..')
}
