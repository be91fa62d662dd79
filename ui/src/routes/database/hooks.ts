import { useEffect, useState } from 'react'
import { isDenied } from '../../api/client'
import { messageOf } from '../../lib/format'

/** `value`, once it has stopped changing for `ms` (capability checks while a name is typed). */
export function useDebounced<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const id = window.setTimeout(() => setSettled(value), ms)
    return () => window.clearTimeout(id)
  }, [value, ms])
  return settled
}

/**
 * An error's text for an ErrorMessage, or undefined. A refusal to read `path` says which
 * capability the token lacks, rather than a bare "permission denied".
 */
export function errorText(error: unknown, path?: string): string | undefined {
  if (error === undefined) return undefined
  if (path && isDenied(error)) return `This token may not read ${path} (${messageOf(error)}): a policy must grant "read" on it.`
  return messageOf(error)
}
