import { describe, expect, it } from 'vitest'
import { cliCommand, curlCommand, shellQuote } from './equivalent'

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(shellQuote('database/roles/readonly')).toBe('database/roles/readonly')
    expect(shellQuote('ttl=1h')).toBe('ttl=1h')
    expect(shellQuote('')).toBe("''")
    expect(shellQuote("it's {{name}}")).toBe(`'it'\\''s {{name}}'`)
  })
})

describe('cliCommand', () => {
  it('writes fields as key=value and repeats the key for lists', () => {
    const call = {
      method: 'POST' as const,
      path: 'database/roles/readonly',
      body: {
        db_name: 'pg',
        creation_statements: ['CREATE ROLE "{{name}}";', 'GRANT x;'],
        default_ttl: '1h',
        unset: undefined,
      },
    }
    expect(cliCommand(call)).toBe(
      `bao write database/roles/readonly db_name=pg 'creation_statements=CREATE ROLE "{{name}}";' 'creation_statements=GRANT x;' default_ttl=1h`,
    )
  })

  it('names an environment variable for secret fields', () => {
    const call = {
      method: 'POST' as const,
      path: 'database/config/pg',
      body: { username: 'vault', password: 'hunter2' },
      secrets: { password: 'PG_PASSWORD' },
    }
    expect(cliCommand(call)).toBe('bao write database/config/pg username=vault password="$PG_PASSWORD"')
    expect(curlCommand(call)).not.toContain('hunter2')
  })

  it('maps methods to read, list and delete, and prefers a given command', () => {
    expect(cliCommand({ method: 'GET', path: 'database/creds/readonly' })).toBe('bao read database/creds/readonly')
    expect(cliCommand({ method: 'LIST', path: 'database/roles' })).toBe('bao list database/roles')
    expect(cliCommand({ method: 'DELETE', path: 'database/roles/x' })).toBe('bao delete database/roles/x')
    expect(cliCommand({ method: 'PUT', path: 'sys/leases/renew', cli: 'bao lease renew id' })).toBe('bao lease renew id')
  })
})

describe('curlCommand', () => {
  it('sends the body as JSON with the secret spliced in from the environment', () => {
    const call = {
      method: 'POST' as const,
      path: 'database/config/pg',
      body: { username: 'vault', password: 'hunter2', allowed_roles: ['a', 'b'] },
      secrets: { password: 'PG_PASSWORD' },
    }
    expect(curlCommand(call)).toBe(
      `curl --fail-with-body -sS -H "X-Vault-Token: $VAULT_TOKEN" -X POST --data '{"username":"vault","password":"'"$PG_PASSWORD"'","allowed_roles":["a","b"]}' "$VAULT_ADDR/v1/database/config/pg"`,
    )
  })

  it('puts GET fields in the query and uses LIST as the method', () => {
    expect(curlCommand({ method: 'GET', path: 'sys/leases/search', body: { role: 'readonly', limit: 100 } })).toBe(
      `curl --fail-with-body -sS -H "X-Vault-Token: $VAULT_TOKEN" "$VAULT_ADDR/v1/sys/leases/search?role=readonly&limit=100"`,
    )
    expect(curlCommand({ method: 'LIST', path: 'database/roles' })).toBe(
      `curl --fail-with-body -sS -H "X-Vault-Token: $VAULT_TOKEN" -X LIST "$VAULT_ADDR/v1/database/roles"`,
    )
  })

  it("quotes a body holding a single quote so the shell passes it unchanged", () => {
    const word = curlCommand({ method: 'PUT', path: 'x', body: { sql: "it's" } })
    expect(word).toContain(`--data '{"sql":"it'\\''s"}'`)
  })

  it('escapes what the shell would expand inside the double-quoted URL', () => {
    const curl = curlCommand({ method: 'POST', path: 'sys/mounts/db$(touch /tmp/x)`id`"', body: { type: 'database' } })
    expect(curl.endsWith(' "$VAULT_ADDR/v1/sys/mounts/db\\$(touch /tmp/x)\\`id\\`\\""')).toBe(true)
  })
})
