import type { Page } from 'playwright-core'

/** What every page shares: the banners above the content and the sidebar. */
export const appShell = (page: Page) => ({
  /** The connection to the server is lost and being retried. */
  reconnecting: page.getByTestId('reconnecting'),
  /** The ACS listener is not running (CPEs cannot reach it). */
  acsDown: page.getByTestId('acs-down'),
  footer: page.getByTestId('acs-footer'),
})

export const settingsPage = (page: Page) => ({
  nav: page.getByTestId('nav-settings'),
  port: page.getByTestId('settings-port'),
  save: page.getByTestId('settings-save'),
  revert: page.getByTestId('settings-revert'),
  dirty: page.getByTestId('settings-dirty'),
  notes: page.getByTestId('settings-note'),
  warnings: page.getByTestId('settings-warning'),
  keepSecrets: page.getByTestId('settings-keep-secrets'),
  keepSecretsWarning: page.getByTestId('settings-keep-secrets-warning'),
})
