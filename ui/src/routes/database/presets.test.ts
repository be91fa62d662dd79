import { describe, expect, it } from 'vitest'
import { applyPreset, creationStatements, quoteIdent, RENEW_STATEMENTS, REVOCATION_STATEMENTS } from './presets'

describe('creationStatements', () => {
  it('gives exactly the Vault tutorial readonly role for schema public', () => {
    expect(creationStatements('readonly', 'public')).toBe(
      `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';\n` +
        `GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";`,
    )
    expect(creationStatements('readonly', '  ')).toBe(creationStatements('readonly', 'public'))
  })

  it('grants USAGE on a schema other than public, quoted where needed', () => {
    expect(creationStatements('readonly', 'Sales')).toBe(
      `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';\n` +
        `GRANT USAGE ON SCHEMA "Sales" TO "{{name}}";\n` +
        `GRANT SELECT ON ALL TABLES IN SCHEMA "Sales" TO "{{name}}";`,
    )
  })

  it('writes read-write with the four table privileges and sequence usage', () => {
    expect(creationStatements('readwrite', 'public')).toBe(
      `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';\n` +
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{{name}}";\n` +
        `GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "{{name}}";`,
    )
    expect(creationStatements('readwrite', 'app')).toContain(`GRANT USAGE ON SCHEMA app TO "{{name}}";\nGRANT SELECT, INSERT`)
  })

  it('makes an owner with ALL on the schema, its tables and its sequences', () => {
    expect(creationStatements('owner', 'app')).toBe(
      `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';\n` +
        `GRANT ALL ON SCHEMA app TO "{{name}}";\n` +
        `GRANT ALL ON ALL TABLES IN SCHEMA app TO "{{name}}";\n` +
        `GRANT ALL ON ALL SEQUENCES IN SCHEMA app TO "{{name}}";`,
    )
  })
})

describe('quoteIdent', () => {
  it('leaves plain lower-case names and quotes the rest', () => {
    expect(quoteIdent('public')).toBe('public')
    expect(quoteIdent('app_2$')).toBe('app_2$')
    expect(quoteIdent('Sales')).toBe('"Sales"')
    expect(quoteIdent('my schema')).toBe('"my schema"')
    expect(quoteIdent('2fa')).toBe('"2fa"')
    expect(quoteIdent('user')).toBe('"user"')
    expect(quoteIdent('a"b')).toBe('"a""b"')
  })
})

describe('applyPreset', () => {
  it('fills creation and renew, and revocation only when asked to write it out', () => {
    expect(applyPreset('readonly', 'public', false)).toEqual({
      creation: creationStatements('readonly', 'public'),
      revocation: '',
      renew: `ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}';`,
    })
    expect(applyPreset('owner', 'x', true).revocation).toBe(
      'GRANT "{{name}}" TO CURRENT_USER;\nREASSIGN OWNED BY "{{name}}" TO CURRENT_USER;\nDROP OWNED BY "{{name}}";\nDROP ROLE IF EXISTS "{{name}}";',
    )
    expect(RENEW_STATEMENTS).toBe(`ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}';`)
    expect(REVOCATION_STATEMENTS.split('\n')).toHaveLength(4)
  })
})
