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
})
