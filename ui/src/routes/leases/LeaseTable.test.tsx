import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { ListedLease } from '../../api/leases'
import { gatesOf, LEASE_PATHS } from './gates'
import { LeaseTable } from './LeaseTable'

const now = Date.parse('2024-01-02T10:00:00Z')
const lease = (id: string, expire: string, error: string | null = null): ListedLease => ({
  lease_id: id,
  mount: 'database/',
  role: 'readonly',
  expire_time: expire,
  ttl: 0,
  irrevocable: error !== null,
  revoke_error: error,
})
const noop = () => undefined

describe('LeaseTable', () => {
  const html = renderToStaticMarkup(
    <LeaseTable
      leases={[
        lease('database/creds/readonly/a', '2024-01-02T10:12:00Z'),
        lease('database/creds/readonly/b', '2024-01-02T09:59:00Z'),
        lease('database/creds/readonly/c', '2024-01-02T09:00:00Z', 'out of retries: connection refused'),
      ]}
      selected={new Set(['database/creds/readonly/b'])}
      onSelect={noop}
      gates={gatesOf({ [LEASE_PATHS.renew]: ['update'], [LEASE_PATHS.revoke]: ['read'], [LEASE_PATHS.revokeForce]: ['update', 'sudo'] })}
      onAction={noop}
      now={now}
    />,
  )

  it('labels each row checkbox with its lease id', () => {
    expect(html).toContain('<input id="lease-row-0" type="checkbox"/></td><td class="lease-id"><label for="lease-row-0" class="mono">database/creds/readonly/a</label>')
    expect(html).toContain('<tr class="lease-row-selected"><td><input id="lease-row-1" type="checkbox" checked=""/>')
  })

  it('shows when each lease expires and its state, with the stored error of irrevocable ones', () => {
    expect(html).toContain('in 12 min')
    expect(html).toContain('60 s ago')
    expect(html).toContain('<span class="lease-state">Active</span>')
    expect(html).toContain('<span class="lease-state lease-state-overdue">Overdue</span>')
    expect(html).toContain('<span class="lease-state lease-state-irrevocable">Irrevocable</span>')
    // The stored error spans the row below its lease.
    expect(html).toContain('<td colSpan="6"><p class="lease-error"><span class="visually-hidden">Stored error: </span>out of retries: connection refused</p></td>')
  })

  it('offers renew to revocable leases and force revoke to irrevocable ones, gated by capability', () => {
    expect(html).toContain('aria-label="Renew database/creds/readonly/a"')
    expect(html).not.toContain('aria-label="Renew database/creds/readonly/c"')
    expect(html).toMatch(/<button type="button" class="danger" aria-label="Force revoke database\/creds\/readonly\/c">Force revoke<\/button>/)
    expect(html).toMatch(/aria-label="Revoke database\/creds\/readonly\/a" disabled="" aria-describedby="[^"]+">Revoke<\/button>/)
    expect(html).toContain('Your token&#x27;s policies do not grant &quot;update&quot; on sys/leases/revoke.')
  })
})
