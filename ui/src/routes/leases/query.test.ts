import { describe, expect, it } from 'vitest'
import { NO_FILTER, type LeaseCounts } from '../../api/leases'
import {
  currentAfter,
  expiringChoices,
  firstPage,
  hashOf,
  nextPage,
  prefixSuggestion,
  previousPage,
  queryFromHash,
  revokeFolder,
  rowRange,
  sameFilter,
} from './query'

describe('paging with a cursor stack', () => {
  it('pushes the next cursor going forward and pops it going back', () => {
    const first = firstPage({ ...NO_FILTER, role: 'ro' }, 100)
    expect(currentAfter(first)).toBeUndefined()
    expect(rowRange(first, 100)).toEqual({ from: 1, to: 100 })

    const second = nextPage(first, 'database/creds/ro/b')
    const third = nextPage(second, 'database/creds/ro/c')
    expect(third.cursors).toEqual(['database/creds/ro/b', 'database/creds/ro/c'])
    expect(currentAfter(third)).toBe('database/creds/ro/c')
    expect(rowRange(third, 42)).toEqual({ from: 201, to: 242 })

    const back = previousPage(third)
    expect(currentAfter(back)).toBe('database/creds/ro/b')
    expect(rowRange(back, 100)).toEqual({ from: 101, to: 200 })
    expect(currentAfter(previousPage(back))).toBeUndefined()
    expect(previousPage(first).cursors).toEqual([])
    expect(first.cursors).toEqual([]) // never changed in place
  })

  it('shows no range for an empty page', () => {
    expect(rowRange(nextPage(firstPage(NO_FILTER, 25), 'x'), 0)).toEqual({ from: 0, to: 25 })
    expect(rowRange(firstPage(NO_FILTER, 25), 0)).toEqual({ from: 0, to: 0 })
  })
})

describe('the view in the hash', () => {
  it('writes only what is set', () => {
    expect(hashOf(NO_FILTER, 100)).toBe('#/leases')
    expect(hashOf({ ...NO_FILTER, mount: 'database/', role: 'readonly', irrevocable: true }, 500)).toBe(
      '#/leases?mount=database%2F&role=readonly&irrevocable=true&limit=500',
    )
  })

  it('reads back what it wrote', () => {
    const filter = { mount: 'database/', role: 'read only', prefix: 'database/creds/', expiringWithin: '9000s', irrevocable: false }
    expect(queryFromHash(hashOf(filter, 25))).toEqual({ filter, limit: 25, cursors: [] })
  })

  it('ignores values it does not know', () => {
    expect(queryFromHash('#/leases?limit=7&expiring=soon&irrevocable=yes')).toEqual(firstPage(NO_FILTER, 100))
    expect(queryFromHash('#/leases')).toEqual(firstPage(NO_FILTER, 100))
  })

  it('compares filters field by field', () => {
    expect(sameFilter(NO_FILTER, { ...NO_FILTER })).toBe(true)
    expect(sameFilter(NO_FILTER, { ...NO_FILTER, irrevocable: true })).toBe(false)
  })
})

describe('expiringChoices', () => {
  it('keeps a duration from the chart as its own choice', () => {
    expect(expiringChoices('1h').map((c) => c.value)).toEqual(['', '5m', '1h', '24h', '168h'])
    expect(expiringChoices('9000s').at(-1)).toEqual({ value: '9000s', label: 'Within 2 h 30 min' })
    expect(expiringChoices('90m').at(-1)).toEqual({ value: '90m', label: 'Within 90m' })
  })
})

describe('revoke by prefix', () => {
  const counts: LeaseCounts = {
    total: 15,
    irrevocable: 0,
    restoring: false,
    mounts: {
      'database/': { total: 12, roles: { readonly: 10, shared: 2 } },
      'pg2/': { total: 3, roles: { shared: 3 } },
    },
  }

  it('starts from the prefix filter, else the folder of the role', () => {
    expect(prefixSuggestion({ ...NO_FILTER, prefix: 'kv/x/', role: 'readonly' }, counts)).toBe('kv/x/')
    expect(prefixSuggestion({ ...NO_FILTER, mount: 'pg2/', role: 'shared' }, counts)).toBe('pg2/creds/shared/')
    expect(prefixSuggestion({ ...NO_FILTER, mount: 'pg2', role: 'x' }, undefined)).toBe('pg2/creds/x/')
    expect(prefixSuggestion({ ...NO_FILTER, role: 'readonly' }, counts)).toBe('database/creds/readonly/')
  })

  it('suggests nothing when the mount is not known for sure', () => {
    expect(prefixSuggestion({ ...NO_FILTER, role: 'shared' }, counts)).toBe('')
    expect(prefixSuggestion({ ...NO_FILTER, role: 'readonly' }, undefined)).toBe('')
    expect(prefixSuggestion({ ...NO_FILTER, mount: 'database/' }, counts)).toBe('')
  })

  it('revokes a folder, as the core reads a prefix', () => {
    expect(revokeFolder(' database/creds/readonly ')).toBe('database/creds/readonly/')
    expect(revokeFolder('/database/')).toBe('database/')
    expect(revokeFolder('  ')).toBe('')
  })
})
