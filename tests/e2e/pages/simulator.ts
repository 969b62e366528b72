import type { Page } from 'playwright-core'

export const simulatorPage = (page: Page) => ({
  nav: page.getByTestId('nav-simulator'),
  count: page.getByTestId('sim-count'),
  prefix: page.getByTestId('sim-prefix'),
  model: page.getByTestId('sim-model'),
  start: page.getByTestId('sim-start'),
  stop: page.getByTestId('sim-stop'),
  progress: page.getByTestId('sim-progress'),
  idle: page.getByTestId('sim-idle'),
  /** Fault injection: one CPE at a time. */
  faultSerial: page.getByTestId('sim-fault-serial'),
  faultOffline: page.getByTestId('sim-fault-offline'),
  faultMethod: page.getByTestId('sim-fault-method'),
  faultCode: page.getByTestId('sim-fault-code'),
  faultDelay: page.getByTestId('sim-fault-delay'),
  faultApply: page.getByTestId('sim-fault-apply'),
  faultedRow: (serial: string) => page.locator(`[data-testid="sim-faulted-row"][data-serial="${serial}"]`),
  noFaults: page.getByTestId('sim-faults-none'),
})

/** The running fleet's card, shown instead of the start form: its settings as started, and Stop. */
export const simulatorFleet = (page: Page) => ({
  form: page.getByTestId('sim-form'),
  card: page.getByTestId('sim-status'),
  count: page.getByTestId('sim-running-count'),
  model: page.getByTestId('sim-running-model'),
  serials: page.getByTestId('sim-running-serials'),
  interval: page.getByTestId('sim-running-interval'),
  intervalInput: page.getByTestId('sim-interval'),
})
