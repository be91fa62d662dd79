import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { leaseCounts, type LeaseFilter } from '../../api/leases'
import { useCapabilities } from '../../app/capabilities'
import { pageOf } from '../../app/router'
import { useServices } from '../../app/services'
import { Equivalent } from '../../components/Equivalent'
import { focusById } from '../../components/focus'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { PageHeading } from '../../components/PageHeading'
import { SelectField } from '../../components/SelectField'
import { formatCount } from '../../lib/format'
import { useLoad } from '../../lib/useLoad'
import { usePolling } from '../../lib/usePolling'
import { BulkRevoke } from './BulkRevoke'
import { searchCall } from './calls'
import { CountsPanel } from './CountsPanel'
import { gatesOf, LEASE_PATH_LIST, LEASE_PATHS } from './gates'
import { LeaseFilters } from './LeaseFilters'
import './leases.css'
import { LeaseTable } from './LeaseTable'
import { PrefixRevoke } from './PrefixRevoke'
import {
  currentAfter,
  firstPage,
  hashOf,
  nextPage,
  PAGE_SIZES,
  prefixSuggestion,
  previousPage,
  queryFromHash,
  rowRange,
  sameFilter,
  type ListQuery,
} from './query'
import { RowActionDialog, type RowAction } from './RowActionDialog'
import { TimelinePanel } from './TimelinePanel'
import { useLeaseSearch } from './useLeaseSearch'

/** Counts and the chart are cheap (answered from the core's index), so they stay fresh. */
const COUNTS_POLL_MS = 15_000
/** Typing in a filter searches once the typing pauses. */
const FILTER_DEBOUNCE_MS = 250

/**
 * The lease dashboard. Everything is filtered and paged by the server (it must stay quick
 * with 100,000 leases): the page holds counts, one chart and one page of rows, never the set.
 */
export function LeasesPage() {
  const { client } = useServices()
  const capabilities = useCapabilities(LEASE_PATH_LIST)
  const gates = useMemo(() => gatesOf(capabilities.caps), [capabilities.caps])
  // Nothing is fetched before the token's capabilities are known, so a narrow token gets the
  // reasons instead of refused requests; if the check itself fails, the server decides.
  const ready = capabilities.caps !== undefined || capabilities.error !== undefined
  const [draft, setDraft] = useState<LeaseFilter>(() => queryFromHash(window.location.hash).filter)
  const [query, setQuery] = useState<ListQuery>(() => queryFromHash(window.location.hash))
  const [reload, setReload] = useState(0)
  const [tick, setTick] = useState(0)
  /** When the rows' relative times were last counted (the 15 s tick, or the page's answer). */
  const [clock, setClock] = useState(() => Date.now())
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [action, setAction] = useState<RowAction>()
  const [notice, setNotice] = useState<string>()
  const listRef = useRef<HTMLElement>(null)
  /** performance.now() of the last filter change not yet shown (for `data-filter-ms`). */
  const changedAt = useRef<number | undefined>(undefined)
  const draftRef = useRef(draft)
  draftRef.current = draft

  // `tick` is a dependency so that each poll and refresh loads again.
  const countsLoad = useLoad(
    useCallback(
      () => (!ready || gates.counts ? Promise.resolve(undefined) : leaseCounts(client)),
      [client, tick, ready, gates.counts],
    ),
  )
  const counts = countsLoad.value
  usePolling(
    () => {
      setTick((t) => t + 1)
      setClock(Date.now())
    },
    COUNTS_POLL_MS,
    true,
  )

  useEffect(() => {
    const id = window.setTimeout(() => setQuery((q) => (sameFilter(q.filter, draft) ? q : firstPage(draft, q.limit))), FILTER_DEBOUNCE_MS)
    return () => window.clearTimeout(id)
  }, [draft])

  // The view is in the hash so it can be linked; replaced, not pushed, so typing adds no history.
  useEffect(() => {
    const hash = hashOf(query.filter, query.limit)
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash)
  }, [query.filter, query.limit])

  // A link or back/forward to another filtered view.
  useEffect(() => {
    const onHash = () => {
      if (pageOf(window.location.hash) !== 'leases') return
      const linked = queryFromHash(window.location.hash)
      setDraft(linked.filter)
      setQuery((q) => (sameFilter(q.filter, linked.filter) && q.limit === linked.limit ? q : linked))
    }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])

  useEffect(() => setSelected(new Set()), [query])

  const search = useLeaseSearch(query, reload, ready && gates.search === undefined)
  const result = search.result?.query === query ? search.result : undefined
  const shown = search.result

  useEffect(() => {
    if (!result) return
    // Revocations can empty the last page: step back to one that has rows.
    if (result.page.leases.length === 0 && query.cursors.length > 0) setQuery(previousPage(query))
    const started = changedAt.current
    if (started !== undefined && sameFilter(result.query.filter, draftRef.current)) {
      listRef.current?.setAttribute('data-filter-ms', String(Math.round(performance.now() - started)))
      changedAt.current = undefined
    }
  }, [result, query])

  const changeFilter = (filter: LeaseFilter, typed = false) => {
    changedAt.current = performance.now()
    setDraft(filter)
    // A choice is searched at once; typing waits for the debounce above.
    if (!typed) setQuery((q) => (sameFilter(q.filter, filter) ? q : firstPage(filter, q.limit)))
  }
  const showFilter = (change: Partial<LeaseFilter>) => {
    changeFilter({ ...draft, ...change })
    focusById('lease-list-title')
  }
  const select = useCallback((id: string, on: boolean) => {
    setSelected((current) => {
      const next = new Set(current)
      if (on) next.add(id)
      else next.delete(id)
      return next
    })
  }, [])
  const openAction = useCallback((a: RowAction) => {
    setNotice(undefined)
    setAction(a)
  }, [])
  const refresh = useCallback(() => {
    setReload((r) => r + 1)
    setTick((t) => t + 1)
  }, [])

  const page = shown?.page
  const range = shown ? rowRange(shown.query, shown.page.leases.length) : undefined
  const rowReasons = [...new Set([gates.renew, gates.revoke, gates.revokeForce].filter(Boolean))]
  return (
    <>
      <header className="page-header">
        <PageHeading>Leases</PageHeading>
        <button
          type="button"
          onClick={() => {
            capabilities.reload()
            refresh()
          }}
        >
          Refresh
        </button>
      </header>
      <p className="lead">Every credential handed out under a lease: how many, when they expire, and revoking them.</p>
      <StatusMessage tone="success">{notice}</StatusMessage>
      <CountsPanel
        counts={counts}
        error={countsLoad.message}
        denied={gates.counts}
        onMount={(mount) => showFilter({ mount, role: '' })}
        onRole={(mount, role) => showFilter({ mount, role })}
        onIrrevocable={() => showFilter({ irrevocable: true, expiringWithin: '' })}
      />
      <TimelinePanel ready={ready} denied={gates.timeline} tick={tick} onExpiringWithin={(expiringWithin) => showFilter({ expiringWithin, irrevocable: false })} />
      <section className="card" id="lease-list" ref={listRef} aria-labelledby="lease-list-title" aria-busy={search.loading}>
        <h2 id="lease-list-title" tabIndex={-1}>
          Lease list
        </h2>
        {gates.search ? (
          <p>
            Your token’s policies do not allow listing leases: they do not grant "read" on <code>{LEASE_PATHS.search}</code>.
            Ask an operator to add it to one of your policies.
          </p>
        ) : (
          <>
            <LeaseFilters filter={draft} counts={counts} onChange={changeFilter} />
            {draft.irrevocable && (
              <p className="hint">
                Irrevocable leases are those whose revocation kept failing: each shows the stored error. Fix the cause and revoke
                again, or force revoke to drop them from Strongroom (their database users then have to be removed by hand).
              </p>
            )}
            <Equivalent call={searchCall(query.filter, query.limit, currentAfter(query))} summary="This search as a command" />
            <ErrorMessage message={search.error} />
            <p className="lease-matching" role="status">
              {page && range
                ? `${formatCount(page.total)} matching${page.total > 0 ? `, showing ${formatCount(range.from)}–${formatCount(range.to)}` : ''}`
                : search.loading
                  ? 'Searching…'
                  : ''}
            </p>
            {rowReasons.length > 0 && <p className="gate-reason">Row actions: {rowReasons.join(' ')}</p>}
            {page && (
              <>
                <BulkRevoke
                  leases={page.leases}
                  selected={selected}
                  onSelectAll={(on) => setSelected(on ? new Set(page.leases.map((l) => l.lease_id)) : new Set())}
                  gates={gates}
                  irrevocableView={shown.query.filter.irrevocable}
                  onFinished={(failed) => {
                    setSelected(new Set(failed))
                    refresh()
                  }}
                />
                {page.leases.length > 0 ? (
                  <LeaseTable
                    leases={page.leases}
                    selected={selected}
                    onSelect={select}
                    gates={gates}
                    onAction={openAction}
                    now={Math.max(clock, shown.at)}
                  />
                ) : (
                  <p>No leases match these filters.</p>
                )}
              </>
            )}
            <nav className="lease-pager" aria-label="Pages">
              <button type="button" disabled={query.cursors.length === 0} onClick={() => setQuery(previousPage(query))}>
                Previous
              </button>
              <span>Page {query.cursors.length + 1}</span>
              <button
                type="button"
                disabled={!result?.page.next}
                onClick={() => result?.page.next && setQuery(nextPage(query, result.page.next))}
              >
                Next
              </button>
              <SelectField
                id="lease-page-size"
                label="Rows per page"
                value={String(query.limit)}
                options={PAGE_SIZES.map((n) => ({ value: String(n), label: String(n) }))}
                onChange={(n) => {
                  changedAt.current = performance.now()
                  setQuery(firstPage(draft, Number(n)))
                }}
              />
            </nav>
          </>
        )}
      </section>
      <PrefixRevoke suggestion={prefixSuggestion(query.filter, counts)} denied={gates.revokePrefix} onDone={refresh} />
      <RowActionDialog
        action={action}
        onClose={() => setAction(undefined)}
        onDone={(message) => {
          setAction(undefined)
          setNotice(message)
          refresh()
        }}
      />
    </>
  )
}
