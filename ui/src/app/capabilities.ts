import { useCallback } from 'react'
import type { VaultClient } from '../api/client'
import { useLoad } from '../lib/useLoad'
import { useServices } from './services'

/** A capability a policy can grant on a path. */
export type Capability = 'create' | 'read' | 'update' | 'delete' | 'list' | 'sudo'

/** The current token's capabilities on each path asked about. */
export type CapabilityMap = Record<string, string[]>

/**
 * Asks `sys/capabilities-self` what the current token may do on `paths` in one request.
 * Vault answers with one key per path (and `capabilities` for the first).
 */
export async function fetchCapabilities(client: VaultClient, paths: string[]): Promise<CapabilityMap> {
  if (paths.length === 0) return {}
  const reply = await client.request<Record<string, unknown>>('POST', 'sys/capabilities-self', { paths })
  const data = (reply.data && typeof reply.data === 'object' ? reply.data : reply) as Record<string, unknown>
  const out: CapabilityMap = {}
  for (const path of paths) {
    const caps = data[path]
    out[path] = Array.isArray(caps) ? caps.map(String) : []
  }
  return out
}

/** Whether `caps` (one path's list) grants `needed`: `root` grants all, `deny` none. */
export function grants(caps: string[] | undefined, needed: Capability): boolean {
  if (!caps || caps.includes('deny')) return false
  return caps.includes('root') || caps.includes(needed)
}

/**
 * Why an action is off, or undefined when it is allowed (or not known yet: the server still
 * decides, so a slow answer never blocks anyone). The reason names the capability and path
 * so an operator knows what to add to the policy.
 */
export function deniedReason(map: CapabilityMap | undefined, path: string, needed: Capability): string | undefined {
  if (!map || !(path in map)) return undefined
  if (grants(map[path], needed)) return undefined
  return `Your token's policies do not grant "${needed}" on ${path}.`
}

/** The capabilities of the current token on `paths`, reloaded when the list changes. */
export function useCapabilities(paths: string[]): {
  caps: CapabilityMap | undefined
  error: string | undefined
  reload(): void
} {
  const { client } = useServices()
  const key = paths.join('\n')
  const load = useCallback(() => fetchCapabilities(client, key === '' ? [] : key.split('\n')), [client, key])
  const { value, message, reload } = useLoad(load)
  return { caps: value, error: message, reload }
}
