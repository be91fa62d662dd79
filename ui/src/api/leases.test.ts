import { describe, expect, it } from 'vitest'
import {
  forceRevoke,
  leasePath,
  leaseTimeline,
  NO_FILTER,
  renewLease,
  revokeLease,
  revokePrefix,
  searchFields,
  searchLeases,
  withQuery,
} from './leases'
import { recordingClient } from './testing'

describe('search query', () => {
  it('sends only the fields that are set, in a fixed order', () => {
    expect(withQuery('sys/leases/search', searchFields(NO_FILTER, 100))).toBe('sys/leases/search?limit=100')
    const filter = { mount: 'database/', role: 'read only', prefix: 'database/creds/', expiringWithin: '1h', irrevocable: true }
    expect(withQuery('sys/leases/search', searchFields(filter, 25, '1700000000000:database/creds/ro/abc'))).toBe(
      'sys/leases/search?mount=database%2F&role=read+only&prefix=database%2Fcreds%2F&expiring_within=1h&irrevocable=true&limit=25&after=1700000000000%3Adatabase%2Fcreds%2Fro%2Fabc',
    )
  })

  it('leaves a path without fields alone', () => {
    expect(withQuery('sys/leases/counts', {})).toBe('sys/leases/counts')
  })

  it('encodes each segment of a lease path and keeps the slashes', () => {
    expect(leasePath('database/creds/read only/')).toBe('database/creds/read%20only/')
    expect(leasePath('a?b/c#d')).toBe('a%3Fb/c%23d')
  })
})

describe('lease requests', () => {
  it('reads search pages and the timeline from the data envelope', async () => {
    const page = { leases: [], total: 0, next: null }
    const { client, seen } = recordingClient({ status: 200, body: { data: page } })
    await expect(searchLeases(client, { ...NO_FILTER, role: 'ro' }, 500)).resolves.toEqual(page)
    await leaseTimeline(client, '168h', 28)
    expect(seen).toEqual([
      { method: 'GET', path: 'sys/leases/search?role=ro&limit=500', body: undefined },
      { method: 'GET', path: 'sys/leases/timeline?window=168h&buckets=28', body: undefined },
    ])
  })

  it('renews and revokes with the lease id in the body, and prefixes in the path', async () => {
    const { client, seen } = recordingClient({ status: 204, body: null })
    await renewLease(client, 'database/creds/ro/x1', '4h')
    await revokeLease(client, 'database/creds/ro/x1')
    await revokePrefix(client, 'database/creds/ro/')
    await forceRevoke(client, 'database/creds/ro/x1')
    expect(seen).toEqual([
      { method: 'PUT', path: 'sys/leases/renew', body: { lease_id: 'database/creds/ro/x1', increment: '4h' } },
      { method: 'PUT', path: 'sys/leases/revoke', body: { lease_id: 'database/creds/ro/x1' } },
      { method: 'PUT', path: 'sys/leases/revoke-prefix/database/creds/ro/', body: undefined },
      { method: 'PUT', path: 'sys/leases/revoke-force/database/creds/ro/x1', body: undefined },
    ])
  })

  it("rejects with Vault's message", async () => {
    const { client } = recordingClient({ status: 400, body: { errors: ['lease is not renewable'] } })
    await expect(renewLease(client, 'kv/x', '1h')).rejects.toThrow('lease is not renewable')
  })
})
