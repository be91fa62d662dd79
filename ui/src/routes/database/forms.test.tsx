import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { VaultClient } from '../../api/client'
import type { ConnectionRead, RoleRead } from '../../api/database'
import { ServicesContext } from '../../app/services'
import type { Platform } from '../../platform'
import { ConnectionForm } from './ConnectionForm'
import { DryRunPanel } from './DryRunPanel'
import { RoleForm } from './RoleForm'

const services = { client: new VaultClient(async () => ({ status: 204, body: null })), platform: {} as Platform }
const render = (node: React.ReactNode) => renderToStaticMarkup(<ServicesContext.Provider value={services}>{node}</ServicesContext.Provider>)
const noop = () => undefined

const connection: ConnectionRead = {
  plugin_name: 'postgresql-database-plugin',
  connection_details: {
    connection_url: 'postgresql://{{username}}:{{password}}@localhost:5432/myapp',
    username: 'root',
    max_open_connections: 4,
    max_idle_connections: 0,
    max_connection_lifetime: '0s',
  },
  allowed_roles: ['readonly'],
  root_credentials_rotate_statements: [],
  password_policy: '',
}

describe('ConnectionForm', () => {
  it('labels every field of a new connection and starts from the templated URL', () => {
    const html = render(<ConnectionForm mount="database" name={undefined} stored={undefined} onSaved={noop} />)
    for (const label of ['Connection name', 'Connection URL', 'Username', 'Password', 'Allowed roles', 'Maximum open connections', 'Maximum idle connections', 'Maximum connection lifetime']) {
      expect(html).toContain(`>${label}</label>`)
    }
    expect(html).toContain('value="postgresql://{{username}}:{{password}}@localhost:5432/postgres"')
    expect(html).toContain('Verify the connection before saving')
    expect(html).toMatch(/<input id="db-conn-verify" type="checkbox"[^>]* checked=""/)
    expect(html).toContain('>Save connection</button>')
  })

  it('edits without a name field and keeps the password blank, saying blank keeps it', () => {
    const html = render(<ConnectionForm mount="database" name="postgresql" stored={connection} onSaved={noop} />)
    expect(html).not.toContain('Connection name')
    expect(html).toMatch(/<input id="db-conn-password" type="password"[^>]* value=""\/>/)
    expect(html).toContain('Leave empty to keep the stored password.')
    expect(html).toContain('value="readonly"')
  })
})

describe('RoleForm', () => {
  const role: RoleRead = {
    db_name: 'postgresql',
    creation_statements: ['CREATE ROLE "{{name}}";'],
    revocation_statements: [],
    rollback_statements: [],
    renew_statements: [],
    default_ttl: 3600,
    max_ttl: 86400,
  }

  it('offers the connections, presets, editors, TTLs, a preview, Test role and Save role', () => {
    const html = render(<RoleForm mount="database" name={undefined} stored={undefined} connections={['postgresql']} mountTtl={0} onSaved={noop} />)
    for (const label of ['Role name', 'Connection', 'Preset', 'Schema', 'Creation statements', 'Revocation statements', 'Renew statements', 'Default TTL', 'Unit for the default', 'Maximum TTL', 'Unit for the maximum']) {
      expect(html).toContain(`>${label}</label>`)
    }
    expect(html).toContain('<option value="postgresql" selected="">postgresql</option>')
    expect(html).toContain('>Apply preset</button>')
    expect(html).toContain('>Test role</button>')
    expect(html).toContain('>Save role</button>')
    expect(html).toContain('Not tested yet.')
  })

  it('asks for the connection by name when the list is not available, and previews the stored role', () => {
    const html = render(<RoleForm mount="database" name="readonly" stored={role} connections={undefined} mountTtl={0} onSaved={noop} />)
    expect(html).toMatch(/<input id="db-role-db_name" type="text"[^>]* value="postgresql"/)
    expect(html).toMatch(/CREATE ROLE &quot;v-token-readonly-Xr3kQ9mZ2bL7pT4wA1cD-\d+&quot;/)
    expect(html).toContain('Strongroom’s default')
  })
})

describe('DryRunPanel', () => {
  const result = { dry_run: true, username: 'v-trial-readonly-abc', creation_statements: 'CREATE ROLE "v-trial-readonly-abc"', revocation_statements: 'DROP ROLE "v-trial-readonly-abc"' }

  it('says whether the text on screen is the text tested', () => {
    expect(renderToStaticMarkup(<DryRunPanel trial={{ key: 'k', result }} currentKey="k" />)).toContain('Tested: the statements on screen passed')
    expect(renderToStaticMarkup(<DryRunPanel trial={{ key: 'k', result }} currentKey="k2" />)).toContain('Changed since the last test')
    const failed = renderToStaticMarkup(<DryRunPanel trial={{ key: 'k', error: 'ERROR: syntax error at or near "CREAT"' }} currentKey="k" />)
    expect(failed).toContain('The test failed. ERROR: syntax error at or near &quot;CREAT&quot;')
  })
})
