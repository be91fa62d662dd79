import { describe, expect, it } from 'vitest'
import { cliCommand, curlCommand } from '../lib/equivalent'
import { isDenied } from './client'
import {
  deleteConnectionCall,
  enableMountCall,
  listConnections,
  listDatabaseMounts,
  liveCredentials,
  readRole,
  rotateRootCall,
  send,
  testRole,
  writeConnection,
  writeConnectionCall,
  writeRoleCall,
} from './database'
import { recordingClient } from './testing'

describe('listDatabaseMounts', () => {
  it('keeps the database mounts of sys/internal/ui/mounts, without the trailing slash', async () => {
    const { client, seen } = recordingClient({
      status: 200,
      body: {
        data: {
          secret: {
            'secret/': { type: 'kv' },
            'db/prod/': { type: 'database', config: { default_lease_ttl: 3600, max_lease_ttl: 7200 } },
            'database/': { type: 'database', config: { default_lease_ttl: 0 } },
          },
          auth: {},
        },
      },
    })
    expect(await listDatabaseMounts(client)).toEqual([
      { path: 'database', defaultLeaseTtl: 0, maxLeaseTtl: 0 },
      { path: 'db/prod', defaultLeaseTtl: 3600, maxLeaseTtl: 7200 },
    ])
    expect(seen[0]).toMatchObject({ method: 'GET', path: 'sys/internal/ui/mounts' })
  })
})

describe('lists and reads', () => {
  it('lists with ?list=true, sorted, and takes Vault 404 for an empty list', async () => {
    const { client, seen } = recordingClient({ status: 200, body: { data: { keys: ['b', 'a'] } } }, { status: 404, body: { errors: [] } })
    expect(await listConnections(client, 'database')).toEqual(['a', 'b'])
    expect(await listConnections(client, 'database')).toEqual([])
    expect(seen.map((r) => [r.method, r.path, r.body])).toEqual([
      ['GET', 'database/config?list=true', undefined],
      ['GET', 'database/config?list=true', undefined],
    ])
  })

  it('passes a 403 on, so the page can say the list is denied', async () => {
    const { client } = recordingClient({ status: 403, body: { errors: ['permission denied'] } })
    const error = await listConnections(client, 'database').catch((e: unknown) => e)
    expect(isDenied(error)).toBe(true)
    expect(isDenied(new Error('x'))).toBe(false)
  })

  it('reads a missing role as undefined', async () => {
    const { client } = recordingClient({ status: 404, body: { errors: [] } })
    expect(await readRole(client, 'database', 'nope')).toBeUndefined()
  })

  it('reads live credentials per role of the mount, or undefined when not allowed', async () => {
    const { client } = recordingClient(
      { status: 200, body: { data: { total: 3, mounts: { 'database/': { total: 3, roles: { readonly: 3 } } } } } },
      { status: 403, body: { errors: ['permission denied'] } },
    )
    expect(await liveCredentials(client, 'database')).toEqual({ readonly: 3 })
    expect(await liveCredentials(client, 'database')).toBeUndefined()
  })
})

describe('writes', () => {
  it('sends a connection write as described, and returns its warnings', async () => {
    const { client, seen } = recordingClient({ status: 200, body: { data: null, warnings: ['Password found in connection_url'] } }, { status: 204, body: null })
    const call = writeConnectionCall('database', 'pg', { plugin_name: 'postgresql-database-plugin', password: 'pw' })
    expect(await writeConnection(client, call)).toEqual(['Password found in connection_url'])
    expect(await writeConnection(client, call)).toEqual([])
    expect(seen[0]).toMatchObject({ method: 'POST', path: 'database/config/pg', body: { plugin_name: 'postgresql-database-plugin', password: 'pw' } })
  })

  it('keeps the password out of the command forms, and a password in the URL too', () => {
    const call = writeConnectionCall('database', 'pg', { connection_url: 'postgresql://root:hunter2@h/db', password: 'pw' }, true)
    expect(cliCommand(call)).toBe('bao write database/config/pg connection_url="$PG_CONNECTION_URL" password="$PG_PASSWORD"')
    expect(curlCommand(call)).not.toContain('hunter2')
    expect(curlCommand(call)).not.toContain('"pw"')
  })

  it('adds dry_run=true for a test and reads the trial back', async () => {
    const trial = { dry_run: true, username: 'v-trial-readonly-x', creation_statements: 'CREATE …', revocation_statements: 'DROP …' }
    const { client, seen } = recordingClient({ status: 200, body: { data: trial } })
    const call = writeRoleCall('database', 'readonly', { db_name: 'pg', creation_statements: 'CREATE …' }, true)
    expect(call.body).toEqual({ db_name: 'pg', creation_statements: 'CREATE …', dry_run: true })
    expect(await testRole(client, call)).toEqual(trial)
    expect(seen[0]).toMatchObject({ method: 'POST', path: 'database/roles/readonly' })
    expect(writeRoleCall('database', 'readonly', { db_name: 'pg' }).body).toEqual({ db_name: 'pg' })
  })

  it('sends deletes without a body and posts rotate-root', async () => {
    const { client, seen } = recordingClient()
    await send(client, deleteConnectionCall('database', 'pg'))
    await send(client, rotateRootCall('database', 'pg'))
    expect(seen.map((r) => [r.method, r.path, r.body])).toEqual([
      ['DELETE', 'database/config/pg', undefined],
      ['POST', 'database/rotate-root/pg', undefined],
    ])
  })

  it('enables a mount with type database, shown as bao secrets enable', () => {
    const call = enableMountCall('database')
    expect(call).toMatchObject({ method: 'POST', path: 'sys/mounts/database', body: { type: 'database' } })
    expect(cliCommand(call)).toBe('bao secrets enable -path=database database')
  })
})
