#!/usr/bin/env node
// The `bench-acs` command: runs the built command line (out/main/cli.js).
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url))
if (!existsSync(cli)) {
  console.error('bench-acs is not built yet. Run `npm run build` in the project folder first.')
  process.exit(1)
}
await import(pathToFileURL(cli).href)
