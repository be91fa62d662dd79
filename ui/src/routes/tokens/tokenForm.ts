import type { CreateTokenBody } from '../../api/tokens'
import { draftSeconds, durationString, NO_DURATION, type DurationDraft, type DurationUnit } from '../../lib/duration'
import { shellQuote, type ApiCall } from '../../lib/equivalent'

/** The units the TTL fields offer (days go out as hours: see `durationString`). */
export const TTL_UNITS: readonly DurationUnit[] = ['m', 'h', 'd']

/** The create-token form as typed. */
export interface TokenDraft {
  /** Checked names, when the policies could be listed. */
  policies: string[]
  /** Comma-separated names, when they could not. */
  policiesText: string
  ttl: DurationDraft
  maxTtl: DurationDraft
  displayName: string
  numUses: string
  renewable: boolean
  orphan: boolean
}

export const EMPTY_DRAFT: TokenDraft = {
  policies: [],
  policiesText: '',
  ttl: NO_DURATION,
  maxTtl: NO_DURATION,
  displayName: '',
  numUses: '',
  renewable: true,
  orphan: false,
}

export type TokenField = 'ttl' | 'maxTtl' | 'numUses'

const WHOLE = /^\d+$/

/** A TTL field as the duration the core reads (`90m`, `168h`); no value when empty. */
export function durationOf(draft: DurationDraft): { value?: string; error?: string } {
  const seconds = draftSeconds(draft)
  if (seconds === 'blank') return {}
  if (seconds === 'invalid' || seconds < 1) return { error: 'Enter a whole number, at least 1, or leave it empty.' }
  return { value: durationString(draft) }
}

/** Names in a comma-separated list, trimmed, without empties or repeats. */
export function policyList(text: string): string[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  return [...new Set(names)]
}

/**
 * The `auth/token/create` body for the form, and what is wrong with it. Fields left empty are
 * not sent, so the server's defaults apply; the body is built even with errors (without the
 * fields in error) so the command equivalent can be shown while typing.
 */
export function tokenRequest(
  draft: TokenDraft,
  listed: boolean,
): { errors: Partial<Record<TokenField, string>>; body: CreateTokenBody } {
  const errors: Partial<Record<TokenField, string>> = {}
  const ttl = durationOf(draft.ttl)
  const maxTtl = durationOf(draft.maxTtl)
  if (ttl.error) errors.ttl = ttl.error
  if (maxTtl.error) errors.maxTtl = maxTtl.error
  const uses = draft.numUses.trim()
  if (uses !== '' && !WHOLE.test(uses)) errors.numUses = 'Enter a whole number of uses, or leave it empty for no limit.'
  const policies = listed ? draft.policies : policyList(draft.policiesText)
  const displayName = draft.displayName.trim()

  // In the order the fields are sent and shown; empty ones are left out.
  const body: CreateTokenBody = {
    ...(policies.length > 0 ? { policies } : {}),
    ...(ttl.value ? { ttl: ttl.value } : {}),
    ...(maxTtl.value ? { explicit_max_ttl: maxTtl.value } : {}),
    ...(displayName !== '' ? { display_name: displayName } : {}),
    ...(!errors.numUses && Number(uses) > 0 ? { num_uses: Number(uses) } : {}),
    renewable: draft.renewable,
    ...(draft.orphan ? { no_parent: true } : {}),
  }
  return { errors, body }
}

/** `bao token create` with the flags for `body` (the CLI sends `no_parent` for `-orphan` too). */
export function tokenCli(body: CreateTokenBody): string {
  const flags = (body.policies ?? []).map((p) => `-policy=${p}`)
  if (body.ttl) flags.push(`-ttl=${body.ttl}`)
  if (body.explicit_max_ttl) flags.push(`-explicit-max-ttl=${body.explicit_max_ttl}`)
  if (body.display_name) flags.push(`-display-name=${body.display_name}`)
  if (body.num_uses) flags.push(`-use-limit=${body.num_uses}`)
  if (!body.renewable) flags.push('-renewable=false')
  if (body.no_parent) flags.push('-orphan')
  return ['bao token create', ...flags.map(shellQuote)].join(' ')
}

export function tokenCall(body: CreateTokenBody): ApiCall {
  return { method: 'POST', path: 'auth/token/create', body: { ...body }, cli: tokenCli(body) }
}

export function revokeCall(accessor: string): ApiCall {
  const shown = accessor.trim() === '' ? 'ACCESSOR' : accessor.trim()
  return {
    method: 'POST',
    path: 'auth/token/revoke-accessor',
    body: { accessor: shown },
    cli: `bao token revoke -accessor ${shellQuote(shown)}`,
  }
}
