import type { SealStatus } from '../../api/types'
import { PageHeading } from '../../components/PageHeading'

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

const STORAGE_NAMES: Record<string, string> = { local: 'Local file', dynamodb: 'Amazon DynamoDB' }
const SEAL_NAMES: Record<string, string> = { shamir: 'Key shares (Shamir)', awskms: 'AWS KMS auto-unseal' }

/** The node's seal status (polled by the shell), read through the same API the CLI uses. */
export function StatusPage({ status, onRefresh }: { status: SealStatus; onRefresh(): void }) {
  const state = stateOf(status)
  return (
    <>
      <header className="page-header">
        <PageHeading>Status</PageHeading>
        <button type="button" onClick={onRefresh}>
          Refresh
        </button>
      </header>
      <section className="card" aria-label="Seal status">
        <div className={`badge badge-${state}`} data-testid="state" role="status">
          {LABELS[state]}
        </div>
        <dl className="facts">
          <dt>Storage</dt>
          <dd>{STORAGE_NAMES[status.storage_type] ?? status.storage_type}</dd>
          <dt>Seal</dt>
          <dd>{SEAL_NAMES[status.type] ?? status.type}</dd>
          <dt>{status.recovery_seal ? 'Recovery shares' : 'Key shares'}</dt>
          <dd>{status.initialized ? `${status.t} of ${status.n} needed` : '—'}</dd>
          <dt>Cluster</dt>
          <dd>{status.cluster_name ?? '—'}</dd>
          <dt>Version</dt>
          <dd>{status.version}</dd>
        </dl>
      </section>
    </>
  )
}
