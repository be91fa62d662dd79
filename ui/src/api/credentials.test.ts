import { describe, expect, it } from 'vitest'
import { cliCommand, curlCommand } from '../lib/equivalent'
import {
  isRoleName,
  listDatabaseMounts,
  listRoles,
  readConnectionUrl,
  readCreds,
  renewCall,
  rolesFromAcl,
  type ResultantAcl,
} from './credentials'
import { renewLease, revokeLease } from './leases'
import { recordingClient } from './testing'

const mounts = [
  { path: 'database/', defaultLeaseTtl: 0, maxLeaseTtl: 0 },
  { path: 'team/db/', defaultLeaseTtl: 0, maxLeaseTtl: 0 },
]

describe('listDatabaseMounts', () => {
  it('keeps the database mounts with their TTLs, sorted', async () => {
    const { client, seen } = recordingClient({
      status: 200,
      body: {
        data: {
          secret: {
            'team/db/': { type: 'database', config: { default_lease_ttl: 600, max_lease_ttl: 7200 } },
            'secret/': { type: 'kv' },
            'database/': { type: 'database', config: { default_lease_ttl: 0, max_lease_ttl: 0 } },
          },
          auth: { 'token/': { type: 'token' } },
        },
      },
    })
    expect(await listDatabaseMounts(client)).toEqual([
      { path: 'database/', defaultLeaseTtl: 0, maxLeaseTtl: 0 },
      { path: 'team/db/', defaultLeaseTtl: 600, maxLeaseTtl: 7200 },
    ])
    expect(seen).toEqual([{ method: 'GET', path: 'sys/internal/ui/mounts', body: undefined }])
  })
})

describe('listRoles', () => {
  it('lists with GET ?list=true, and an empty mount (404) has no roles', async () => {
    const { client, seen } = recordingClient(
      { status: 200, body: { data: { keys: ['writer', 'readonly'] } } },
      { status: 404, body: { errors: [] } },
    )
    expect(await listRoles(client, 'database/')).toEqual(['readonly', 'writer'])
    expect(await listRoles(client, 'database/')).toEqual([])
    expect(seen[0]).toEqual({ method: 'GET', path: 'database/roles?list=true', body: undefined })
  })

  it('passes a refusal on', async () => {
    const { client } = recordingClient({ status: 403, body: { errors: ['permission denied'] } })
    await expect(listRoles(client, 'database/')).rejects.toThrow('permission denied')
  })
})

describe('rolesFromAcl', () => {
  it('offers the exact creds paths the token may read, on known database mounts', () => {
    const acl: ResultantAcl = {
      root: false,
      exact_paths: {
        'database/creds/readonly': { capabilities: ['read'] },
        'database/creds/writer': { capabilities: ['update'] },
        'database/creds/blocked': { capabilities: ['deny'] },
        'team/db/creds/etl': { capabilities: ['list', 'read'] },
        'database/creds/a/b': { capabilities: ['read'] },
        'other/creds/x': { capabilities: ['read'] },
        'sys/leases/renew': { capabilities: ['update'] },
      },
      glob_paths: { 'database/creds/': { capabilities: ['read'] } },
    }
    expect(rolesFromAcl(acl, mounts)).toEqual([
      { mount: 'database/', name: 'readonly' },
      { mount: 'team/db/', name: 'etl' },
    ])
  })
})

describe('isRoleName', () => {
  it("follows Vault's role-name pattern", () => {
    expect(isRoleName('readonly')).toBe(true)
    expect(isRoleName('app-v1.2_x')).toBe(true)
    expect(isRoleName('a')).toBe(true)
    expect(isRoleName('')).toBe(false)
    expect(isRoleName('-x')).toBe(false)
    expect(isRoleName('x.')).toBe(false)
    expect(isRoleName('a/b')).toBe(false)
    expect(isRoleName('a b')).toBe(false)
  })
})

describe('credential and lease calls', () => {
  it('reads creds, the config URL, and renews (by seconds) and revokes by lease id', async () => {
    const creds = { lease_id: 'database/creds/readonly/abc', lease_duration: 3600, renewable: true, data: { username: 'v-u', password: 'p' } }
    const { client, seen } = recordingClient(
      { status: 200, body: creds },
      { status: 200, body: { data: { connection_details: { connection_url: 'postgresql://{{username}}:{{password}}@h:5432/db' } } } },
      { status: 200, body: { lease_id: 'database/creds/readonly/abc', lease_duration: 7200, renewable: true, warnings: null } },
      { status: 204, body: null },
    )
    expect(await readCreds(client, { mount: 'database/', name: 'readonly' })).toEqual(creds)
    expect(await readConnectionUrl(client, 'database/', 'pg')).toBe('postgresql://{{username}}:{{password}}@h:5432/db')
    expect((await renewLease(client, 'database/creds/readonly/abc', 7200)).lease_duration).toBe(7200)
    await revokeLease(client, 'database/creds/readonly/abc')
    expect(seen).toEqual([
      { method: 'GET', path: 'database/creds/readonly', body: undefined },
      { method: 'GET', path: 'database/config/pg', body: undefined },
      { method: 'PUT', path: 'sys/leases/renew', body: { lease_id: 'database/creds/readonly/abc', increment: 7200 } },
      { method: 'PUT', path: 'sys/leases/revoke', body: { lease_id: 'database/creds/readonly/abc' } },
    ])
  })
})

describe('equivalents', () => {
  it('renews with the lease CLI, from $LEASE_ID before checkout', () => {
    const before = renewCall(undefined, 7200)
    expect(cliCommand(before)).toBe('bao lease renew -increment=2h "$LEASE_ID"')
    expect(curlCommand(before)).toBe(
      `curl --fail-with-body -sS -H "X-Vault-Token: $VAULT_TOKEN" -X PUT --data '{"lease_id":"'"$LEASE_ID"'","increment":7200}' "$VAULT_ADDR/v1/sys/leases/renew"`,
    )
    expect(cliCommand(renewCall('database/creds/readonly/abc', 5400))).toBe(
      'bao lease renew -increment=90m database/creds/readonly/abc',
    )
  })
})
