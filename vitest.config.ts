import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'main/**/*.test.ts'],
    // tests/e2e drive the built UI (out/) in Chromium: `npm test` builds before it runs them.
    exclude: ['node_modules/**', 'out/**'],
    // Integration tests run real servers on loopback; give them room on a 2-core CI machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // gc() for the soak tests (tests/lua/soak.test.ts): they compare memory after a collection,
    // in the test process and, through Lua's collectgarbage, in script workers.
    execArgv: ['--expose-gc'],
  },
})
