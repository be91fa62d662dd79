import { formatDuration } from '../../lib/format'

/** How far off a moment is, as people say it: `in 12 min`, `3 h ago`, `now`. */
export function relativeTime(seconds: number): string {
  if (Math.abs(seconds) < 1) return 'now'
  return seconds > 0 ? `in ${formatDuration(seconds)}` : `${formatDuration(-seconds)} ago`
}

/** Timeline windows the server accepts, with the bar counts that split them into whole seconds. */
export const WINDOWS = [
  { value: '1h', seconds: 3600, label: 'Next hour' },
  { value: '24h', seconds: 86400, label: 'Next 24 hours' },
  { value: '168h', seconds: 604800, label: 'Next 7 days' },
] as const

export type WindowValue = (typeof WINDOWS)[number]['value']

const BAR_COUNTS = [12, 24, 28] as const

/**
 * The bar counts that fit `windowSeconds` (the server refuses slices that are not whole
 * seconds: 28 bars of an hour are not).
 */
export function barChoices(windowSeconds: number): number[] {
  return BAR_COUNTS.filter((n) => windowSeconds % n === 0)
}

/** `bars` if it fits the window, else the first that does. */
export function fittingBars(windowSeconds: number, bars: number): number {
  const choices = barChoices(windowSeconds)
  return choices.includes(bars) ? bars : (choices[0] ?? 1)
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

const two = (n: number) => String(n).padStart(2, '0')

/**
 * A local clock time for a bar's edge: seconds only when slices are not whole minutes, the
 * date only when the window spans a day or more (so labels stay short and unambiguous).
 */
export function clockLabel(date: Date, withSeconds: boolean, withDay: boolean): string {
  let text = `${two(date.getHours())}:${two(date.getMinutes())}`
  if (withSeconds) text += `:${two(date.getSeconds())}`
  return withDay ? `${DAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${date.getDate()} ${text}` : text
}

/** What a screen reader says for one bar: "14 leases expire between 10:00 and 11:00". */
export function barLabel(count: number, from: Date, to: Date, bucketSeconds: number, windowSeconds: number): string {
  const seconds = bucketSeconds % 60 !== 0
  const day = windowSeconds >= 86400
  const what = count === 1 ? '1 lease expires' : `${count} leases expire`
  return `${what} between ${clockLabel(from, seconds, day)} and ${clockLabel(to, seconds, day)}`
}

/** A duration the server parses, in whole seconds (a bar's end becomes "expiring within"). */
export function secondsArg(seconds: number): string {
  return `${Math.ceil(seconds)}s`
}
