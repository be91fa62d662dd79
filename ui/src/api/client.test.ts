import { describe, expect, it } from 'vitest'
import { VaultClient, VaultError, errorsOf, fieldOf } from './client'
import { httpTransport, ipcError } from './transports'
import type { ApiReply } from './types'
import { isDesktop } from '../platform'

describe('errorsOf', () => {
  it('reads Vault error lists and ignores other shapes', () => {
    expect(errorsOf({ errors: ['Vault is sealed'] })).toEqual(['Vault is sealed'])
    expect(errorsOf({ errors: [] })).toEqual([])
    expect(errorsOf({ data: {} })).toEqual([])
    expect(errorsOf(null)).toEqual([])
  })
})

describe('VaultClient', () => {
  it('resolves 2xx bodies and sends the token', async () => {
    const seen: unknown[] = []
    const client = new VaultClient(async (req) => {
      seen.push(req)
      return { status: 200, body: { sealed: true, t: 3, n: 5 } } satisfies ApiReply
    }, 'hvs.abc')
    await expect(client.sealStatus()).resolves.toMatchObject({ sealed: true, t: 3, n: 5 })
    expect(seen).toEqual([{ method: 'GET', path: 'sys/seal-status', token: 'hvs.abc', body: undefined }])
  })

  it('rejects error answers with their status and messages', async () => {
    const client = new VaultClient(async () => ({ status: 503, body: { errors: ['Vault is sealed'] } }))
    const error = await client.request('GET', 'secret/x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VaultError)
    expect((error as VaultError).status).toBe(503)
    expect((error as VaultError).message).toBe('Vault is sealed')
  })

  it('names the status when the error list is empty (404 for a missing secret)', async () => {
    const client = new VaultClient(async () => ({ status: 404, body: { errors: [] } }))
    await expect(client.request('GET', 'secret/missing')).rejects.toThrow('HTTP 404')
  })
})

describe('setup errors', () => {
  it('carry the field at fault when the answer names one', async () => {
    const client = new VaultClient(async () => ({ status: 400, body: { errors: ['no such region'], field: 'storage.region' } }))
    const error = (await client.saveConfig({ type: 'local' }, { type: 'shamir' }, true).catch((e: unknown) => e)) as VaultError
    expect(error.field).toBe('storage.region')
    expect(error.message).toBe('no such region')
    expect(fieldOf({ errors: [] })).toBeUndefined()
    expect(fieldOf({ errors: [], field: '' })).toBeUndefined()
  })
})

describe('VaultClient endpoints', () => {
  /** A client that records requests and answers each with the next body. */
  function recording(...bodies: unknown[]) {
    const seen: { method: string; path: string; body?: unknown }[] = []
    const client = new VaultClient(async ({ method, path, body }) => {
      seen.push(body === undefined ? { method, path } : { method, path, body })
      return { status: 200, body: bodies.shift() ?? null }
    })
    return { client, seen }
  }

  it('sends unseal or recovery share counts by seal type', async () => {
    const { client, seen } = recording({}, {})
    await client.init('shamir', 5, 3)
    await client.init('awskms', 4, 2)
    expect(seen).toEqual([
      { method: 'PUT', path: 'sys/init', body: { secret_shares: 5, secret_threshold: 3 } },
      { method: 'PUT', path: 'sys/init', body: { recovery_shares: 4, recovery_threshold: 2 } },
    ])
  })

  it('unwraps the envelope of logical endpoints', async () => {
    const { client, seen } = recording(
      { data: { terraform: 'resource {}' } },
      { data: { table: { name: 'vault' } } },
      { data: { key_arn: 'k', iam_policy: {}, key_policy: null } },
      { data: { key_arn: 'k', iam_policy: {}, key_policy: {} } },
    )
    expect(await client.terraform()).toBe('resource {}')
    expect(await client.updateStorage({ billing_mode: 'PAY_PER_REQUEST' })).toEqual({ name: 'vault' })
    expect((await client.kmsPolicies('')).key_policy).toBeNull()
    await client.kmsPolicies('arn:aws:iam::1:role/a b')
    expect(seen.map((r) => r.path)).toEqual([
      'sys/storage/dynamodb/terraform',
      'sys/storage/dynamodb',
      'sys/seal/awskms/policy',
      'sys/seal/awskms/policy?key_users=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b',
    ])
  })

  it('sends setup bodies as given', async () => {
    const { client, seen } = recording({}, {})
    await client.testStorage({ type: 'local' })
    await client.unseal('share')
    expect(seen).toEqual([
      { method: 'POST', path: 'sys/setup/storage/test', body: { type: 'local' } },
      { method: 'PUT', path: 'sys/unseal', body: { key: 'share' } },
    ])
  })
})

describe('httpTransport', () => {
  it('maps requests onto /v1 with X-Vault-Token and JSON bodies', async () => {
    const calls: [string, RequestInit][] = []
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push([url, init])
      return new Response(init.method === 'PUT' ? null : '{"ok":true}', { status: init.method === 'PUT' ? 204 : 200 })
    }) as unknown as typeof fetch
    const transport = httpTransport('http://127.0.0.1:8200', fakeFetch)
    expect(await transport({ method: 'PUT', path: 'secret/a', token: 't', body: { k: 'v' } })).toEqual({ status: 204, body: null })
    expect(await transport({ method: 'GET', path: 'sys/health' })).toEqual({ status: 200, body: { ok: true } })
    expect(calls[0]).toEqual([
      'http://127.0.0.1:8200/v1/secret/a',
      { method: 'PUT', headers: { 'X-Vault-Token': 't', 'Content-Type': 'application/json' }, body: '{"k":"v"}' },
    ])
    expect(calls[1]?.[1].headers).toEqual({})
  })
})

describe('platform', () => {
  it('detects the desktop shell by its IPC bridge', () => {
    expect(isDesktop({ __TAURI_INTERNALS__: {} })).toBe(true)
    expect(isDesktop({})).toBe(false)
  })
})

describe('ipcError', () => {
  it('turns the shell\'s tagged errors into readable Errors', () => {
    const error = ipcError({ kind: 'startup', message: 'strongroom.hcl:2: unknown key "pth"' })
    expect(error.message).toBe('strongroom.hcl:2: unknown key "pth"')
    expect(error.name).toBe('startup')
    expect(ipcError('plain text').message).toBe('plain text')
    const original = new Error('x')
    expect(ipcError(original)).toBe(original)
  })
})
