import { describe, expect, it } from 'vitest'
import { listKeys } from './list'
import { recordingClient } from './testing'

describe('listKeys', () => {
  it('lists with GET ?list=true, sorted', async () => {
    const { client, seen } = recordingClient({ status: 200, body: { data: { keys: ['writer', 'app-b', 'readonly'] } } })
    expect(await listKeys(client, 'database/roles')).toEqual(['app-b', 'readonly', 'writer'])
    expect(seen).toEqual([{ method: 'GET', path: 'database/roles?list=true', body: undefined }])
  })

  it("takes Vault's 404 and a reply without keys for an empty list", async () => {
    const { client } = recordingClient({ status: 404, body: { errors: [] } }, { status: 200, body: { data: {} } })
    expect(await listKeys(client, 'database/config')).toEqual([])
    expect(await listKeys(client, 'database/config')).toEqual([])
  })

  it('passes a refusal on', async () => {
    const { client } = recordingClient({ status: 403, body: { errors: ['permission denied'] } })
    await expect(listKeys(client, 'sys/policies/acl')).rejects.toMatchObject({ status: 403, message: 'permission denied' })
  })
})
