import { describe, expect, it } from 'vitest'
import { deletePolicy, listPolicies, normalizePolicyName, policyNameProblem, policyPath, readPolicy, writePolicy } from './policies'
import { recordingClient } from './testing'

describe('policy API', () => {
  it('lists with GET ?list=true and reads data.keys', async () => {
    const { client, seen } = recordingClient({ status: 200, body: { data: { keys: ['apps', 'default', 'root'] } } })
    await expect(listPolicies(client)).resolves.toEqual(['apps', 'default', 'root'])
    expect(seen).toEqual([{ method: 'GET', path: 'sys/policies/acl?list=true', body: undefined }])
  })

  it('reads data.policy, encoding the name in the URL only', async () => {
    const { client, seen } = recordingClient({ status: 200, body: { data: { name: 'a b', policy: 'path "x" {}' } } })
    await expect(readPolicy(client, 'a b')).resolves.toBe('path "x" {}')
    expect(seen[0]?.path).toBe('sys/policies/acl/a%20b')
    expect(policyPath('a b')).toBe('sys/policies/acl/a b')
  })

  it('writes {policy} with PUT and returns the warnings (none on 204)', async () => {
    const warned = recordingClient({ status: 200, body: { data: null, warnings: ['policy name was converted to apps2'] } })
    await expect(writePolicy(warned.client, 'Apps2', 'path "a" {}')).resolves.toEqual(['policy name was converted to apps2'])
    expect(warned.seen).toEqual([{ method: 'PUT', path: 'sys/policies/acl/Apps2', body: { policy: 'path "a" {}' } }])
    const quiet = recordingClient({ status: 204, body: null })
    await expect(writePolicy(quiet.client, 'apps', 'x')).resolves.toEqual([])
  })

  it('deletes with DELETE and passes the core refusal on', async () => {
    const { client, seen } = recordingClient({ status: 400, body: { errors: ['cannot delete "default" policy'] } })
    await expect(deletePolicy(client, 'default')).rejects.toThrow('cannot delete "default" policy')
    expect(seen).toEqual([{ method: 'DELETE', path: 'sys/policies/acl/default', body: undefined }])
  })
})

describe('policy names', () => {
  it('are checked by the core rules before saving', () => {
    expect(normalizePolicyName('  My-Policy ')).toBe('my-policy')
    expect(policyNameProblem('apps')).toBeUndefined()
    expect(policyNameProblem('  ')).toBe('Enter a name.')
    expect(policyNameProblem('a b')).toBe('A name cannot contain spaces or "..".')
    expect(policyNameProblem('../x')).toBe('A name cannot contain spaces or "..".')
    expect(policyNameProblem('Root')).toBe('root is built in and cannot be written.')
  })
})
