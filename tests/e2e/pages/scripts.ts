import type { Page } from 'playwright-core'

export const scriptsPage = (page: Page) => ({
  nav: page.getByTestId('nav-scripts'),
  items: page.getByTestId('script-item'),
  item: (name: string) => page.locator(`[data-testid="script-item"][data-name="${name}"]`),
  create: page.getByTestId('script-new'),
  name: page.getByTestId('script-name'),
  editor: page.getByTestId('script-editor'),
  save: page.getByTestId('script-save'),
  problems: page.getByTestId('script-problem'),
  problemAt: (line: number) => page.locator(`[data-testid="script-problem"][data-line="${line}"]`),
  noProblems: page.getByTestId('script-no-problems'),
  targetKind: page.getByTestId('run-target-kind'),
  serials: page.getByTestId('run-serials'),
  run: page.getByTestId('script-run'),
  /** Next to Run while the last run started there is active: stops it (its whole batch). */
  stop: page.getByTestId('script-stop'),
  /** The Running tab's one row per run on several devices (data-state active or ended). */
  batchRows: page.getByTestId('batch-row'),
  batchIn: (state: 'active' | 'ended') => page.locator(`[data-testid="batch-row"][data-state="${state}"]`),
  batchCount: (label: string) => page.locator(`[data-testid="batch-counts"] [data-count="${label}"]`),
  batchStop: page.getByTestId('batch-stop'),
  output: page.getByTestId('run-output'),
  outputLines: page.getByTestId('output-line'),
  tab: (id: 'output' | 'runs' | 'triggers' | 'envs' | 'listeners' | 'reference') => page.getByTestId(`run-tab-${id}`),
  /** Next to the run target: the environment the script reads as env ("" = the default one). */
  runEnv: page.getByTestId('run-env'),
  /** The Environments tab: the list, the open one's name, its variable rows and Save. */
  envItem: (name: string) => page.locator(`[data-testid="env-item"][data-name="${name}"]`),
  envNew: page.getByTestId('env-new'),
  envName: page.getByTestId('env-name'),
  envVarNames: page.getByTestId('env-var-name'),
  envVarValues: page.getByTestId('env-var-value'),
  envVarSecrets: page.getByTestId('env-var-secret'),
  envVarAdd: page.getByTestId('env-var-add'),
  envSave: page.getByTestId('env-save'),
  envNote: page.getByTestId('env-note'),
  reference: page.getByTestId('api-reference'),
  referenceEntry: (name: string) => page.getByTestId(`api-${name}`),
  completions: page.locator('.cm-tooltip-autocomplete li'),
  completionInfo: page.locator('.cm-completionInfo'),
  runRows: page.getByTestId('run-row'),
  /** Above the console: the chosen run's state (data-status) and its error. */
  summary: page.getByTestId('run-summary'),
  summaryIn: (status: string) => page.locator(`[data-testid="run-summary"][data-status="${status}"]`),
  summaryError: page.getByTestId('run-summary-error'),
  filter: page.getByTestId('script-filter'),
  /** Run refused because the draft does not compile; its line is a link into the editor. */
  runRefused: page.getByTestId('run-refused'),
  runRefusedLine: page.getByTestId('run-refused-line'),
  /** The editor line the cursor is on. */
  cursorLine: page.locator('[data-testid="script-editor"] .cm-activeLine'),
  /** Why the last Run could not start, at the run bar. */
  runError: page.getByTestId('run-error'),
  runRowWithStatus: (status: string) => page.locator(`[data-testid="run-row"][data-status="${status}"]`),

  /** Replaces the editor's text as if typed (CodeMirror's own input handling, no auto-closing). */
  async setSource(source: string) {
    await page.locator('[data-testid="script-editor"] .cm-content').click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.press('Delete')
    await page.keyboard.insertText(source)
  },

  /** 1-based numbers of the editor lines that carry an error marker. */
  markedLines: () =>
    page.evaluate(`[...document.querySelectorAll('[data-testid="script-editor"] .cm-line')]
      .map((line, i) => (line.querySelector('.cm-lintRange-error') ? i + 1 : 0))
      .filter(Boolean)`) as Promise<number[]>,
})
