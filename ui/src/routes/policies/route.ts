import { subpathOf } from '../../app/router'

/** What `#/policies…` shows: the list, a new policy (`#/policies?new`), or one policy by name. */
export type PolicyRoute = { kind: 'list' } | { kind: 'new' } | { kind: 'root' } | { kind: 'edit'; name: string }

/**
 * "New" is a query rather than a path part, so that no policy name (`new` is a valid one)
 * is shadowed by it.
 */
export function policyRoute(hash: string): PolicyRoute {
  const [name] = subpathOf(hash)
  if (name !== undefined) return name === 'root' ? { kind: 'root' } : { kind: 'edit', name }
  const query = new URLSearchParams(hash.split('?')[1] ?? '')
  return query.has('new') ? { kind: 'new' } : { kind: 'list' }
}

export const NEW_POLICY_HASH = '#/policies?new'
