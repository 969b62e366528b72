import type { Page } from 'playwright-core'

/** Selectors of the Devices list and the Device page, in one place. */
export const devicesPage = (page: Page) => ({
  nav: page.getByTestId('nav-devices'),
  empty: page.getByTestId('devices-empty'),
  search: page.getByTestId('device-search'),
  statusFilter: page.getByTestId('device-status-filter'),
  count: page.getByTestId('device-count'),
  rows: page.getByTestId('device-row'),
  row: (serial: string) => page.locator(`[data-testid="device-row"][data-serial="${serial}"]`),
})

export const devicePage = (page: Page) => ({
  serial: page.getByTestId('device-serial'),
  identity: page.getByTestId('device-identity'),
  tab: (id: 'parameters' | 'rpcs' | 'events') => page.getByTestId(`device-tab-${id}`),
  refreshAll: page.getByTestId('refresh-all'),
  /** What the last whole-tree refresh said. */
  treeNote: page.getByTestId('tree-note'),
  parameterSearch: page.getByTestId('parameter-search'),
  parameter: (name: string) => page.locator(`[data-testid="parameter-row"][data-name="${name}"]`),
  parameterRows: page.getByTestId('parameter-row'),
  actionResult: page.getByTestId('action-result'),
  reboot: page.getByTestId('action-reboot'),
  rpcRows: page.getByTestId('rpc-row'),
})

/** Inside one parameter row. */
export const parameterRow = (row: ReturnType<ReturnType<typeof devicePage>['parameter']>) => ({
  value: row.getByTestId('parameter-value'),
  edit: row.getByTestId('parameter-edit'),
  input: row.getByTestId('parameter-input'),
  apply: row.getByTestId('parameter-apply'),
  invalid: row.getByTestId('parameter-invalid'),
  note: row.getByTestId('parameter-note'),
  toggle: row.getByTestId('parameter-toggle'),
})
