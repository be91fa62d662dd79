import { describe, expect, it } from 'vitest'
import { connectionUri, encodePart, masked, MASK, parseDsn, psqlCommand } from './uri'

describe('connectionUri from a URL', () => {
  it('fills the template with the new user', () => {
    expect(connectionUri('postgresql://{{username}}:{{password}}@127.0.0.1:5432/postgres', 'v-root-readonly-abc', 'A1-b2')).toBe(
      'postgresql://v-root-readonly-abc:A1-b2@127.0.0.1:5432/postgres',
    )
  })

  it('URL-encodes the user and password, quotes included', () => {
    expect(connectionUri('postgresql://{{username}}:{{password}}@db:5432/app', 'a@b', `p:/?#[]@!$&'()*+,;= %`)).toBe(
      'postgresql://a%40b:p%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%20%25@db:5432/app',
    )
  })

  it("replaces a literal, redacted user, and keeps the query but not the config's credentials", () => {
    expect(connectionUri('postgres://root:*****@localhost:5432/myapp?sslmode=require&user=root&password=x#frag', 'u', 'p')).toBe(
      'postgresql://u:p@localhost:5432/myapp?sslmode=require',
    )
  })

  it('keeps several hosts, and no host (the local socket)', () => {
    expect(connectionUri('postgresql://{{username}}:{{password}}@a:5432,b:5433/db', 'u', 'p')).toBe('postgresql://u:p@a:5432,b:5433/db')
    expect(connectionUri('postgresql:///db?host=/var/run/postgresql', 'u', 'p')).toBe('postgresql://u:p@/db?host=/var/run/postgresql')
    expect(connectionUri('postgresql://{{username}}:{{password}}@db', 'u', 'p')).toBe('postgresql://u:p@db')
  })
})

describe('connectionUri from a DSN', () => {
  it('builds the URI from host, port and dbname, the rest as query', () => {
    expect(
      connectionUri("host=db.internal port=6432 dbname=my\\ app user={{username}} password={{password}} sslmode='verify-full'", 'u', 'p w'),
    ).toBe('postgresql://u:p%20w@db.internal:6432/my%20app?sslmode=verify-full')
  })

  it('encodes a socket directory, brackets IPv6, and pairs hosts with ports', () => {
    expect(connectionUri('host=/var/run/postgresql dbname=app', 'u', 'p')).toBe('postgresql://u:p@%2Fvar%2Frun%2Fpostgresql/app')
    expect(connectionUri('host=::1 port=5432', 'u', 'p')).toBe('postgresql://u:p@[::1]:5432')
    expect(connectionUri('host=a,b port=5432,5433 dbname=d', 'u', 'p')).toBe('postgresql://u:p@a:5432,b:5433/d')
    expect(connectionUri('host=a,b port=6000', 'u', 'p')).toBe('postgresql://u:p@a:6000,b:6000')
  })

  it('leaves the host out when the DSN names none', () => {
    expect(connectionUri('dbname=postgres user={{username}}', 'u', 'p')).toBe('postgresql://u:p@/postgres')
  })

  it('gives nothing for what is neither', () => {
    expect(connectionUri('', 'u', 'p')).toBeUndefined()
    expect(connectionUri('not a dsn', 'u', 'p')).toBeUndefined()
    expect(connectionUri("host='unterminated", 'u', 'p')).toBeUndefined()
  })
})

describe('parseDsn', () => {
  it("reads libpq's quoting and spaces around =", () => {
    expect(parseDsn("host = h  password='it\\'s a \\\\ secret' dbname=d")).toEqual(
      new Map([
        ['host', 'h'],
        ['password', "it's a \\ secret"],
        ['dbname', 'd'],
      ]),
    )
  })
})

describe('psqlCommand and masking', () => {
  it('single-quotes the URI for the shell', () => {
    expect(psqlCommand('postgresql://u:p@h:5432/db')).toBe("psql 'postgresql://u:p@h:5432/db'")
    expect(psqlCommand("postgresql://u:p@h/it's")).toBe(`psql 'postgresql://u:p@h/it'\\''s'`)
  })

  it('masks the encoded password and nothing else', () => {
    const uri = connectionUri('postgresql://{{username}}:{{password}}@h:5432/p', 'us$er', 'p@ss$1')
    expect(uri).toBe('postgresql://us%24er:p%40ss%241@h:5432/p')
    expect(masked(psqlCommand(uri ?? ''), 'us$er', 'p@ss$1')).toBe(`psql 'postgresql://us%24er:${MASK}@h:5432/p'`)
    expect(encodePart("a'b")).toBe('a%27b')
  })
})
