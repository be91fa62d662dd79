import { useSyncExternalStore } from 'react'
import type { RoleRef } from '../../api/credentials'
import { formatSpan } from '../../lib/duration'
import { messageOf } from '../../lib/format'
import { onLeasesEnded } from '../../lib/leaseEvents'
import { formatClock, secondsLeft } from './ttl'

/**
 * The credentials checked out in this window. Module-level and in memory only (never storage
 * or disk): they outlive the page, so leaving it and coming back keeps them, and the store
 * owns the timers, so the expiry warning fires while another page is shown. A reload loses
 * them, which is the point: a password is shown once.
 */

/** The clock and timers, injectable so tests can run time by hand. */
export interface Timers {
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** Sends an OS notification; rejects when it cannot (permission denied). */
export type Notifier = (title: string, body: string) => Promise<void>

export type CheckoutStatus = 'active' | 'returned' | 'expired'

/** The password and what embeds it: dropped when the credential is returned or expires. */
export interface Secret {
  password: string
  uri?: string
}

export interface Checkout {
  readonly id: number
  readonly role: RoleRef
  readonly leaseId: string
  /** Not secret: notifications and the lease dashboard name it too. */
  readonly username: string
  readonly status: CheckoutStatus
  /** The increment renewals ask for: the TTL chosen at checkout. */
  readonly ttl: number
  readonly renewable: boolean
  /** Epoch milliseconds, from this machine's clock when the answer came. */
  readonly expiresAt: number
  /** The current grant's length in seconds, for the "10 % left" warning. */
  readonly duration: number
  readonly notified: boolean
  /** The core's warning on the last TTL change (capped at the max TTL). */
  readonly warning?: string
  /** Why there is no connection URI. */
  readonly noUri?: string
  /** `performance.now()` of the click, and then the ms until the credential was on screen. */
  readonly clickedAt?: number
  readonly checkoutMs?: number
  readonly secret: Secret | undefined
}

export interface NewCheckout {
  role: RoleRef
  leaseId: string
  username: string
  password: string
  uri?: string
  noUri?: string
  /** The lease's TTL in seconds as answered. */
  duration: number
  renewable: boolean
  ttl: number
  warning?: string
  clickedAt?: number
}

export interface CheckoutSnapshot {
  checkouts: readonly Checkout[]
  /** Why the first expiry notification failed; set once per session, cleared by dismissing. */
  notifyFailure?: string
}

/**
 * Timers wait at most this long before looking again: setTimeout overflows past 24.8 days,
 * and a machine that slept past an expiry must not show the credential as live for long.
 */
const MAX_DELAY_MS = 10_000

/** When to warn: 2 minutes or 10 % of the grant before expiry, whichever is sooner. */
export function warnAt(checkout: Pick<Checkout, 'expiresAt' | 'duration'>): number {
  return checkout.expiresAt - Math.min(120, checkout.duration / 10) * 1000
}

export function createCheckoutStore(timers: Timers) {
  let snapshot: CheckoutSnapshot = { checkouts: [] }
  let nextId = 1
  /** Bumped by `clear()`: a checkout started before it must not come back after it. */
  let session = 0
  let notifyFailed = false
  const listeners = new Set<() => void>()
  const handles = new Map<number, unknown>()
  const notifiers = new Map<number, Notifier>()

  const publish = (next: CheckoutSnapshot) => {
    snapshot = next
    for (const listener of listeners) listener()
  }

  const find = (id: number) => snapshot.checkouts.find((c) => c.id === id)

  const update = (id: number, change: Partial<Checkout>) => {
    publish({ ...snapshot, checkouts: snapshot.checkouts.map((c) => (c.id === id ? { ...c, ...change } : c)) })
  }

  const disarm = (id: number) => {
    if (handles.has(id)) timers.clearTimeout(handles.get(id))
    handles.delete(id)
  }

  /** Secrets go with the state that held them; the timers and notifier are no longer needed. */
  const end = (id: number, status: CheckoutStatus) => {
    disarm(id)
    notifiers.delete(id)
    update(id, { status, secret: undefined })
  }

  const warn = (checkout: Checkout, now: number) => {
    const notify = notifiers.get(checkout.id)
    if (!notify) return
    const left = formatSpan(secondsLeft(checkout.expiresAt, now))
    const body = `The ${checkout.role.name} credential (PostgreSQL user ${checkout.username}) expires at ${formatClock(checkout.expiresAt, now)}, in ${left}. Renew it in Strongroom to keep it.`
    notify('Database credential expires soon', body).catch((e: unknown) => {
      if (notifyFailed) return
      notifyFailed = true
      publish({ ...snapshot, notifyFailure: messageOf(e) })
    })
  }

  /** Expires, warns, or waits for whichever comes next. */
  const tick = (id: number) => {
    disarm(id)
    let checkout = find(id)
    if (!checkout || checkout.status !== 'active') return
    const now = timers.now()
    if (now >= checkout.expiresAt) {
      end(id, 'expired')
      return
    }
    if (!checkout.notified && now >= warnAt(checkout)) {
      update(id, { notified: true })
      checkout = { ...checkout, notified: true }
      warn(checkout, now)
    }
    const next = checkout.notified ? checkout.expiresAt : warnAt(checkout)
    handles.set(
      id,
      timers.setTimeout(() => tick(id), Math.min(next - now, MAX_DELAY_MS)),
    )
  }

  return {
    subscribe(listener: () => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    getSnapshot(): CheckoutSnapshot {
      return snapshot
    },

    /** The session a checkout starts in; `add` takes it back. */
    session(): number {
      return session
    },

    /**
     * Holds a new credential (newest first) and arms its timers; undefined, holding nothing,
     * when the store was cleared since `startedIn` (signed out or sealed meanwhile).
     */
    add(input: NewCheckout, notify: Notifier, startedIn: number = session): number | undefined {
      if (startedIn !== session) return undefined
      const id = nextId++
      const { password, uri, duration, ...rest } = input
      const checkout: Checkout = {
        ...rest,
        id,
        duration,
        status: 'active',
        expiresAt: timers.now() + duration * 1000,
        notified: false,
        secret: uri === undefined ? { password } : { password, uri },
      }
      notifiers.set(id, notify)
      publish({ ...snapshot, checkouts: [checkout, ...snapshot.checkouts] })
      tick(id)
      return id
    },

    /**
     * A renewal's answer: the new TTL counts from now, and the expiry warning is armed again
     * for the new expiry (once per grant: whoever renewed after a warning wants the next one).
     */
    renewed(id: number, duration: number, warning: string | undefined) {
      if (find(id)?.status !== 'active') return
      update(id, { duration, expiresAt: timers.now() + duration * 1000, warning, notified: false })
      tick(id)
    },

    /**
     * Leases revoked (Return now, the dashboard, a prefix, a renewal that found the lease gone):
     * every active credential whose lease `ended` matches is returned, its password forgotten.
     */
    leasesEnded(ended: (leaseId: string) => boolean) {
      for (const checkout of snapshot.checkouts) {
        if (checkout.status === 'active' && ended(checkout.leaseId)) end(checkout.id, 'returned')
      }
    },

    /** Records how long the checkout took to show, once. */
    displayed(id: number, ms: number) {
      if (find(id)?.checkoutMs === undefined) update(id, { checkoutMs: ms })
    },

    /** Takes a returned or expired credential off the list. */
    remove(id: number) {
      disarm(id)
      notifiers.delete(id)
      publish({ ...snapshot, checkouts: snapshot.checkouts.filter((c) => c.id !== id) })
    },

    /**
     * Forgets every credential at once: timers stopped, passwords dropped. For signing out and
     * sealing, after which the next person at this window must not see them.
     */
    clear() {
      session += 1
      for (const handle of handles.values()) timers.clearTimeout(handle)
      handles.clear()
      notifiers.clear()
      notifyFailed = false
      publish({ checkouts: [] })
    },

    dismissNotifyFailure() {
      const { notifyFailure: _, ...rest } = snapshot
      publish(rest)
    },
  }
}

export type CheckoutStore = ReturnType<typeof createCheckoutStore>

/** The window's store, on the real clock. */
export const checkouts = createCheckoutStore({
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
})
onLeasesEnded((ended) => checkouts.leasesEnded(ended))

export function useCheckouts(): CheckoutSnapshot {
  return useSyncExternalStore(checkouts.subscribe, checkouts.getSnapshot)
}
