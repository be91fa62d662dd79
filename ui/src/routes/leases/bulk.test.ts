import { describe, expect, it } from 'vitest'
import { VaultClient } from '../../api/client'
import { revokeLease } from '../../api/leases'
import { runBounded, type BulkProgress } from './bulk'

/**
 * A client whose revocations settle when the test says so, failing for ids in `failing`
 * with Vault's error body; it records how many were in flight at most.
 */
function fakeClient(failing: Set<string>) {
  let inFlight = 0
  const stats = { peak: 0, sent: [] as string[] }
  const client = new VaultClient(async ({ body }) => {
    const id = (body as { lease_id: string }).lease_id
    stats.sent.push(id)
    inFlight += 1
    stats.peak = Math.max(stats.peak, inFlight)
    await new Promise((resolve) => setTimeout(resolve, 1 + (id.length % 3)))
    inFlight -= 1
    if (failing.has(id)) return { status: 400, body: { errors: [`failed to revoke ${id}: connection refused`] } }
    return { status: 204, body: null }
  })
  return { client, stats }
}

const ids = Array.from({ length: 50 }, (_, i) => `database/creds/ro/${String(i).padStart(2, '0')}`)

describe('runBounded', () => {
  it('revokes every lease with at most `limit` requests in flight', async () => {
    const { client, stats } = fakeClient(new Set())
    const seen: BulkProgress[] = []
    const done = await runBounded(ids, 8, (id) => revokeLease(client, id), (p) => seen.push(p))
    expect(done).toEqual({ total: 50, succeeded: 50, failed: [] })
    expect(stats.peak).toBe(8)
    expect([...stats.sent].sort()).toEqual(ids)
    expect(seen.map((p) => p.succeeded)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
  })

  it('keeps going past failures and reports them in id order with their message', async () => {
    const failing = new Set([ids[31] as string, ids[3] as string])
    const { client } = fakeClient(failing)
    const seen: BulkProgress[] = []
    const done = await runBounded(ids, 8, (id) => revokeLease(client, id), (p) => seen.push(p))
    expect(done.succeeded).toBe(48)
    expect(done.failed).toEqual([
      { id: ids[3], error: `failed to revoke ${ids[3]}: connection refused` },
      { id: ids[31], error: `failed to revoke ${ids[31]}: connection refused` },
    ])
    const last = seen.at(-1)
    expect(last && last.succeeded + last.failed.length).toBe(50)
  })

  it('never starts more workers than leases, and handles none', async () => {
    const { client, stats } = fakeClient(new Set())
    await runBounded(ids.slice(0, 3), 8, (id) => revokeLease(client, id))
    expect(stats.peak).toBe(3)
    await expect(runBounded([], 8, () => Promise.resolve())).resolves.toEqual({ total: 0, succeeded: 0, failed: [] })
  })

  it('runs one at a time with a limit of 1', async () => {
    const { client, stats } = fakeClient(new Set())
    await runBounded(ids.slice(0, 5), 1, (id) => revokeLease(client, id))
    expect(stats.peak).toBe(1)
    expect(stats.sent).toEqual(ids.slice(0, 5))
  })
})
