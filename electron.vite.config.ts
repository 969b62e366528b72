import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// Three bundles: the Node side (Electron entry, command line, Lua worker — all share main/core),
// the sandboxed preload (must be a single CommonJS file), and the React renderer that Electron
// loads from disk and the headless server serves over HTTP.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      sourcemap: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'main/index.ts'),
          cli: resolve(__dirname, 'main/cli.ts'),
          // Each script run's worker thread (main/core/lua/worker-file.ts looks for it by this name).
          'lua-worker': resolve(__dirname, 'main/core/lua/worker/entry.ts'),
          // Parses large CWMP messages off the main thread (main/core/acs/parse.ts).
          'cwmp-parse-worker': resolve(__dirname, 'main/core/acs/parse-worker.ts'),
          // Moves the WAL into the database file off the main thread (main/core/store/checkpoints.ts).
          'sqlite-checkpoint-worker': resolve(__dirname, 'main/core/store/checkpoint-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      emptyOutDir: true,
      // electron-vite leaves bundles unminified; the renderer is also served over the network by
      // the headless mode, where 1.6 MB of unminified code is a slow first load.
      minify: true,
      sourcemap: true,
      // One ~730 kB bundle (React + CodeMirror) loaded from disk or localhost: splitting it would
      // not make the first paint faster, so the default 500 kB warning is only noise here.
      chunkSizeWarningLimit: 1024,
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
})
