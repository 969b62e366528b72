import type { Page } from 'playwright-core'

/** The Device page's parameter tree as a keyboard and screen reader user meets it, and its danger zone. */
export const parameterTree = (page: Page) => ({
  tree: page.getByRole('tree'),
  /** The row that has the browser's focus (the arrow keys' position). */
  focused: page.locator('[data-testid="parameter-row"][role="treeitem"]:focus'),
  item: (name: string) => page.locator(`[role="treeitem"][data-name="${name}"]`),
  /** The switch of an xsd:boolean in a row. */
  switchOf: (name: string) => page.locator(`[data-testid="parameter-row"][data-name="${name}"] [role="switch"]`),
  valueOf: (name: string) =>
    page.locator(`[data-testid="parameter-row"][data-name="${name}"] [data-testid="parameter-value"]`),
  /** "just now", "3 min ago": when the row's value was last read from the device. */
  readOf: (name: string) =>
    page.locator(`[data-testid="parameter-row"][data-name="${name}"] [data-testid="parameter-read"]`),
  refreshOf: (name: string) =>
    page.locator(`[data-testid="parameter-row"][data-name="${name}"] [data-testid="parameter-refresh"]`),
  noteOf: (name: string) =>
    page.locator(`[data-testid="parameter-row"][data-name="${name}"] [data-testid="parameter-note"]`),
  dangerZone: page.getByTestId('danger-zone'),
  remove: page.getByTestId('action-remove'),
  factoryReset: page.getByTestId('action-factory-reset'),
})
