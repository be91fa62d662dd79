import { describe, expect, it } from 'vitest'
import type { ConnectionRead } from '../../api/database'
import { bodyUrlHasPassword, connectionBody, DEFAULT_URL, draftFromConnection, newConnectionDraft, parseAllowedRoles } from './connectionForm'

const stored: ConnectionRead = {
  plugin_name: 'postgresql-database-plugin',
  connection_details: {
    connection_url: DEFAULT_URL,
    username: 'root',
    max_open_connections: 4,
    max_idle_connections: 0,
    max_connection_lifetime: '1h0m0s',
  },
  allowed_roles: ['readonly', 'app-*'],
  root_credentials_rotate_statements: [],
  password_policy: '',
}

describe('connectionBody for a new connection', () => {
  it('sends the plugin, the templated URL, the password and the pool settings', () => {
    const draft = { ...newConnectionDraft(), name: 'postgresql', username: 'root', password: 'rootpassword', allowed_roles: 'readonly' }
    expect(connectionBody(draft)).toEqual({
      errors: {},
      body: {
        plugin_name: 'postgresql-database-plugin',
        connection_url: 'postgresql://{{username}}:{{password}}@localhost:5432/postgres',
        username: 'root',
        password: 'rootpassword',
        allowed_roles: ['readonly'],
        max_open_connections: 4,
        max_idle_connections: 0,
        max_connection_lifetime: '0s',
        verify_connection: true,
      },
    })
  })

  it('names what is wrong at each field', () => {
    const draft = { ...newConnectionDraft(), name: '-x', connection_url: ' ', password: '{{password}}', max_open: '0', max_idle: 'a' }
    expect(connectionBody(draft)).toEqual({
      errors: {
        name: 'Use letters, digits and "_", with "-" or "." only inside (not first or last).',
        connection_url: 'Enter the connection URL.',
        password: 'Only the URL takes {{username}} and {{password}}; enter the value itself here.',
        max_open: 'Enter a whole number from 1 to 1000.',
        max_idle: 'Enter a whole number (0: as many as open).',
      },
    })
  })
})

describe('connectionBody for an edit', () => {
  it('leaves out the plugin, a blank password and an unchanged URL', () => {
    const draft = { ...draftFromConnection('postgresql', stored), verify: false }
    expect(connectionBody(draft, stored)).toEqual({
      errors: {},
      body: {
        username: 'root',
        allowed_roles: ['readonly', 'app-*'],
        max_open_connections: 4,
        max_idle_connections: 0,
        max_connection_lifetime: '1h',
        verify_connection: false,
      },
    })
  })

  it('sends a new password and a changed URL', () => {
    const draft = { ...draftFromConnection('postgresql', stored), password: 'n3w', connection_url: 'postgresql://{{username}}:{{password}}@db:5432/app' }
    const body = connectionBody(draft, stored).body
    expect(body?.password).toBe('n3w')
    expect(body?.connection_url).toBe('postgresql://{{username}}:{{password}}@db:5432/app')
  })

  it('refuses a changed URL that still holds the mask of a stored password', () => {
    const masked = { ...stored, connection_details: { ...stored.connection_details, connection_url: 'postgresql://root:*****@h/db' } }
    const draft = { ...draftFromConnection('postgresql', masked), connection_url: 'postgresql://root:*****@h/other' }
    expect(connectionBody(draft, masked).errors.connection_url).toMatch(/^The URL still holds \*\*\*\*\*/)
    expect(connectionBody(draftFromConnection('postgresql', masked), masked).body).not.toHaveProperty('connection_url')
  })
})

describe('draftFromConnection', () => {
  it('fills the form from a read, never with a password', () => {
    expect(draftFromConnection('postgresql', stored)).toEqual({
      name: 'postgresql',
      connection_url: DEFAULT_URL,
      username: 'root',
      password: '',
      allowed_roles: 'readonly, app-*',
      max_open: '4',
      max_idle: '0',
      lifetime: { amount: '1', unit: 'h' },
      verify: true,
    })
  })
})

describe('parseAllowedRoles and bodyUrlHasPassword', () => {
  it('split names at commas and spaces', () => {
    expect(parseAllowedRoles(' readonly,app-* ,\n*  ')).toEqual(['readonly', 'app-*', '*'])
    expect(parseAllowedRoles('')).toEqual([])
  })

  it('spot a literal password in the URL sent', () => {
    expect(bodyUrlHasPassword({ connection_url: 'postgresql://root:pw@h/db' })).toBe(true)
    expect(bodyUrlHasPassword({ connection_url: DEFAULT_URL })).toBe(false)
    expect(bodyUrlHasPassword({})).toBe(false)
  })
})
