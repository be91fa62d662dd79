import { useCallback, useEffect, useState } from 'react'
import { VaultClient } from '../../api/client'
import type { SealStatus } from '../../api/types'

/** One word for the node's state, as the status badge shows it. */
export function stateOf(status: SealStatus): 'uninitialized' | 'sealed' | 'unsealed' {
  if (!status.initialized) return 'uninitialized'
  return status.sealed ? 'sealed' : 'unsealed'
}

const LABELS = {
  uninitialized: 'Not initialized',
  sealed: 'Sealed',
  unsealed: 'Unsealed',
} as const

/** The core's seal status, read through the same API the CLI uses. */
export function StatusPage({ client }: { client: VaultClient }) {
  const [status, setStatus] = useState<SealStatus>()
  const [error, setError] = useState<string>()

  const refresh = useCallback(() => {
    client
      .sealStatus()
      .then((s) => {
        setStatus(s)
        setError(undefined)
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
  }, [client])

  useEffect(refresh, [refresh])

  return (
    <main className="page">
      <header className="page-header">
        <h1>Strongroom</h1>
        <button type="button" onClick={refresh}>
          Refresh
        </button>
      </header>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {status && (
        <section className="card" aria-label="Seal status">
          <div className={`badge badge-${stateOf(status)}`} data-testid="state">
            {LABELS[stateOf(status)]}
          </div>
          <dl className="facts">
            <dt>Storage</dt>
            <dd>{status.storage_type}</dd>
            <dt>Seal</dt>
            <dd>{status.type}</dd>
            <dt>Key shares</dt>
            <dd>{status.initialized ? `${status.t} of ${status.n} needed` : '—'}</dd>
            <dt>Unseal progress</dt>
            <dd>{status.initialized && status.sealed ? `${status.progress} of ${status.t}` : '—'}</dd>
            <dt>Cluster</dt>
            <dd>{status.cluster_name ?? '—'}</dd>
            <dt>Version</dt>
            <dd>{status.version}</dd>
          </dl>
        </section>
      )}
      <p className="hint">
        The core runs inside this app with its data in one local file. Guided setup (storage, seal,
        key shares) comes with the first-run wizard; until then <code>strongroom server -config</code>{' '}
        runs the same core for the <code>bao</code> and <code>vault</code> command-line tools.
      </p>
    </main>
  )
}
