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
  /** A row's checkbox. */
  select: (serial: string) =>
    page.locator(`[data-testid="device-row"][data-serial="${serial}"] [data-testid="device-select"]`),
  selectVisible: page.getByTestId('select-visible'),
  selectAllMatching: page.getByTestId('select-all-matching'),
  selectionCount: page.getByTestId('selection-count'),
  clearSelection: page.getByTestId('selection-clear'),
  tagFilter: page.getByTestId('device-tag-filter'),
  bulkAction: page.getByTestId('bulk-action'),
  bulkTag: page.getByTestId('bulk-tag'),
  bulkScript: page.getByTestId('bulk-script'),
  bulkGo: page.getByTestId('bulk-go'),
  bulkNote: page.getByTestId('bulk-note'),
  batchIn: (state: 'active' | 'ended') => page.locator(`[data-testid="batch-row"][data-state="${state}"]`),
  batchCount: (label: string) => page.locator(`[data-testid="batch-counts"] [data-count="${label}"]`),
  batchStop: page.getByTestId('batch-stop'),
  exportCsv: page.getByTestId('devices-export'),
  columnChooser: page.getByTestId('column-chooser'),
  column: (id: string) => page.getByTestId(`column-${id}`),
  savedFilters: page.getByTestId('saved-filters'),
  saveFilter: page.getByTestId('saved-filter-new'),
  saveFilterName: page.getByTestId('saved-filter-name'),
  saveFilterSubmit: page.getByTestId('saved-filter-save'),
})

export const devicePage = (page: Page) => ({
  serial: page.getByTestId('device-serial'),
  aliasEdit: page.getByTestId('device-alias-edit'),
  aliasInput: page.getByTestId('device-alias-input'),
  aliasSave: page.getByTestId('device-alias-save'),
  aliasText: page.getByTestId('device-alias-text'),
  identity: page.getByTestId('device-identity'),
  tab: (id: 'parameters' | 'rpcs' | 'events' | 'capabilities' | 'check') => page.getByTestId(`device-tab-${id}`),
  refreshAll: page.getByTestId('refresh-all'),
  /** What the last whole-tree refresh said. */
  treeNote: page.getByTestId('tree-note'),
  /** Under a refused connection request: links to where its credentials are set. */
  credentialsFix: page.getByTestId('credentials-fix'),
  parameterSearch: page.getByTestId('parameter-search'),
  parameter: (name: string) => page.locator(`[data-testid="parameter-row"][data-name="${name}"]`),
  parameterRows: page.getByTestId('parameter-row'),
  /** No parameter matched the search (it says how to read the whole tree). */
  searchEmpty: page.getByTestId('parameters-search-empty'),
  actionResult: page.getByTestId('action-result'),
  /** The action's note once it is over: "done" or "failed" (an accepted reboot first "waiting"). */
  actionResultIn: (state: 'waiting' | 'done' | 'failed') =>
    page.locator(`[data-testid="action-result"][data-state="${state}"]`),
  reboot: page.getByTestId('action-reboot'),
  download: page.getByTestId('action-download'),
  downloadUrl: page.getByTestId('download-url'),
  downloadSubmit: page.getByTestId('download-submit'),
  rpcRows: page.getByTestId('rpc-row'),
  /** RPC rows of one method in one state ("queued", "done", "error", …). */
  rpcRow: (method: string, state?: string) =>
    page.locator(`[data-testid="rpc-row"][data-method="${method}"]${state ? `[data-state="${state}"]` : ''}`),
  /** What the last Cancel or Retry on the RPCs tab said. */
  rpcActionResult: page.getByTestId('rpc-action-result'),
  /** The banner of a device marked unstable, and the request it is on. */
  unstableMark: page.getByTestId('unstable-mark'),
  unstableRequest: page.getByTestId('unstable-request'),
  capabilities: page.getByTestId('device-capabilities'),
  capability: (id: string) => page.getByTestId(`cap-${id}`),
})

/** Inside one parameter row. */
export const parameterRow = (row: ReturnType<ReturnType<typeof devicePage>['parameter']>) => ({
  value: row.getByTestId('parameter-value'),
  edit: row.getByTestId('parameter-edit'),
  input: row.getByTestId('parameter-input'),
  apply: row.getByTestId('parameter-apply'),
  invalid: row.getByTestId('parameter-invalid'),
  /** What the device answered when it refused the value. */
  refused: row.getByTestId('parameter-refused'),
  note: row.getByTestId('parameter-note'),
  toggle: row.getByTestId('parameter-toggle'),
})
