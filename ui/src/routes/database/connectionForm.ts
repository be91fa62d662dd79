import { POSTGRES_PLUGIN, type Body, type ConnectionRead } from '../../api/database'
import { durationString, NO_DURATION, parseDuration, splitSeconds, type DurationDraft } from '../../lib/duration'
import { urlHasPassword } from './connectionUrl'
import { nameError } from './names'
import { ttlSeconds } from './ttl'

/** The templated URL a new connection starts with: the core fills in the root credentials. */
export const DEFAULT_URL = 'postgresql://{{username}}:{{password}}@localhost:5432/postgres'

/** What the core shows instead of a password it will not return. */
const MASK = '*****'

/** The connection form as typed. */
export interface ConnectionDraft {
  name: string
  connection_url: string
  username: string
  /** Blank on edit keeps the stored password: fields not sent are kept. */
  password: string
  /** Comma- or space-separated names and globs. */
  allowed_roles: string
  max_open: string
  max_idle: string
  lifetime: DurationDraft
  verify: boolean
}

export type ConnectionField = 'name' | 'connection_url' | 'username' | 'password' | 'max_open' | 'max_idle' | 'lifetime'

export function newConnectionDraft(): ConnectionDraft {
  return {
    name: '',
    connection_url: DEFAULT_URL,
    username: '',
    password: '',
    allowed_roles: '',
    max_open: '4',
    max_idle: '0',
    lifetime: NO_DURATION,
    verify: true,
  }
}

/** The form for a stored connection (its password stays in the core). */
export function draftFromConnection(name: string, read: ConnectionRead): ConnectionDraft {
  const details = read.connection_details
  return {
    name,
    connection_url: details.connection_url,
    username: details.username,
    password: '',
    allowed_roles: read.allowed_roles.join(', '),
    max_open: String(details.max_open_connections),
    max_idle: String(details.max_idle_connections),
    lifetime: splitSeconds(parseDuration(details.max_connection_lifetime)),
    verify: true,
  }
}

/** `allowed_roles` as a list: names and `*` globs, split at commas and spaces. */
export function parseAllowedRoles(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

function wholeNumber(text: string, min: number, max: number): number | undefined {
  const t = text.trim()
  if (!/^\d+$/.test(t)) return undefined
  const n = Number(t)
  return n >= min && n <= max ? n : undefined
}

/**
 * The body to write for `draft`, or the errors to show at the fields. On edit (`stored` is the
 * connection as read): the plugin name is not sent again, a blank password is left out so the
 * stored one is kept, and an unchanged URL is left out — a URL the core masked (`*****`) would
 * otherwise overwrite the password in it.
 */
export function connectionBody(
  draft: ConnectionDraft,
  stored?: ConnectionRead,
): { errors: Partial<Record<ConnectionField, string>>; body?: Body } {
  const errors: Partial<Record<ConnectionField, string>> = {}
  if (!stored) {
    const bad = nameError('connection', draft.name)
    if (bad) errors.name = bad
  }
  const url = draft.connection_url.trim()
  const urlChanged = !stored || url !== stored.connection_details.connection_url
  if (url === '') errors.connection_url = 'Enter the connection URL.'
  else if (urlChanged && url.includes(`:${MASK}@`)) {
    errors.connection_url = `The URL still holds ${MASK}, which stands for the stored password: type the password, or use {{password}} and the Password field.`
  }
  for (const [field, value] of [
    ['username', draft.username],
    ['password', draft.password],
  ] as const) {
    if (value.includes('{{username}}') || value.includes('{{password}}')) {
      errors[field] = 'Only the URL takes {{username}} and {{password}}; enter the value itself here.'
    }
  }
  const maxOpen = wholeNumber(draft.max_open, 1, 1000)
  if (maxOpen === undefined) errors.max_open = 'Enter a whole number from 1 to 1000.'
  const maxIdle = wholeNumber(draft.max_idle, 0, 1000)
  if (maxIdle === undefined) errors.max_idle = 'Enter a whole number (0: as many as open).'
  const lifetime = ttlSeconds(draft.lifetime)
  if ('error' in lifetime) errors.lifetime = lifetime.error
  if (Object.keys(errors).length > 0) return { errors }

  const body: Body = {}
  if (!stored) body.plugin_name = POSTGRES_PLUGIN
  if (urlChanged) body.connection_url = url
  body.username = draft.username.trim()
  if (draft.password !== '') body.password = draft.password
  body.allowed_roles = parseAllowedRoles(draft.allowed_roles)
  body.max_open_connections = maxOpen
  body.max_idle_connections = maxIdle
  body.max_connection_lifetime = durationString(draft.lifetime) ?? '0s'
  body.verify_connection = draft.verify
  return { errors, body }
}

/** Whether the URL about to be sent carries a literal password (a secret in the command forms). */
export function bodyUrlHasPassword(body: Body | undefined): boolean {
  return typeof body?.connection_url === 'string' && urlHasPassword(body.connection_url)
}
