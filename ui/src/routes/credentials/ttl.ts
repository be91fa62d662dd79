import type { DatabaseMount, RoleInfo } from '../../api/credentials'
import { draftSeconds, formatSpan, type DurationDraft } from '../../lib/duration'

/** A role's TTLs in seconds; undefined when not known (the server's own, or not readable). */
export interface TtlLimits {
  defaultTtl?: number
  maxTtl?: number
}

/**
 * The TTLs a credential of `role` gets, as the core works them out: the role's default, else
 * the mount's, else the server's; capped by the smallest of the role's and the mount's max
 * (and the server's, which the UI cannot see).
 */
export function ttlLimits(role: RoleInfo, mount: DatabaseMount | undefined): TtlLimits {
  const maxes = [role.max_ttl, mount?.maxLeaseTtl ?? 0].filter((t) => t > 0)
  const maxTtl = maxes.length > 0 ? Math.min(...maxes) : undefined
  const fallback = role.default_ttl || mount?.defaultLeaseTtl || undefined
  const defaultTtl = fallback !== undefined && maxTtl !== undefined ? Math.min(fallback, maxTtl) : fallback
  return { ...(defaultTtl !== undefined ? { defaultTtl } : {}), ...(maxTtl !== undefined ? { maxTtl } : {}) }
}

/** What the picker asks for. */
export interface TtlChoice {
  /** The TTL the credential gets (undefined: the default, which is not known). */
  seconds?: number
  /** The increment to renew with right after the read; undefined keeps the default TTL. */
  renewTo?: number
  /** The amount was over the max TTL and was lowered to it. */
  capped: boolean
  error?: string
}

/** The TTL the picker asks for, clamped to the max TTL; an empty amount is the default. */
export function chooseTtl(draft: DurationDraft, limits: TtlLimits): TtlChoice {
  const amount = draftSeconds(draft, { decimals: true })
  if (amount === 'blank') return { ...(limits.defaultTtl !== undefined ? { seconds: limits.defaultTtl } : {}), capped: false }
  if (amount === 'invalid' || amount <= 0) return { capped: false, error: 'Enter a number greater than 0.' }
  const asked = Math.max(1, Math.round(amount))
  const capped = limits.maxTtl !== undefined && asked > limits.maxTtl
  const seconds = capped && limits.maxTtl !== undefined ? limits.maxTtl : asked
  return { seconds, capped, ...(seconds !== limits.defaultTtl ? { renewTo: seconds } : {}) }
}

/** The picker's hint: the role's bounds, and what the credential gets when the amount was over the max. */
export function ttlHint(limits: TtlLimits, choice: TtlChoice): string {
  const bounds = [
    limits.defaultTtl !== undefined ? `Default ${formatSpan(limits.defaultTtl)}` : 'Empty for the default TTL',
    limits.maxTtl !== undefined ? `at most ${formatSpan(limits.maxTtl)}` : undefined,
  ]
    .filter(Boolean)
    .join('; ')
  return choice.capped && choice.seconds !== undefined
    ? `${bounds}. The role allows no more, so the credential gets ${formatSpan(choice.seconds)}.`
    : `${bounds}.`
}

function two(n: number): string {
  return String(n).padStart(2, '0')
}

/** `HH:MM:SS` in local time, with the date in front when it is not today's. */
export function formatClock(atMs: number, nowMs: number): string {
  const at = new Date(atMs)
  const now = new Date(nowMs)
  const time = `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`
  if (at.toDateString() === now.toDateString()) return time
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${time}`
}

/** Whole seconds left, counting a started second as left so the countdown ends at `1 s`. */
export function secondsLeft(expiresAt: number, nowMs: number): number {
  return Math.max(0, Math.ceil((expiresAt - nowMs) / 1000))
}

/** The countdown line: `Valid until 14:03:12 (in 59 min 12 s)`. */
export function validUntil(expiresAt: number, nowMs: number): string {
  return `Valid until ${formatClock(expiresAt, nowMs)} (in ${formatSpan(secondsLeft(expiresAt, nowMs))})`
}
