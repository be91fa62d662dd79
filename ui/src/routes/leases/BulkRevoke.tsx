import { useRef, useState } from 'react'
import { forceRevoke, revokeLease, type ListedLease } from '../../api/leases'
import { useServices } from '../../app/services'
import { Checkbox } from '../../components/Checkbox'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Equivalent } from '../../components/Equivalent'
import { GatedButton } from '../../components/GatedButton'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { formatCount } from '../../lib/format'
import { BULK_CONCURRENCY, runBounded, type BulkProgress } from './bulk'
import { bulkCall } from './calls'
import type { Gates } from './gates'

interface BulkRevokeProps {
  /** The rows of the page shown, for "select all" and to keep the selection in page order. */
  leases: ListedLease[]
  selected: ReadonlySet<string>
  onSelectAll(on: boolean): void
  gates: Gates
  /** Force revoke is offered in the irrevocable view only. */
  irrevocableView: boolean
  /** The run is over: `failed` stay selected, and the list is reloaded. */
  onFinished(failed: string[]): void
}

type Kind = 'revoke' | 'force'

/**
 * Revokes the selected leases, one request each, a few at a time: the server has no bulk
 * endpoint for a list of ids, and one by one shows progress and which ones failed.
 */
export function BulkRevoke({ leases, selected, onSelectAll, gates, irrevocableView, onFinished }: BulkRevokeProps) {
  const { client } = useServices()
  const [confirming, setConfirming] = useState<Kind>()
  const [progress, setProgress] = useState<BulkProgress>()
  const [result, setResult] = useState<{ kind: Kind; progress: BulkProgress }>()
  const stopping = useRef(false)
  const running = progress !== undefined
  const ids = leases.map((l) => l.lease_id).filter((id) => selected.has(id))
  const n = ids.length
  const all = leases.length > 0 && n === leases.length

  const run = (kind: Kind) => {
    stopping.current = false
    setResult(undefined)
    setProgress({ total: n, succeeded: 0, failed: [] })
    const task = (id: string) => {
      if (stopping.current) return Promise.reject(new Error('not attempted: stopped'))
      return kind === 'force' ? forceRevoke(client, id) : revokeLease(client, id)
    }
    void runBounded(ids, BULK_CONCURRENCY, task, setProgress).then((done) => {
      setProgress(undefined)
      setConfirming(undefined)
      setResult({ kind, progress: done })
      onFinished(done.failed.map((f) => f.id))
    })
  }

  const cancel = () => {
    if (running) stopping.current = true
    else setConfirming(undefined)
  }

  const verb = (kind: Kind) => (kind === 'force' ? 'Force revoked' : 'Revoked')
  return (
    <div className="lease-bulk">
      <Checkbox id="lease-select-page" checked={all} indeterminate={n > 0 && !all} onChange={onSelectAll} disabled={leases.length === 0}>
        Select all on this page
      </Checkbox>
      <div className="actions">
        <GatedButton className="danger" deniedReason={gates.revoke} disabled={n === 0} onClick={() => setConfirming('revoke')}>
          Revoke {formatCount(n)} selected
        </GatedButton>
        {irrevocableView && (
          <GatedButton className="danger" deniedReason={gates.revokeForce} disabled={n === 0} onClick={() => setConfirming('force')}>
            Force revoke {formatCount(n)} selected
          </GatedButton>
        )}
      </div>
      {result && <Result kind={result.kind} progress={result.progress} verb={verb(result.kind)} />}
      <ConfirmDialog
        open={confirming !== undefined}
        title={confirming === 'force' ? `Force revoke ${leaseCount(n)}` : `Revoke ${leaseCount(n)}`}
        confirmLabel={running ? 'Working…' : confirming === 'force' ? `Force revoke ${leaseCount(n)}` : `Revoke ${leaseCount(n)}`}
        busy={running}
        onConfirm={() => confirming && run(confirming)}
        onCancel={cancel}
      >
        {confirming === 'force' ? (
          <>
            <p>
              Strongroom forgets these {leaseCount(n)} without revoking them in the database.{' '}
              <strong>The database users they created may remain, with working passwords:</strong> find them and drop them by
              hand. Their stored errors:
            </p>
            <ul className="lease-id-list">
              {leases
                .filter((l) => selected.has(l.lease_id))
                .map((l) => (
                  <li key={l.lease_id}>
                    <code>{l.lease_id}</code>: {l.revoke_error ?? 'no error stored'}
                  </li>
                ))}
            </ul>
          </>
        ) : (
          <p>
            Strongroom revokes these {leaseCount(n)}, {BULK_CONCURRENCY} at a time: the credentials they cover stop working (for
            a database role, the database users are dropped). This cannot be undone. Leases that fail stay selected.
          </p>
        )}
        {progress && (
          <>
            <progress className="progress" max={progress.total} value={progress.succeeded + progress.failed.length} />
            <StatusMessage>
              {verb(confirming ?? 'revoke')} {formatCount(progress.succeeded)} of {formatCount(progress.total)}
              {progress.failed.length > 0 && `, ${formatCount(progress.failed.length)} failed`}. Cancel stops after the requests
              already sent.
            </StatusMessage>
          </>
        )}
        <Equivalent call={bulkCall(ids, confirming === 'force')} summary="As a command (one call per lease, in a loop)" />
      </ConfirmDialog>
    </div>
  )
}

function Result({ kind, progress, verb }: { kind: Kind; progress: BulkProgress; verb: string }) {
  const summary = `${verb} ${formatCount(progress.succeeded)} of ${leaseCount(progress.total)}.`
  if (progress.failed.length === 0) {
    return <StatusMessage tone="success">{kind === 'force' ? `${summary} Drop their database users by hand if they remain.` : summary}</StatusMessage>
  }
  return (
    <ErrorMessage message={`${summary} ${formatCount(progress.failed.length)} failed and stay selected:`}>
      <ul className="lease-id-list">
        {progress.failed.map((f) => (
          <li key={f.id}>
            <code>{f.id}</code>: {f.error}
          </li>
        ))}
      </ul>
    </ErrorMessage>
  )
}

function leaseCount(n: number): string {
  return n === 1 ? '1 lease' : `${formatCount(n)} leases`
}
