// Browser code under test: typechecked with the DOM library by tsconfig.dom-tests.json.
import { describe, expect, it } from 'vitest'
import { href, parseRoute } from '../../renderer/lib/router'

describe('renderer route parser', () => {
  it('reads the pages and a device serial with escapes', () => {
    expect(parseRoute('')).toEqual({ page: 'devices' })
    expect(parseRoute(href('devices', 'SN/1 ä'))).toEqual({ page: 'device', serial: 'SN/1 ä', tab: 'parameters' })
    expect(parseRoute('#/scripts/abc')).toEqual({ page: 'scripts', id: 'abc' })
  })

  it('turns an address with a malformed %-escape into a "not found" route instead of throwing', () => {
    for (const hash of ['#/devices/%E0%A4%A', '#/devices/%', '#/scripts/%zz', '#/%E0%A4%A'])
      expect(parseRoute(hash), hash).toEqual({ page: 'not-found', address: hash })
  })
})
