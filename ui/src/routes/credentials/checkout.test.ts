import { describe, expect, it } from 'vitest'
import { VaultClient } from '../../api/client'
import { checkOut, loadRoleDetails } from './checkout'
import { discoverRoles } from './roles'

type Answer = [number, unknown]

/**
 * A client answering by `METHOD path`, recording the requests in order (capability questions
 * apart). With `caps`, `sys/capabilities-self` answers from it (`deny` for other paths);
 * without, that question fails and the page tries everything.
 */
function serving(answers: Record<string, Answer>, caps?: Record<string, string[]>) {
  const seen: string[] = []
  const bodies: unknown[] = []
  const asked: string[][] = []
  const client = new VaultClient(async ({ method, path, body }) => {
    if (path === 'sys/capabilities-self' && caps) {
      const paths = (body as { paths: string[] }).paths
      asked.push(paths)
      return { status: 200, body: { data: Object.fromEntries(paths.map((p) => [p, caps[p] ?? ['deny']])) } }
    }
    seen.push(`${method} ${path}`)
    if (body !== undefined) bodies.push(body)
    const [status, reply] = answers[`${method} ${path}`] ?? [404, { errors: [] }]
    return { status, body: reply }
  })
  return { client, seen, bodies, asked }
}

const denied: Answer = [403, { errors: ['1 error occurred:\n\t* permission denied\n\n'] }]
const readonly = { mount: 'database/', name: 'readonly' }
const mount = { path: 'database/', defaultLeaseTtl: 0, maxLeaseTtl: 0 }
const creds: Answer = [
  200,
  { lease_id: 'database/creds/readonly/abc', lease_duration: 3600, renewable: true, data: { username: 'v-tok-readonly-x', password: 'pw/1' } },
]

describe('loadRoleDetails', () => {
  it('reads the limits and the connection URL', async () => {
    const { client, seen, asked } = serving(
      {
        'GET database/roles/readonly': [200, { data: { db_name: 'pg', default_ttl: 3600, max_ttl: 86400 } }],
        'GET database/config/pg': [200, { data: { connection_details: { connection_url: 'host=h dbname=d' } } }],
      },
      { 'database/roles/readonly': ['read', 'update'], 'database/config/pg': ['root'] },
    )
    expect(await loadRoleDetails(client, readonly, mount)).toEqual({
      limits: { defaultTtl: 3600, maxTtl: 86400 },
      connectionUrl: 'host=h dbname=d',
    })
    expect(seen).toEqual(['GET database/roles/readonly', 'GET database/config/pg'])
    expect(asked).toEqual([['database/roles/readonly'], ['database/config/pg']])
  })

  it('asks before reading, and says why there is no URI', async () => {
    const apps = serving({}, { 'database/creds/readonly': ['read'] })
    expect(await loadRoleDetails(apps.client, readonly, mount)).toEqual({
      noUri: 'Your token may not read database/roles/readonly, so the database host is not known here: connect with the username and password.',
    })
    expect(apps.asked).toEqual([['database/roles/readonly']])
    expect(apps.seen).toEqual([])

    const noConfig = serving(
      { 'GET database/roles/readonly': [200, { data: { db_name: 'pg', default_ttl: 600, max_ttl: 0 } }] },
      { 'database/roles/readonly': ['read'] },
    )
    expect(await loadRoleDetails(noConfig.client, readonly, mount)).toEqual({
      limits: { defaultTtl: 600 },
      noUri: 'Your token may not read database/config/pg, so the database host is not known here: connect with the username and password.',
    })
    expect(noConfig.seen).toEqual(['GET database/roles/readonly'])
  })

  it("passes on the server's refusal or error when it could not be asked", async () => {
    const refused = serving({ 'GET database/roles/readonly': denied })
    expect((await loadRoleDetails(refused.client, readonly, mount)).noUri).toBe(
      'Your token may not read database/roles/readonly, so the database host is not known here: connect with the username and password.',
    )
    const broken = serving({
      'GET database/roles/readonly': [200, { data: { db_name: 'pg', default_ttl: 600, max_ttl: 0 } }],
      'GET database/config/pg': [500, { errors: ['storage unavailable'] }],
    })
    expect((await loadRoleDetails(broken.client, readonly, mount)).noUri).toBe(
      'database/config/pg could not be read (storage unavailable), so the database host is not known here: connect with the username and password.',
    )
  })
})

describe('checkOut', () => {
  const details = Promise.resolve({ limits: { defaultTtl: 3600, maxTtl: 86400 }, connectionUrl: 'postgresql://{{username}}:{{password}}@h:5432/d' })

  it('reads the creds only, for the default TTL', async () => {
    const { client, seen } = serving({ 'GET database/creds/readonly': creds })
    const { checkout, renewError } = await checkOut(client, readonly, undefined, details)
    expect(seen).toEqual(['GET database/creds/readonly'])
    expect(renewError).toBeUndefined()
    expect(checkout).toEqual({
      role: readonly,
      leaseId: 'database/creds/readonly/abc',
      username: 'v-tok-readonly-x',
      password: 'pw/1',
      uri: 'postgresql://v-tok-readonly-x:pw%2F1@h:5432/d',
      duration: 3600,
      renewable: true,
      ttl: 3600,
    })
  })

  it('then renews with the chosen TTL, and keeps the cap warning', async () => {
    const { client, seen, bodies } = serving({
      'GET database/creds/readonly': creds,
      'PUT sys/leases/renew': [
        200,
        { lease_id: 'database/creds/readonly/abc', lease_duration: 5000, renewable: true, warnings: ['TTL of "2h0m0s" exceeded the effective max_ttl of "1h23m20s"; TTL value is capped accordingly'] },
      ],
    })
    const { checkout } = await checkOut(client, readonly, 7200, details)
    expect(seen).toEqual(['GET database/creds/readonly', 'PUT sys/leases/renew'])
    expect(bodies).toEqual([{ lease_id: 'database/creds/readonly/abc', increment: 7200 }])
    expect(checkout).toMatchObject({ duration: 5000, ttl: 7200, warning: expect.stringContaining('capped') })
  })

  it('keeps the credential when the renewal fails', async () => {
    const { client } = serving({ 'GET database/creds/readonly': creds, 'PUT sys/leases/renew': [400, { errors: ['lease not found'] }] })
    const { checkout, renewError } = await checkOut(client, readonly, 7200, details)
    expect(checkout).toMatchObject({ duration: 3600, ttl: 7200, password: 'pw/1' })
    expect(renewError).toBe('Setting the TTL failed, so the credential keeps the default TTL: lease not found')
  })

  it('gives the reason instead of a URI when the host is unknown', async () => {
    const { client } = serving({ 'GET database/creds/readonly': creds })
    const { checkout } = await checkOut(client, readonly, undefined, Promise.resolve({ noUri: 'No host.' }))
    expect(checkout.uri).toBeUndefined()
    expect(checkout.noUri).toBe('No host.')
    expect(checkout.ttl).toBe(3600)
  })

  it("passes the core's error on, with its message", async () => {
    const { client } = serving({ 'GET database/creds/readonly': [400, { errors: ['unknown role: readonly'] }] })
    await expect(checkOut(client, readonly, undefined, details)).rejects.toThrow('unknown role: readonly')
  })
})

describe('discoverRoles', () => {
  const mounts: Answer = [200, { data: { secret: { 'database/': { type: 'database', config: { default_lease_ttl: 0, max_lease_ttl: 0 } } } } }]

  it('lists the roles of each mount for a token that may', async () => {
    const { client, asked } = serving(
      {
        'GET sys/internal/ui/mounts': mounts,
        'GET database/roles?list=true': [200, { data: { keys: ['writer', 'readonly'] } }],
        'GET sys/internal/ui/resultant-acl': [200, { data: { root: true, exact_paths: {}, glob_paths: {} } }],
      },
      { 'database/roles': ['root'], 'database/roles/': ['root'] },
    )
    expect(await discoverRoles(client)).toEqual({
      mounts: [mount],
      roles: [readonly, { mount: 'database/', name: 'writer' }],
      notes: [],
    })
    expect(asked).toEqual([['database/roles', 'database/roles/']])
  })

  it("offers an apps token the creds path its policy names, and says it may not list", async () => {
    const { client, seen } = serving(
      {
        'GET sys/internal/ui/mounts': mounts,
        'GET sys/internal/ui/resultant-acl': [
          200,
          { data: { root: false, exact_paths: { 'database/creds/readonly': { capabilities: ['read'] } }, glob_paths: {} } },
        ],
      },
      { 'database/creds/readonly': ['read'] },
    )
    expect(await discoverRoles(client)).toEqual({
      mounts: [mount],
      roles: [readonly],
      notes: [
        'Your token may not list the roles of database/: the roles offered are the ones its policies name; type another under “Role not listed?”.',
      ],
    })
    expect(seen).toEqual(['GET sys/internal/ui/mounts', 'GET sys/internal/ui/resultant-acl'])
  })

  it('tries the list when the capabilities cannot be asked, and reports its error', async () => {
    const { client } = serving({
      'GET sys/internal/ui/mounts': mounts,
      'GET database/roles?list=true': [500, { errors: ['storage unavailable'] }],
    })
    expect(await discoverRoles(client)).toEqual({
      mounts: [mount],
      roles: [],
      notes: ['The roles of database/ could not be listed: storage unavailable'],
    })
  })
})
