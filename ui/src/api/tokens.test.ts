import { describe, expect, it } from 'vitest'
import { recordingClient } from './testing'
import { createToken, lookupAccessor, lookupSelf, revokeAccessor } from './tokens'

const AUTH = {
  client_token: 'hvs.rnR42QisLLdGtbpK5KHCIsok',
  accessor: 'Dgm0PUITUb17JmHG5KuMqMu7',
  policies: ['apps', 'default'],
  token_policies: ['apps', 'default'],
  lease_duration: 3600,
  renewable: true,
  orphan: false,
  num_uses: 0,
}

describe('token API', () => {
  it('creates with POST auth/token/create and returns the auth block', async () => {
    const { client, seen } = recordingClient({ status: 200, body: { auth: AUTH, data: null } })
    await expect(createToken(client, { policies: ['apps'], ttl: '1h', renewable: true })).resolves.toEqual(AUTH)
    expect(seen).toEqual([{ method: 'POST', path: 'auth/token/create', body: { policies: ['apps'], ttl: '1h', renewable: true } }])
  })

  it('looks itself up with GET and others by accessor with POST', async () => {
    const data = { accessor: 'a', display_name: 'root', policies: ['root'], ttl: 0, expire_time: null }
    const self = recordingClient({ status: 200, body: { data } })
    await expect(lookupSelf(self.client)).resolves.toEqual(data)
    expect(self.seen).toEqual([{ method: 'GET', path: 'auth/token/lookup-self', body: undefined }])
    const other = recordingClient({ status: 200, body: { data } })
    await lookupAccessor(other.client, 'acc')
    expect(other.seen).toEqual([{ method: 'POST', path: 'auth/token/lookup-accessor', body: { accessor: 'acc' } }])
  })

  it('revokes by accessor and passes "invalid accessor" on', async () => {
    const ok = recordingClient({ status: 204, body: null })
    await revokeAccessor(ok.client, 'Dgm0')
    expect(ok.seen).toEqual([{ method: 'POST', path: 'auth/token/revoke-accessor', body: { accessor: 'Dgm0' } }])
    const bad = recordingClient({ status: 400, body: { errors: ['invalid accessor'] } })
    await expect(revokeAccessor(bad.client, 'nope')).rejects.toThrow('invalid accessor')
  })
})
