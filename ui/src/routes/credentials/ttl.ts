import type { DatabaseMount, RoleInfo } from '../../api/credentials'

/** The TTL picker's units. */
export type TtlUnit = 's' | 'm' | 'h' | 'd'

export const UNITS: readonly { value: TtlUnit; label: string; seconds: number }[] = [
  { value: 's', label: 'seconds', seconds: 1 },
  { value: 'm', label: 'minutes', seconds: 60 },
  { value: 'h', label: 'hours', seconds: 3600 },
  { value: 'd', label: 'days', seconds: 86400 },
]

function unitSeconds(unit: TtlUnit): number {
  return UNITS.find((u) => u.value === unit)?.seconds ?? 3600
}

/** What the picker holds: the number as typed, and its unit. */
export interface TtlDraft {
  amount: string
  unit: TtlUnit
}

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

/** The picker's starting value: the default TTL in the largest unit that holds it whole. */
export function draftFor(seconds: number | undefined): TtlDraft {
  if (!seconds) return { amount: '', unit: 'h' }
  if (seconds % 86400 === 0 && seconds >= 2 * 86400) return { amount: String(seconds / 86400), unit: 'd' }
  if (seconds % 3600 === 0) return { amount: String(seconds / 3600), unit: 'h' }
  if (seconds % 60 === 0) return { amount: String(seconds / 60), unit: 'm' }
  return { amount: String(seconds), unit: 's' }
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
export function chooseTtl(draft: TtlDraft, limits: TtlLimits): TtlChoice {
  const text = draft.amount.trim()
  if (text === '') return { ...(limits.defaultTtl !== undefined ? { seconds: limits.defaultTtl } : {}), capped: false }
  const amount = Number(text)
  if (!Number.isFinite(amount) || amount <= 0) return { capped: false, error: 'Enter a number greater than 0.' }
  const asked = Math.max(1, Math.round(amount * unitSeconds(draft.unit)))
  const capped = limits.maxTtl !== undefined && asked > limits.maxTtl
  const seconds = capped && limits.maxTtl !== undefined ? limits.maxTtl : asked
  return { seconds, capped, ...(seconds !== limits.defaultTtl ? { renewTo: seconds } : {}) }
}

/** A span in its two largest units, leaving out zeros: `59 min 12 s`, `1 h`, `2 days 3 h`. */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const parts: [number, string][] = [
    [Math.floor(s / 86400), 'day'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ]
  const first = parts.findIndex(([n]) => n > 0)
  if (first === -1) return '0 s'
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => (unit === 'day' ? `${n} ${n === 1 ? 'day' : 'days'}` : `${n} ${unit}`))
    .join(' ')
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
