import { useCallback, useEffect, useState } from 'react'
import { isDenied } from '../../api/database'
import { messageOf } from '../../lib/format'

/** The result of an async load, with the error and a way to load again. */
export interface Loaded<T> {
  value: T | undefined
  error: unknown
  loading: boolean
  reload(): void
}

/**
 * Runs `load` when its dependencies change (it should be a `useCallback`) and on `reload`;
 * an answer that arrives after a newer request started is dropped.
 */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [value, setValue] = useState<T>()
  const [error, setError] = useState<unknown>()
  const [loading, setLoading] = useState(true)
  const [generation, setGeneration] = useState(0)

  useEffect(() => {
    let live = true
    setLoading(true)
    load()
      .then((v) => {
        if (!live) return
        setValue(v)
        setError(undefined)
      })
      .catch((e: unknown) => live && setError(e))
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [load, generation])

  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  return { value, error, loading, reload }
}

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
