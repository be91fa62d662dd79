import type { VaultClient } from './client'
import { listKeys } from './list'

/**
 * ACL policies (`sys/policies/acl`). Names go into the URL encoded (the core decodes the path);
 * `policyPath` without encoding is what `sys/capabilities-self` and the ACL match against.
 */

/** The path a policy list is checked on: with the trailing slash, which `sys/policies/acl/*` covers. */
export const POLICY_LIST_PATH = 'sys/policies/acl/'

/** The API path of a policy, as policies and `sys/capabilities-self` name it. */
export function policyPath(name: string): string {
  return `sys/policies/acl/${name}`
}

/** The request path of a policy, encoded for the URL. */
export function policyUrl(name: string): string {
  return `sys/policies/acl/${encodeURIComponent(name)}`
}

/** `LIST sys/policies/acl`: every policy name, `root` and `default` included, sorted. */
export function listPolicies(client: VaultClient): Promise<string[]> {
  return listKeys(client, 'sys/policies/acl')
}

/** `GET sys/policies/acl/<name>`: the policy text exactly as written. */
export async function readPolicy(client: VaultClient, name: string): Promise<string> {
  const reply = await client.request<{ data: { policy: string } }>('GET', policyUrl(name))
  return reply.data.policy
}

/**
 * `PUT sys/policies/acl/<name>`: parses and stores it (nothing is stored when it does not parse).
 * Resolves to the warnings, such as the name being lower-cased.
 */
export async function writePolicy(client: VaultClient, name: string, policy: string): Promise<string[]> {
  const reply = await client.request<{ warnings?: string[] | null } | null>('PUT', policyUrl(name), { policy })
  return reply?.warnings ?? []
}

/** `DELETE sys/policies/acl/<name>`. */
export async function deletePolicy(client: VaultClient, name: string): Promise<void> {
  await client.request<unknown>('DELETE', policyUrl(name))
}

/** The name the core stores a policy under: trimmed and lower-cased. */
export function normalizePolicyName(name: string): string {
  return name.trim().toLowerCase()
}

/** Why the core would refuse `name` (its rules, so the user hears it before saving), if it would. */
export function policyNameProblem(name: string): string | undefined {
  const normalized = normalizePolicyName(name)
  if (normalized === '') return 'Enter a name.'
  if (/\s/.test(normalized) || normalized.includes('..')) return 'A name cannot contain spaces or "..".'
  if (normalized === 'root') return 'root is built in and cannot be written.'
  return undefined
}
