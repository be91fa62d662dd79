/**
 * Durations as the core reads and writes them. It parses Go durations (`90m`, `1h30m`) and plain
 * seconds, and knows no `d`: days typed in a picker are sent as hours (`2` days is `48h`).
 */

export type DurationUnit = 's' | 'm' | 'h' | 'd'

export const DURATION_UNITS: readonly { value: DurationUnit; label: string; seconds: number }[] = [
  { value: 's', label: 'seconds', seconds: 1 },
  { value: 'm', label: 'minutes', seconds: 60 },
  { value: 'h', label: 'hours', seconds: 3600 },
  { value: 'd', label: 'days', seconds: 86400 },
]

/** A duration picker's value: the number as typed (blank: not set) and its unit. */
export interface DurationDraft {
  amount: string
  unit: DurationUnit
}

export const NO_DURATION: DurationDraft = { amount: '', unit: 'h' }

function unitSeconds(unit: DurationUnit): number {
  return DURATION_UNITS.find((u) => u.value === unit)?.seconds ?? 1
}

const SCALE: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 }

/**
 * Whole seconds in a duration as Vault writes them: plain seconds (`300`) or units (`0s`,
 * `1h0m0s`, `1500ms`, `2d`); undefined when it is not one.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim()
  if (/^\d+$/.test(s)) return Number(s)
  if (!/^(\d+(\.\d+)?(d|h|m|s|ms|us|µs|ns))+$/.test(s)) return undefined
  let total = 0
  for (const [, n, unit] of s.matchAll(/(\d+(?:\.\d+)?)(d|h|ms|m|s|us|µs|ns)/g)) total += Number(n) * (SCALE[unit ?? 's'] ?? 1)
  return Math.round(total)
}

/**
 * The seconds a draft stands for, `'blank'` when it is empty, `'invalid'` when the amount is
 * not a whole number (or, with `decimals`, not a number: 1.5 hours is 5400 s). Not rounded,
 * and not checked against any minimum: each form says what it accepts.
 */
export function draftSeconds(draft: DurationDraft, { decimals = false } = {}): number | 'blank' | 'invalid' {
  const text = draft.amount.trim()
  if (text === '') return 'blank'
  const amount = decimals || /^\d+$/.test(text) ? Number(text) : Number.NaN
  return Number.isFinite(amount) ? amount * unitSeconds(draft.unit) : 'invalid'
}

/**
 * The draft as a duration to send, in the unit it was typed in (`90m`, `1h`; `2` days as
 * `48h`); undefined when it is blank or not a whole number.
 */
export function durationString(draft: DurationDraft): string | undefined {
  const text = draft.amount.trim()
  if (!/^\d+$/.test(text)) return undefined
  const n = Number(text)
  return draft.unit === 'd' ? `${n * 24}h` : `${n}${draft.unit}`
}

/**
 * `seconds` as a picker shows them: in the largest unit that holds them whole, days only from
 * two days on (a day reads better as 24 hours). Blank for none.
 */
export function splitSeconds(seconds: number | undefined): DurationDraft {
  if (!seconds || seconds < 0) return NO_DURATION
  if (seconds % 86400 === 0 && seconds >= 2 * 86400) return { amount: String(seconds / 86400), unit: 'd' }
  if (seconds % 3600 === 0) return { amount: String(seconds / 3600), unit: 'h' }
  if (seconds % 60 === 0) return { amount: String(seconds / 60), unit: 'm' }
  return { amount: String(seconds), unit: 's' }
}

/**
 * Seconds as a duration the core and `bao` take, in the unit a picker shows them in (days as
 * hours): `90m`, `2h`, `72h`, `45s`; `0s` for none.
 */
export function vaultDuration(seconds: number): string {
  return durationString(splitSeconds(Math.round(seconds))) ?? '0s'
}

/**
 * A span for people, in its `parts` largest units, leaving out zeros: `59 min 12 s`, `1 h`,
 * `2 days 3 h`; with 4 parts nothing is rounded away (`2 days 1 min 1 s`).
 */
export function formatSpan(seconds: number, parts = 2): string {
  const s = Math.max(0, Math.round(seconds))
  const units: [number, string][] = [
    [Math.floor(s / 86400), 'day'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ]
  const first = units.findIndex(([n]) => n > 0)
  if (first === -1) return '0 s'
  return units
    .slice(first, first + parts)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => (unit === 'day' ? `${n} ${n === 1 ? 'day' : 'days'}` : `${n} ${unit}`))
    .join(' ')
}
