import type { Page } from 'playwright-core'
import { expect } from 'vitest'

interface RowQuery {
  querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null }>
}

export const eventsPage = (page: Page) => ({
  nav: page.getByTestId('nav-events'),
  rows: page.getByTestId('event-row'),
  rowsOfKind: (kind: string) => page.locator(`[data-testid="event-row"][data-kind="${kind}"]`),
  kindChip: (kind: string) => page.getByTestId(`events-kind-${kind}`),
  serialFilter: page.getByTestId('events-serial-filter'),
  search: page.getByTestId('events-search'),
  severity: page.getByTestId('events-severity'),
  count: page.getByTestId('events-count'),
  pause: page.getByTestId('events-pause'),
  resume: page.getByTestId('events-resume'),
  exportCsv: page.getByTestId('events-export-csv'),
  exportJson: page.getByTestId('events-export-json'),
  exportNote: page.getByTestId('events-export-note'),
  detail: page.getByTestId('event-detail'),
  table: page.getByTestId('events-table'),
  selectedRow: page.locator('[data-testid="event-row"][aria-selected="true"]'),
  soapIn: page.getByTestId('event-soap-in'),
  soapOut: page.getByTestId('event-soap-out'),
  empty: page.getByTestId('events-empty'),
  /** A session's header row (it has a toggle), by its serial. */
  groupOf: (serial: string) => page.locator('[data-testid="event-row"][aria-expanded]').filter({ hasText: serial }),
  groupToggle: page.getByTestId('event-group-toggle'),
  messages: page.getByTestId('event-message'),
  message: (method: string) => page.locator(`[data-testid="event-message"][data-method="${method}"]`),
  members: page.getByTestId('event-member'),
  messageSoap: page.getByTestId('event-message-soap'),
  messageSoapCopy: page.getByTestId('event-message-soap-copy'),
  soapInCopy: page.getByTestId('event-soap-in-copy'),
  source: page.getByTestId('event-source'),
  /** Resolves once the list shows rows, all of this kind. */
  // Polled from the test (a string predicate polled in the page would be eval, which the CSP refuses).
  onlyKind: (kind: string) =>
    expect
      .poll(() =>
        page.evaluate((k) => {
          // Runs in the page; the tests are typechecked without the DOM library.
          const doc = (globalThis as unknown as { document: RowQuery }).document
          const rows = [...doc.querySelectorAll('[data-testid="event-row"]')]
          return rows.length > 0 && rows.every((r) => r.getAttribute('data-kind') === k)
        }, kind),
      )
      .toBe(true),
})
