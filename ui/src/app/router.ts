import { useEffect, useState } from 'react'

/** The pages of the main layout, in nav order, with their hash. */
export const PAGES = [
  { route: 'status', label: 'Status' },
  { route: 'credentials', label: 'Credentials' },
  { route: 'leases', label: 'Leases' },
  { route: 'database', label: 'Database' },
  { route: 'policies', label: 'Policies' },
  { route: 'tokens', label: 'Tokens' },
  { route: 'storage', label: 'Storage' },
  { route: 'infra', label: 'IAM & infrastructure' },
  { route: 'settings', label: 'Settings' },
] as const

export type Page = (typeof PAGES)[number]['route']

/** The page a hash such as `#/storage` names; anything else is the status page. */
export function pageOf(hash: string): Page {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0]
  return PAGES.find((p) => p.route === name)?.route ?? 'status'
}

/**
 * What follows the page in the hash, split at `/` and decoded: `#/database/roles/readonly`
 * gives `['roles', 'readonly']`. A query (`?…`) is not part of it.
 */
export function subpathOf(hash: string): string[] {
  const path = hash.replace(/^#\/?/, '').split('?')[0] ?? ''
  return path
    .split('/')
    .slice(1)
    .map(decodePart)
    .filter((part) => part !== '')
}

/**
 * One part of the hash, decoded; a part that is not valid percent-encoding is kept as typed
 * (an edited address must not break the page). Parts with a `.` or `..` segment are dropped:
 * the pages put these parts into API paths, where they would climb to another endpoint.
 */
function decodePart(part: string): string {
  let decoded = part
  try {
    decoded = decodeURIComponent(part)
  } catch {
    // kept as typed
  }
  return decoded.split('/').some((segment) => segment === '.' || segment === '..') ? '' : decoded
}

/** The hash of a page and its sub-path parts (encoded). */
export function hrefOf(route: string, ...parts: string[]): string {
  if (parts.length > 0) return `#/${route}/${parts.map(encodeURIComponent).join('/')}`
  return `#/${route}`
}

/** The current hash, kept in step with navigation (back/forward included). */
export function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash)
  useEffect(() => {
    const onChange = () => setHash(window.location.hash)
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return hash
}

/**
 * Shows a screen the server state chose (setup, unseal, login) in the address bar without
 * adding a history entry: the user cannot navigate to those, only see where they are.
 */
export function showScreenInHash(screen: string): void {
  // A page's own sub-path (`#/database/roles/x`) stays.
  if (pageOf(window.location.hash) === screen && window.location.hash.startsWith(hrefOf(screen))) return
  const hash = hrefOf(screen)
  if (window.location.hash !== hash) window.history.replaceState(null, '', hash)
}
