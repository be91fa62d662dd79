/**
 * TTL pickers: a whole number and a unit, sent as the duration strings the core parses
 * (Go's units: `s`, `m`, `h`; the core knows no `d`, so days go out as hours).
 */

export type TtlUnit = 's' | 'm' | 'h' | 'd'

export const TTL_UNITS: readonly { value: TtlUnit; label: string; seconds: number }[] = [
  { value: 's', label: 'seconds', seconds: 1 },
  { value: 'm', label: 'minutes', seconds: 60 },
  { value: 'h', label: 'hours', seconds: 3600 },
  { value: 'd', label: 'days', seconds: 86400 },
]

/** A TTL as typed: `amount` blank means "not set" (the mount's or the server's value). */
export interface TtlDraft {
  amount: string
  unit: TtlUnit
}

export const NO_TTL: TtlDraft = { amount: '', unit: 'h' }

function unitSeconds(unit: TtlUnit): number {
  return TTL_UNITS.find((u) => u.value === unit)?.seconds ?? 1
}

/** Seconds for `draft` (0 when blank), or an error to show at the field. */
export function ttlSeconds(draft: TtlDraft): { seconds: number } | { error: string } {
  const text = draft.amount.trim()
  if (text === '') return { seconds: 0 }
  if (!/^\d+$/.test(text)) return { error: 'Enter a whole number (or leave it empty).' }
  return { seconds: Number(text) * unitSeconds(draft.unit) }
}

/** The duration string to send: `90m`, `1h`, `2d` as `48h`; undefined when blank. */
export function ttlDuration(draft: TtlDraft): string | undefined {
  const text = draft.amount.trim()
  if (text === '' || !/^\d+$/.test(text)) return undefined
  const n = Number(text)
  return draft.unit === 'd' ? `${n * 24}h` : `${n}${draft.unit}`
}

/** The picker for `seconds`: the largest unit that divides it (5400 s is 90 minutes). */
export function ttlFromSeconds(seconds: number): TtlDraft {
  if (!seconds || seconds < 0) return NO_TTL
  for (const unit of [...TTL_UNITS].reverse()) {
    if (seconds % unit.seconds === 0) return { amount: String(seconds / unit.seconds), unit: unit.value }
  }
  return { amount: String(seconds), unit: 's' }
}

/** `seconds` in the compact form the CLI uses (`1h`, `90m`, `2d`); `fallback` for 0. */
export function formatTtl(seconds: number, fallback = 'not set'): string {
  if (!seconds) return fallback
  const { amount, unit } = ttlFromSeconds(seconds)
  return `${amount}${unit}`
}

/**
 * Seconds in a Go duration as the core reads them back (`max_connection_lifetime`:
 * `0s`, `1h0m0s`, `1m30s`); undefined when it is not one.
 */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim()
  if (/^\d+$/.test(s)) return Number(s)
  if (!/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(s)) return undefined
  const scale: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, ns: 1e-9 }
  let total = 0
  for (const [, n, , unit] of s.matchAll(/(\d+(\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) total += Number(n) * (scale[unit ?? 's'] ?? 1)
  return Math.round(total)
}

/**
 * The maximum must not be under the default (the core refuses such a role). A maximum of 0
 * means the mount's own maximum, which this form cannot compare against.
 */
export function ttlOrderError(defaultSeconds: number, maxSeconds: number): string | undefined {
  if (maxSeconds === 0 || defaultSeconds <= maxSeconds) return undefined
  return `The maximum TTL (${formatTtl(maxSeconds)}) must be at least the default TTL (${formatTtl(defaultSeconds)}).`
}
