import { describe, expect, it } from 'vitest'
import { defaultRevocation, exampleSubstitutions, exampleUsername, pgTimestamp, renderStatements, substitute } from './preview'

const NOW = 1_700_000_000_999 // 2023-11-14 22:13:20.999 UTC

describe('pgTimestamp', () => {
  it('formats like the core (statements.rs expiration), in UTC', () => {
    expect(pgTimestamp(NOW)).toBe('2023-11-14 22:13:20+0000')
    expect(pgTimestamp(Date.UTC(2030, 0, 2, 3, 4, 5))).toBe('2030-01-02 03:04:05+0000')
  })
})

describe('exampleUsername', () => {
  it('follows Vault default template, cutting display name and role to 8', () => {
    expect(exampleUsername('readonly', NOW)).toBe('v-token-readonly-Xr3kQ9mZ2bL7pT4wA1cD-1700000000')
    expect(exampleUsername('reporting-app', NOW, 'root')).toBe('v-root-reportin-Xr3kQ9mZ2bL7pT4wA1cD-1700000000')
  })
})

describe('exampleSubstitutions', () => {
  it('expires at now + TTL + 5 s, with the password hidden', () => {
    expect(exampleSubstitutions('readonly', 3600, NOW)).toEqual({
      name: 'v-token-readonly-Xr3kQ9mZ2bL7pT4wA1cD-1700000000',
      password: '[password]',
      expiration: '2023-11-14 23:13:25+0000',
    })
  })
})

describe('renderStatements', () => {
  const subs = { name: 'v-root-ro-x-1', password: "pa'ss", expiration: '2030-01-01 00:00:00+0000' }

  it('renders as the core does: entries trimmed, blanks dropped, final ; removed, joined', () => {
    expect(
      renderStatements(
        [
          `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`,
          '  ',
          'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{username}}";',
        ],
        subs,
      ),
    ).toBe(
      `CREATE ROLE "v-root-ro-x-1" WITH LOGIN PASSWORD 'pa''ss' VALID UNTIL '2030-01-01 00:00:00+0000';\n` +
        'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "v-root-ro-x-1"',
    )
  })

  it('keeps one entry whole, statements and all', () => {
    expect(renderStatements(['A "{{name}}";\nB;;  '], subs)).toBe('A "v-root-ro-x-1";\nB')
  })
})

describe('substitute', () => {
  it('never substitutes a value twice and keeps unknown placeholders', () => {
    expect(substitute(`"{{name}}" '{{password}}' {{other}}`, { name: 'u-{{password}}', password: 'secret', expiration: '' })).toBe(
      `"u-{{password}}" 'secret' {{other}}`,
    )
  })
})

describe('defaultRevocation', () => {
  it('matches the core default for a non-superuser connection', () => {
    expect(defaultRevocation('a"b', false)).toBe(
      'GRANT "a""b" TO CURRENT_USER;\nREASSIGN OWNED BY "a""b" TO CURRENT_USER;\nDROP OWNED BY "a""b";\nDROP ROLE "a""b"',
    )
    expect(defaultRevocation("o'k", true)).toMatch(
      /^ALTER ROLE "o'k" NOLOGIN;\nSELECT pg_terminate_backend\(pid\) FROM pg_stat_activity WHERE usename = 'o''k';\nGRANT/,
    )
  })
})
