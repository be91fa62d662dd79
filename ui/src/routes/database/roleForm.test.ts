import { describe, expect, it } from 'vitest'
import type { RoleRead } from '../../api/database'
import { creationStatements } from './presets'
import { bodyKey, draftFromRole, joinStatements, newRoleDraft, roleBody } from './roleForm'

const READONLY = creationStatements('readonly', 'public')

describe('roleBody for a new role', () => {
  it('sends the tutorial role with only what is filled in', () => {
    const draft = { ...newRoleDraft('postgresql'), name: 'readonly', creation: READONLY }
    expect(roleBody(draft, false)).toEqual({
      errors: {},
      body: { db_name: 'postgresql', creation_statements: READONLY, default_ttl: '1h', max_ttl: '24h' },
    })
  })

  it('sends the other statements, days as hours, and ending sessions when set', () => {
    const draft = {
      ...newRoleDraft('pg'),
      name: 'app',
      creation: ' CREATE ROLE "{{name}}"; ',
      revocation: 'DROP ROLE "{{name}}";',
      renew: 'ALTER ROLE "{{name}}" VALID UNTIL \'{{expiration}}\';',
      default_ttl: { amount: '90', unit: 'm' as const },
      max_ttl: { amount: '2', unit: 'd' as const },
      terminate_sessions: true,
    }
    expect(roleBody(draft, false).body).toEqual({
      db_name: 'pg',
      creation_statements: 'CREATE ROLE "{{name}}";',
      revocation_statements: 'DROP ROLE "{{name}}";',
      renew_statements: 'ALTER ROLE "{{name}}" VALID UNTIL \'{{expiration}}\';',
      default_ttl: '90m',
      max_ttl: '48h',
      terminate_sessions: true,
    })
  })

  it('refuses a maximum under the default at the maximum field', () => {
    const draft = { ...newRoleDraft('pg'), name: 'r', creation: 'x', default_ttl: { amount: '2', unit: 'h' as const }, max_ttl: { amount: '90', unit: 'm' as const } }
    expect(roleBody(draft, false)).toEqual({ errors: { max_ttl: 'The maximum TTL (90m) must be at least the default TTL (2h).' } })
  })

  it('names the missing name, connection and statements', () => {
    expect(roleBody(newRoleDraft(), false).errors).toEqual({
      name: 'Enter a role name.',
      db_name: 'Choose the connection the role creates users in.',
      creation: 'Enter the statements that create the user (or apply a preset).',
    })
  })
})

describe('roleBody for an edit', () => {
  it('sends every field, clearing blank ones with "" and 0', () => {
    const draft = { ...newRoleDraft('pg'), name: 'readonly', creation: READONLY, default_ttl: { amount: '', unit: 'h' as const }, max_ttl: { amount: '', unit: 'h' as const } }
    expect(roleBody(draft, true).body).toEqual({
      db_name: 'pg',
      creation_statements: READONLY,
      revocation_statements: '',
      renew_statements: '',
      rollback_statements: '',
      default_ttl: 0,
      max_ttl: 0,
      terminate_sessions: false,
    })
  })
})

describe('draftFromRole', () => {
  it('fills the form from a read, joining list entries as separate statements', () => {
    const read: RoleRead = {
      db_name: 'postgresql',
      creation_statements: ['CREATE ROLE "{{name}}"', 'GRANT SELECT ON t TO "{{name}}";'],
      revocation_statements: [],
      rollback_statements: [],
      renew_statements: ['ALTER ROLE "{{name}}" VALID UNTIL \'{{expiration}}\';'],
      default_ttl: 3600,
      max_ttl: 86400,
    }
    expect(draftFromRole('readonly', read)).toEqual({
      name: 'readonly',
      db_name: 'postgresql',
      creation: 'CREATE ROLE "{{name}}";\nGRANT SELECT ON t TO "{{name}}";',
      revocation: '',
      renew: 'ALTER ROLE "{{name}}" VALID UNTIL \'{{expiration}}\';',
      rollback: '',
      default_ttl: { amount: '1', unit: 'h' },
      max_ttl: { amount: '24', unit: 'h' },
      terminate_sessions: false,
    })
  })

  it('keeps a single entry exactly as stored', () => {
    expect(joinStatements([READONLY])).toBe(READONLY)
    expect(joinStatements(['  '])).toBe('')
  })
})

describe('bodyKey', () => {
  it('changes with the name and with any field', () => {
    expect(bodyKey('a', { x: '1' })).toBe(bodyKey('a', { x: '1' }))
    expect(bodyKey('a', { x: '1' })).not.toBe(bodyKey('b', { x: '1' }))
    expect(bodyKey('a', { x: '1' })).not.toBe(bodyKey('a', { x: '2' }))
    expect(bodyKey('a', undefined)).toBeUndefined()
  })
})
