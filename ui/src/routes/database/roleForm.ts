import type { Body, RoleRead } from '../../api/database'
import { durationString, splitSeconds, type DurationDraft } from '../../lib/duration'
import { nameError } from './names'
import { ttlOrderError, ttlSeconds } from './ttl'

/** The role form as typed: each editor is one statement list entry, kept whole by the core. */
export interface RoleDraft {
  name: string
  db_name: string
  creation: string
  revocation: string
  renew: string
  rollback: string
  default_ttl: DurationDraft
  max_ttl: DurationDraft
  terminate_sessions: boolean
}

export type RoleField = 'name' | 'db_name' | 'creation' | 'default_ttl' | 'max_ttl'

export function newRoleDraft(dbName = ''): RoleDraft {
  return {
    name: '',
    db_name: dbName,
    creation: '',
    revocation: '',
    renew: '',
    rollback: '',
    default_ttl: { amount: '1', unit: 'h' },
    max_ttl: { amount: '24', unit: 'h' },
    terminate_sessions: false,
  }
}

/**
 * A stored statement list as one editor's text. Entries written as a list (`bao write …
 * creation_statements=A creation_statements=B`) each get their `;` so that, sent back as one
 * entry, they are still separate statements.
 */
export function joinStatements(list: string[]): string {
  const entries = list.map((s) => s.trim()).filter((s) => s !== '')
  if (entries.length <= 1) return entries[0] ?? ''
  return entries.map((s) => (s.endsWith(';') ? s : `${s};`)).join('\n')
}

export function draftFromRole(name: string, read: RoleRead): RoleDraft {
  return {
    name,
    db_name: read.db_name,
    creation: joinStatements(read.creation_statements),
    revocation: joinStatements(read.revocation_statements),
    renew: joinStatements(read.renew_statements),
    rollback: joinStatements(read.rollback_statements),
    default_ttl: splitSeconds(read.default_ttl),
    max_ttl: splitSeconds(read.max_ttl),
    terminate_sessions: read.terminate_sessions ?? false,
  }
}

/**
 * The body to write for `draft`, or the errors to show at the fields. A new role leaves out
 * what is blank; an edit sends every field (blank ones as "" and 0), since the core keeps
 * any field not sent and the form shows the whole role.
 */
export function roleBody(draft: RoleDraft, editing: boolean): { errors: Partial<Record<RoleField, string>>; body?: Body } {
  const errors: Partial<Record<RoleField, string>> = {}
  if (!editing) {
    const bad = nameError('role', draft.name)
    if (bad) errors.name = bad
  }
  if (draft.db_name.trim() === '') errors.db_name = 'Choose the connection the role creates users in.'
  if (draft.creation.trim() === '') errors.creation = 'Enter the statements that create the user (or apply a preset).'
  const def = ttlSeconds(draft.default_ttl)
  const max = ttlSeconds(draft.max_ttl)
  if ('error' in def) errors.default_ttl = def.error
  if ('error' in max) errors.max_ttl = max.error
  else if (!('error' in def)) {
    const order = ttlOrderError(def.seconds, max.seconds)
    if (order) errors.max_ttl = order
  }
  if (Object.keys(errors).length > 0) return { errors }

  const body: Body = { db_name: draft.db_name.trim(), creation_statements: draft.creation.trim() }
  const optional: [string, string][] = [
    ['revocation_statements', draft.revocation.trim()],
    ['renew_statements', draft.renew.trim()],
    ['rollback_statements', draft.rollback.trim()],
  ]
  for (const [key, value] of optional) if (editing || value !== '') body[key] = value
  const defaultTtl = durationString(draft.default_ttl)
  const maxTtl = durationString(draft.max_ttl)
  if (editing || defaultTtl) body.default_ttl = defaultTtl ?? 0
  if (editing || maxTtl) body.max_ttl = maxTtl ?? 0
  if (editing || draft.terminate_sessions) body.terminate_sessions = draft.terminate_sessions
  return { errors, body }
}

/** A fingerprint of the role a dry run tried, to tell whether the form changed since. */
export function bodyKey(name: string, body: Body | undefined): string | undefined {
  return body ? JSON.stringify([name, body]) : undefined
}
