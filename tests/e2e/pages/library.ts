import type { Page } from 'playwright-core'

/** Selectors of the Files and Profiles pages, and the device page's provisioning tab. */
export const filesPage = (page: Page) => ({
  nav: page.getByTestId('nav-files'),
  /** The hidden file input behind "Add file…". */
  addInput: page.getByTestId('file-add-input'),
  addResult: page.getByTestId('file-add-result'),
  row: (name: string) => page.locator(`[data-testid="file-row"][data-name="${name}"]`),
  fetchRow: (name: string, outcome: 'complete' | 'cut-off') =>
    page.locator(`[data-testid="fetch-row"][data-name="${name}"][data-outcome="${outcome}"]`),
})

export const profilesPage = (page: Page) => ({
  nav: page.getByTestId('nav-profiles'),
  empty: page.getByTestId('profiles-empty'),
  create: page.getByTestId('profile-new'),
  json: page.getByTestId('profile-json'),
  save: page.getByTestId('profile-save'),
  error: page.getByTestId('profile-error'),
  note: page.getByTestId('profile-note'),
  row: (name: string) => page.locator(`[data-testid="profile-row"][data-name="${name}"]`),
})

export const provisioningTab = (page: Page) => ({
  tab: page.getByTestId('device-tab-provisioning'),
  runs: page.getByTestId('provisioning-run-card'),
  runIn: (status: 'running' | 'done' | 'failed') =>
    page.locator(`[data-testid="provisioning-run-card"][data-status="${status}"]`),
  again: page.getByTestId('provisioning-again'),
})
