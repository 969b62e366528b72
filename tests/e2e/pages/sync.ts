import type { Page } from 'playwright-core'

type Target = 'nats' | 'mongo'

export const syncPage = (page: Page) => ({
  url: (target: Target) => page.getByTestId(`sync-${target}-url`),
  /** The "Send to …" box: ticked only when the target would send. */
  enabled: (target: Target) => page.getByTestId(`sync-${target}-enabled`),
  /** The line under it: the target's real state (data-state) and what to do next. */
  state: (target: Target) => page.getByTestId(`sync-settings-state-${target}`),
  stateIn: (target: Target, state: string) =>
    page.locator(`[data-testid="sync-settings-state-${target}"][data-state="${state}"]`),
  card: (target: Target) => page.getByTestId(`sync-target-${target}`),
  save: page.getByTestId('sync-save'),
  saved: page.getByTestId('sync-save-result'),
})
