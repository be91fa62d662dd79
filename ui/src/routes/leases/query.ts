/**
 * What the lease list shows: a filter, a page size and the stack of cursors of the pages
 * walked through. The server pages forward only (`after` = the previous page's `next`), so
 * going back means popping the cursor of the page we came from.
 */
import { NO_FILTER, type LeaseCounts, type LeaseFilter } from '../../api/leases'
import { formatSpan } from '../../lib/duration'

export const PAGE_SIZES = [25, 100, 500] as const
const DEFAULT_PAGE_SIZE = 100

export interface ListQuery {
  filter: LeaseFilter
  limit: number
  /** `after` of each page after the first, in the order they were opened. */
  cursors: string[]
}

const EXPIRING_CHOICES = [
  { value: '', label: 'Any time' },
  { value: '5m', label: 'Within 5 minutes' },
  { value: '1h', label: 'Within 1 hour' },
  { value: '24h', label: 'Within 24 hours' },
  { value: '168h', label: 'Within 7 days' },
] as const

/** The choices of the "Expiring" select, with a custom one (a bar of the chart) kept in it. */
export function expiringChoices(current: string): { value: string; label: string }[] {
  const choices: { value: string; label: string }[] = [...EXPIRING_CHOICES]
  const seconds = /^(\d+)s$/.exec(current)?.[1]
  if (current !== '' && !choices.some((c) => c.value === current)) {
    choices.push({ value: current, label: seconds ? `Within ${formatSpan(Number(seconds), 4)}` : `Within ${current}` })
  }
  return choices
}

export function firstPage(filter: LeaseFilter, limit: number): ListQuery {
  return { filter, limit, cursors: [] }
}

/** The `after` of the page shown; undefined on the first. */
export function currentAfter(query: ListQuery): string | undefined {
  return query.cursors[query.cursors.length - 1]
}

export function nextPage(query: ListQuery, next: string): ListQuery {
  return { ...query, cursors: [...query.cursors, next] }
}

export function previousPage(query: ListQuery): ListQuery {
  return { ...query, cursors: query.cursors.slice(0, -1) }
}

/** 1-based positions of the rows shown: rows 101–200 on the second page of 100. */
export function rowRange(query: ListQuery, rows: number): { from: number; to: number } {
  const skipped = query.cursors.length * query.limit
  return { from: rows === 0 ? 0 : skipped + 1, to: skipped + rows }
}

export function sameFilter(a: LeaseFilter, b: LeaseFilter): boolean {
  return (
    a.mount === b.mount &&
    a.role === b.role &&
    a.prefix === b.prefix &&
    a.expiringWithin === b.expiringWithin &&
    a.irrevocable === b.irrevocable
  )
}

/** The hash of a filtered view (`#/leases?role=readonly`), so it can be linked. */
export function hashOf(filter: LeaseFilter, limit: number): string {
  const fields: Record<string, string> = {}
  if (filter.mount) fields.mount = filter.mount
  if (filter.role) fields.role = filter.role
  if (filter.prefix) fields.prefix = filter.prefix
  if (filter.expiringWithin) fields.expiring = filter.expiringWithin
  if (filter.irrevocable) fields.irrevocable = 'true'
  if (limit !== DEFAULT_PAGE_SIZE) fields.limit = String(limit)
  const query = new URLSearchParams(fields).toString()
  return query === '' ? '#/leases' : `#/leases?${query}`
}

/** The view a hash names; unknown or missing values fall back to no filter and 100 a page. */
export function queryFromHash(hash: string): ListQuery {
  const at = hash.indexOf('?')
  const params = new URLSearchParams(at < 0 ? '' : hash.slice(at + 1))
  const expiring = params.get('expiring') ?? ''
  const limit = Number(params.get('limit'))
  return firstPage(
    {
      mount: params.get('mount') ?? NO_FILTER.mount,
      role: params.get('role') ?? NO_FILTER.role,
      prefix: params.get('prefix') ?? NO_FILTER.prefix,
      expiringWithin: /^\d+[smh]$/.test(expiring) ? expiring : '',
      irrevocable: params.get('irrevocable') === 'true',
    },
    (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE,
  )
}

/**
 * The prefix a "revoke by prefix" starts from: the prefix filter, else the folder of the
 * role's credentials (`database/creds/readonly/`), taking the mount from the counts when the
 * role lives on exactly one.
 */
export function prefixSuggestion(filter: LeaseFilter, counts: LeaseCounts | undefined): string {
  if (filter.prefix) return filter.prefix
  if (!filter.role) return ''
  let mount = filter.mount
  if (!mount && counts) {
    const holders = Object.keys(counts.mounts).filter((m) => filter.role in (counts.mounts[m]?.roles ?? {}))
    if (holders.length === 1) mount = holders[0] ?? ''
  }
  return mount ? `${withSlash(mount)}creds/${filter.role}/` : ''
}

/**
 * The folder `revoke-prefix` works on: the core treats a prefix without a trailing `/` as
 * that folder (unless it is a lease id), so the count shown before revoking uses it too.
 */
export function revokeFolder(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+/, '')
  return trimmed === '' ? '' : withSlash(trimmed)
}

function withSlash(path: string): string {
  return path.endsWith('/') ? path : `${path}/`
}
