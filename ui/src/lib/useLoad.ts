import { useCallback, useEffect, useState } from 'react'
import { messageOf } from './format'

/** The result of an async load, with the error and a way to load again. */
export interface Loaded<T> {
  /** The last value loaded; kept while loading again and after a failed reload. */
  value: T | undefined
  error: unknown
  /** The error's message, for an ErrorMessage. */
  message: string | undefined
  loading: boolean
  reload(): void
}

/**
 * Runs `load` when it changes (it should be a `useCallback`, whose dependencies say when to
 * load again) and on `reload`; an answer that arrives after a newer request started is dropped.
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
  return { value, error, message: error === undefined ? undefined : messageOf(error), loading, reload }
}
