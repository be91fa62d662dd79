import { useEffect, useState } from 'react'

/** The pages of the main layout, in nav order, with their hash. */
export const PAGES = [
  { route: 'status', label: 'Status' },
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

export function hrefOf(route: string): string {
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
  const hash = hrefOf(screen)
  if (window.location.hash !== hash) window.history.replaceState(null, '', hash)
}
