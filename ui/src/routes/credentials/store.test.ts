import { describe, expect, it } from 'vitest'
import { underPrefix } from '../../lib/leaseEvents'
import { createCheckoutStore, warnAt, type NewCheckout, type Timers } from './store'

/** The id of a credential the store took (it refuses only after a clear). */
function held(id: number | undefined): number {
  if (id === undefined) throw new Error('the store refused the checkout')
  return id
}

/** Timers run by hand: `advance(ms)` moves the clock and runs what falls due, in order. */
function manualTimers(start: number) {
  let now = start
  let nextHandle = 1
  const pending = new Map<number, { at: number; callback: () => void }>()
  const timers: Timers & { advance(ms: number): void; pending(): number } = {
    now: () => now,
    setTimeout(callback, ms) {
      const handle = nextHandle++
      pending.set(handle, { at: now + ms, callback })
      return handle
    },
    clearTimeout(handle) {
      pending.delete(handle as number)
    },
    advance(ms) {
      const end = now + ms
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
        if (!due) break
        pending.delete(due[0])
        now = due[1].at
        due[1].callback()
      }
      now = end
    },
    pending: () => pending.size,
  }
  return timers
}

const START = Date.UTC(2026, 0, 2, 12, 0, 0)

const credential: NewCheckout = {
  role: { mount: 'database/', name: 'readonly' },
  leaseId: 'database/creds/readonly/abc',
  username: 'v-root-readonly-x',
  password: 'S3cret-pw',
  uri: 'postgresql://v-root-readonly-x:S3cret-pw@h:5432/db',
  duration: 3600,
  renewable: true,
  ttl: 3600,
}

function setup() {
  const timers = manualTimers(START)
  const store = createCheckoutStore(timers)
  const sent: { title: string; body: string }[] = []
  const notify = async (title: string, body: string) => {
    sent.push({ title, body })
  }
  return { timers, store, sent, notify }
}

describe('warnAt', () => {
  it('is 2 minutes or 10 % before expiry, whichever is sooner', () => {
    expect(warnAt({ expiresAt: 1_000_000, duration: 3600 })).toBe(1_000_000 - 120_000)
    expect(warnAt({ expiresAt: 1_000_000, duration: 600 })).toBe(1_000_000 - 60_000)
  })
})

describe('checkout store', () => {
  it('holds a checkout, newest first, with its expiry from now', () => {
    const { store, notify } = setup()
    const first = store.add(credential, notify)
    const second = store.add({ ...credential, leaseId: 'database/creds/readonly/def', duration: 60 }, notify)
    const { checkouts } = store.getSnapshot()
    expect(checkouts.map((c) => c.id)).toEqual([second, first])
    expect(checkouts[1]).toMatchObject({
      status: 'active',
      expiresAt: START + 3_600_000,
      notified: false,
      secret: { password: 'S3cret-pw', uri: credential.uri },
    })
    expect(checkouts[1]).not.toHaveProperty('password')
  })

  it('warns once, at the right time, without the password; then expires and wipes the secret', async () => {
    const { store, timers, sent, notify } = setup()
    const id = held(store.add(credential, notify))
    timers.advance(3_600_000 - 120_001)
    expect(sent).toEqual([])
    timers.advance(1)
    expect(sent).toHaveLength(1)
    expect(sent[0]?.title).toBe('Database credential expires soon')
    expect(sent[0]?.body).toContain('readonly')
    expect(sent[0]?.body).toContain('v-root-readonly-x')
    expect(sent[0]?.body).toContain('in 2 min')
    expect(sent[0]?.body).not.toContain('S3cret-pw')
    expect(store.getSnapshot().checkouts[0]?.notified).toBe(true)

    timers.advance(119_999)
    expect(store.getSnapshot().checkouts[0]?.status).toBe('active')
    timers.advance(1)
    const expired = store.getSnapshot().checkouts[0]
    expect(expired?.id).toBe(id)
    expect(expired?.status).toBe('expired')
    expect(expired?.secret).toBeUndefined()
    expect(sent).toHaveLength(1)
    expect(timers.pending()).toBe(0)
  })

  it('renews from now, warns again before the new expiry, and shows the cap warning', () => {
    const { store, timers, sent, notify } = setup()
    const id = held(store.add(credential, notify))
    timers.advance(3_500_000) // past the warning
    expect(sent).toHaveLength(1)
    store.renewed(id, 1800, 'TTL of "2h0m0s" exceeded the effective max_ttl')
    const renewed = store.getSnapshot().checkouts[0]
    expect(renewed?.expiresAt).toBe(START + 3_500_000 + 1_800_000)
    expect(renewed?.warning).toBe('TTL of "2h0m0s" exceeded the effective max_ttl')
    timers.advance(1_800_000 - 120_001)
    expect(sent).toHaveLength(1)
    timers.advance(1) // 2 minutes before the new expiry
    expect(sent).toHaveLength(2)
    timers.advance(119_999)
    expect(sent).toHaveLength(2)
    expect(store.getSnapshot().checkouts[0]?.status).toBe('active')
    timers.advance(1)
    expect(store.getSnapshot().checkouts[0]?.status).toBe('expired')
  })

  it('moves the warning when renewed before it', () => {
    const { store, timers, sent, notify } = setup()
    const id = held(store.add({ ...credential, duration: 600 }, notify))
    timers.advance(300_000)
    store.renewed(id, 3600, undefined)
    timers.advance(600_000)
    expect(sent).toEqual([])
    timers.advance(3_000_000 - 120_000)
    expect(sent).toHaveLength(1)
  })

  it('returns: wipes the secret, stops the timers, and stays until removed', () => {
    const { store, timers, sent, notify } = setup()
    const id = held(store.add(credential, notify))
    store.leasesEnded((lease) => lease === credential.leaseId)
    const returned = store.getSnapshot().checkouts[0]
    expect(returned?.status).toBe('returned')
    expect(returned?.secret).toBeUndefined()
    expect(returned?.username).toBe('v-root-readonly-x')
    expect(timers.pending()).toBe(0)
    timers.advance(7_200_000)
    expect(sent).toEqual([])
    expect(store.getSnapshot().checkouts[0]?.status).toBe('returned')
    store.renewed(id, 3600, undefined)
    expect(store.getSnapshot().checkouts[0]?.status).toBe('returned')
    store.remove(id)
    expect(store.getSnapshot().checkouts).toEqual([])
  })

  it('re-arms long timers in steps rather than overflowing setTimeout', () => {
    const { store, timers, sent, notify } = setup()
    store.add({ ...credential, duration: 40 * 86400 }, notify)
    timers.advance(3_600_000)
    expect(timers.pending()).toBe(1)
    timers.advance(40 * 86_400_000 - 3_600_000 - 120_000)
    expect(sent).toHaveLength(1)
  })

  it('reports the first failed notification once, until dismissed', async () => {
    const { store, timers } = setup()
    let calls = 0
    const refuse = async () => {
      calls += 1
      throw new Error('Notifications are blocked for this page')
    }
    store.add(credential, refuse)
    store.add({ ...credential, leaseId: 'database/creds/readonly/def' }, refuse)
    timers.advance(3_600_000 - 120_000)
    await Promise.resolve()
    await Promise.resolve()
    expect(calls).toBe(2)
    expect(store.getSnapshot().notifyFailure).toBe('Notifications are blocked for this page')
    store.dismissNotifyFailure()
    expect(store.getSnapshot().notifyFailure).toBeUndefined()
    store.add(credential, refuse)
    timers.advance(3_600_000)
    await Promise.resolve()
    await Promise.resolve()
    expect(calls).toBe(3)
    expect(store.getSnapshot().notifyFailure).toBeUndefined()
  })

  it('clears everything at sign-out: secrets dropped, timers stopped, no warning later', async () => {
    const { store, timers, sent, notify } = setup()
    let changes = 0
    store.subscribe(() => (changes += 1))
    store.add(credential, notify)
    store.add({ ...credential, leaseId: 'database/creds/readonly/def', duration: 60 }, async () => {
      throw new Error('blocked')
    })
    timers.advance(55_000)
    await Promise.resolve()
    await Promise.resolve()
    expect(store.getSnapshot().notifyFailure).toBe('blocked')
    expect(timers.pending()).toBe(2)
    const before = changes
    store.clear()
    expect(store.getSnapshot()).toEqual({ checkouts: [] })
    expect(JSON.stringify(store.getSnapshot())).not.toContain('S3cret-pw')
    expect(timers.pending()).toBe(0)
    expect(changes).toBe(before + 1)
    timers.advance(7_200_000)
    expect(sent).toEqual([])
    expect(store.getSnapshot()).toEqual({ checkouts: [] })
  })

  it('tells subscribers of every change, and records the display time once', () => {
    const { store, notify } = setup()
    let changes = 0
    const unsubscribe = store.subscribe(() => (changes += 1))
    const id = held(store.add({ ...credential, clickedAt: 100 }, notify))
    store.displayed(id, 42.5)
    store.displayed(id, 99)
    expect(store.getSnapshot().checkouts[0]?.checkoutMs).toBe(42.5)
    expect(changes).toBe(2)
    unsubscribe()
    store.leasesEnded((lease) => lease === credential.leaseId)
    expect(changes).toBe(2)
  })

  it('does not take a checkout started before a clear (signed out or sealed meanwhile)', () => {
    const { store, notify } = setup()
    const started = store.session()
    store.clear()
    expect(store.add(credential, notify, started)).toBeUndefined()
    expect(store.getSnapshot().checkouts).toEqual([])
    expect(store.add(credential, notify, store.session())).toBeTypeOf('number')
  })

  it('ends the credentials whose leases were revoked elsewhere, and only those', () => {
    const { store, timers, notify } = setup()
    store.add({ ...credential, leaseId: 'database/creds/readonly/a' }, notify)
    store.add({ ...credential, leaseId: 'database/creds/other/b' }, notify)
    store.leasesEnded(underPrefix('database/creds/readonly'))
    const [other, readonly] = store.getSnapshot().checkouts
    expect(readonly?.status).toBe('returned')
    expect(readonly?.secret).toBeUndefined()
    expect(other?.status).toBe('active')
    expect(timers.pending()).toBe(1)
  })
})
