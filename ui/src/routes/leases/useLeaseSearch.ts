import { useEffect, useState } from 'react'
import { searchLeases, type SearchPage } from '../../api/leases'
import { useServices } from '../../app/services'
import { messageOf } from '../../lib/format'
import { currentAfter, type ListQuery } from './query'

/** A page together with the query it answers, so the page knows what it is showing. */
export interface SearchResult {
  query: ListQuery
  page: SearchPage
  /** Unix ms of the answer, which the rows' "expires in" counts from. */
  at: number
}

/**
 * Loads the page `query` names, again whenever `reload` changes. An answer that arrives after
 * the query moved on is dropped, so a slow search never overwrites a newer one.
 */
export function useLeaseSearch(query: ListQuery, reload: number, enabled: boolean) {
  const { client } = useServices()
  const [result, setResult] = useState<SearchResult>()
  const [error, setError] = useState<string>()
  const [loading, setLoading] = useState(false)

  useEffect(() => {
    if (!enabled) return undefined
    let live = true
    setLoading(true)
    searchLeases(client, query.filter, query.limit, currentAfter(query))
      .then((page) => {
        if (!live) return
        setResult({ query, page, at: Date.now() })
        setError(undefined)
      })
      .catch((e: unknown) => live && setError(messageOf(e)))
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [client, query, reload, enabled])

  return { result, error, loading }
}
