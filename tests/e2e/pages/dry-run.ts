import type { Page } from 'playwright-core'

/** A profile's "Dry run…" panel on the Profiles page (renderer/components/ProfileDryRun.tsx). */
export const dryRunPanel = (page: Page) => {
  const panel = page.getByTestId('dry-run')
  return {
    open: (profile: string) =>
      page.locator(`[data-testid="profile-row"][data-name="${profile}"]`).getByTestId('profile-dry-run').click(),
    panel,
    device: panel.getByTestId('dry-run-device'),
    byDevice: panel.getByTestId('dry-run-target-device'),
    byMatch: panel.getByTestId('dry-run-target-match'),
    productClass: panel.getByTestId('dry-run-product-class'),
    start: panel.getByTestId('dry-run-start'),
    stop: panel.getByTestId('dry-run-stop'),
    error: panel.getByTestId('error'),
    summaryIn: (state: 'done' | 'failed') => panel.locator(`[data-testid="dry-run-summary"][data-state="${state}"]`),
    steps: panel.getByTestId('dry-run-step'),
  }
}
