import { useEffect, useState } from 'react'
import { forceRevoke, renewLease, revokeLease, type ListedLease } from '../../api/leases'
import { useServices } from '../../app/services'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Equivalent } from '../../components/Equivalent'
import { ErrorMessage } from '../../components/Messages'
import { SelectField } from '../../components/SelectField'
import { formatDuration, messageOf } from '../../lib/format'
import { forceRevokeCall, renewCall, revokeCall } from './calls'
import { relativeTime } from './time'

export interface RowAction {
  kind: 'renew' | 'revoke' | 'force'
  lease: ListedLease
}

const INCREMENTS = [
  { value: '15m', label: '15 minutes' },
  { value: '1h', label: '1 hour' },
  { value: '4h', label: '4 hours' },
  { value: '24h', label: '24 hours' },
  { value: '168h', label: '7 days' },
] as const

const TITLES = { renew: 'Renew 1 lease', revoke: 'Revoke 1 lease', force: 'Force revoke 1 lease' }
const BUSY = { renew: 'Renewing…', revoke: 'Revoking…', force: 'Removing…' }

interface RowActionDialogProps {
  action: RowAction | undefined
  onClose(): void
  /** The action went through; `message` says what changed. */
  onDone(message: string): void
}

/** Renew, revoke or force-revoke one lease, after saying exactly what will happen. */
export function RowActionDialog({ action, onClose, onDone }: RowActionDialogProps) {
  const { client } = useServices()
  const [increment, setIncrement] = useState('1h')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()

  useEffect(() => setError(undefined), [action])

  const confirm = () => {
    if (!action) return
    const id = action.lease.lease_id
    setBusy(true)
    setError(undefined)
    const run: Promise<string> =
      action.kind === 'renew'
        ? renewLease(client, id, increment).then(
            (reply) => `Renewed ${id}: it now expires in ${formatDuration(reply.lease_duration)}.${warningsText(reply.warnings)}`,
          )
        : action.kind === 'revoke'
          ? revokeLease(client, id).then(() => `Revoked ${id}.`)
          : forceRevoke(client, id).then(() => `Removed ${id} from Strongroom without revoking it. Drop its database user by hand if it remains.`)
    run
      .then(onDone)
      .catch((e: unknown) => setError(messageOf(e)))
      .finally(() => setBusy(false))
  }

  const kind = action?.kind ?? 'revoke'
  return (
    <ConfirmDialog
      open={action !== undefined}
      title={TITLES[kind]}
      confirmLabel={busy ? BUSY[kind] : TITLES[kind]}
      busy={busy}
      onConfirm={confirm}
      onCancel={onClose}
    >
      {action && <Body action={action} increment={increment} onIncrement={setIncrement} />}
      <ErrorMessage message={error} />
    </ConfirmDialog>
  )
}

function Body({ action, increment, onIncrement }: { action: RowAction; increment: string; onIncrement(v: string): void }) {
  const { lease } = action
  const id = <code>{lease.lease_id}</code>
  if (action.kind === 'renew') {
    return (
      <>
        <p>
          Lease {id} expires {relativeTime((Date.parse(lease.expire_time) - Date.now()) / 1000)}. Renewing sets the time it
          has left to the increment, counted from now (it is not added), up to its maximum TTL.
        </p>
        <SelectField id="lease-renew-increment" label="Increment" value={increment} options={INCREMENTS} onChange={onIncrement} />
        <Equivalent call={renewCall(lease.lease_id, increment)} />
      </>
    )
  }
  if (action.kind === 'revoke') {
    return (
      <>
        <p>
          Strongroom revokes lease {id} now: the credentials it covers stop working (for a database role, the database user
          is dropped). This cannot be undone.
        </p>
        <Equivalent call={revokeCall(lease.lease_id)} />
      </>
    )
  }
  return (
    <>
      <p>
        Strongroom forgets lease {id} without revoking it in the database. Its revocation kept failing with:
      </p>
      <p className="lease-error">{lease.revoke_error ?? 'no error was stored'}</p>
      <p>
        <strong>The database user this lease created may remain, and its password keep working.</strong> Find that user and
        drop it by hand.
      </p>
      <Equivalent call={forceRevokeCall(lease.lease_id)} />
    </>
  )
}

function warningsText(warnings: string[] | null): string {
  return warnings && warnings.length > 0 ? ` ${warnings.join(' ')}` : ''
}
