import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { VaultClient } from '../../api/client'
import { ServicesContext } from '../../app/services'
import type { Platform } from '../../platform'
import { CredentialCard } from './CredentialCard'
import type { Checkout } from './store'

const services = {
  client: new VaultClient(async () => ({ status: 204, body: null })),
  platform: {} as Platform,
}

const NOW = new Date(2026, 0, 2, 13, 3, 12).getTime()

const active: Checkout = {
  id: 7,
  role: { mount: 'database/', name: 'readonly' },
  leaseId: 'database/creds/readonly/abc',
  username: 'v-apps-readonly-x',
  status: 'active',
  ttl: 3600,
  renewable: true,
  expiresAt: NOW + 3552_000,
  duration: 3600,
  notified: false,
  checkoutMs: 48.2,
  secret: { password: 'S3cret-pw', uri: 'postgresql://v-apps-readonly-x:S3cret-pw@h:5432/db' },
}

/** The capabilities of the tutorial's `apps` token: renew by the default policy, no revoke. */
const apps = {
  'database/creds/readonly': ['read'],
  'sys/leases/renew': ['update'],
  'sys/leases/revoke': ['deny'],
}

function render(checkout: Checkout, caps = apps): string {
  return renderToStaticMarkup(
    <ServicesContext.Provider value={services}>
      <CredentialCard checkout={checkout} now={NOW} caps={caps} />
    </ServicesContext.Provider>,
  )
}

describe('CredentialCard', () => {
  it('masks the password everywhere until shown', () => {
    const html = render(active)
    expect(html).not.toContain('S3cret-pw')
    expect(html).toContain('<code>postgresql://v-apps-readonly-x:••••••••@h:5432/db</code>')
    expect(html).toContain(`<code>psql &#x27;postgresql://v-apps-readonly-x:••••••••@h:5432/db&#x27;</code>`)
    expect(html).toContain('>Show password</button>')
    expect(html).toContain('>Copy password</button>')
    expect(html).toContain('>Copy connection URI</button>')
    expect(html).toContain('>Copy psql command</button>')
  })

  it('counts down, and carries the checkout time for benchmarks', () => {
    const html = render(active)
    expect(html).toContain('<span role="timer">Valid until 14:02:24 (in 59 min 12 s)</span>')
    expect(html).toContain('data-checkout-ms="48.2"')
  })

  it("disables Return for a token without revoke, saying why, and offers Renew", () => {
    const html = render(active)
    expect(html).toMatch(/<button type="button" class="danger" disabled="" aria-describedby="[^"]+">Return now<\/button>/)
    expect(html).toContain('Your token&#x27;s policies do not grant &quot;update&quot; on sys/leases/revoke.')
    expect(html).toMatch(/<button type="button">Renew<\/button>/)
    expect(html).toContain('bao lease renew -increment=1h database/creds/readonly/abc')
    expect(html).toContain('bao lease revoke database/creds/readonly/abc')
  })

  it('says why there is no URI', () => {
    const html = render({ ...active, secret: { password: 'S3cret-pw' }, noUri: 'Your token may not read database/roles/readonly.' })
    expect(html).toContain('Your token may not read database/roles/readonly.')
    expect(html).not.toContain('Copy connection URI')
  })

  it('shows a returned credential without secrets or actions', () => {
    const html = render({ ...active, status: 'returned', secret: undefined })
    expect(html).toContain('Returned: PostgreSQL user v-apps-readonly-x was dropped. The password is gone from this app.')
    expect(html).not.toContain('Return now')
    expect(html).not.toContain('Copy password')
    expect(html).toContain('>Remove from list</button>')
  })
})
