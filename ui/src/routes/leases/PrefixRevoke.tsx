import { useEffect, useState, type FormEvent } from 'react'
import { NO_FILTER, revokePrefix, searchLeases } from '../../api/leases'
import { useServices } from '../../app/services'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Equivalent } from '../../components/Equivalent'
import { GatedButton } from '../../components/GatedButton'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { TextField } from '../../components/TextField'
import { formatCount, messageOf } from '../../lib/format'
import { revokePrefixCall } from './calls'
import { revokeFolder } from './query'

interface PrefixRevokeProps {
  /** What the field starts from (the list's prefix or role filter); typing overrides it. */
  suggestion: string
  denied: string | undefined
  onDone(): void
}

interface Matching {
  folder: string
  total: number
  irrevocable: number
}

/** `revoke-prefix`, after counting what it will revoke (two one-row searches, not a listing). */
export function PrefixRevoke({ suggestion, denied, onDone }: PrefixRevokeProps) {
  const { client } = useServices()
  const [typed, setTyped] = useState<string>()
  const [fieldError, setFieldError] = useState<string>()
  const [error, setError] = useState<string>()
  const [notice, setNotice] = useState<string>()
  const [counting, setCounting] = useState(false)
  const [matching, setMatching] = useState<Matching>()
  const [busy, setBusy] = useState(false)

  useEffect(() => setTyped(undefined), [suggestion])

  const prefix = typed ?? suggestion
  const folder = revokeFolder(prefix)

  const count = (e: FormEvent) => {
    e.preventDefault()
    setNotice(undefined)
    setError(undefined)
    if (folder === '') {
      setFieldError('Enter a prefix, such as database/creds/readonly/.')
      return
    }
    setFieldError(undefined)
    setCounting(true)
    const filter = { ...NO_FILTER, prefix: folder }
    Promise.all([searchLeases(client, filter, 1), searchLeases(client, { ...filter, irrevocable: true }, 1)])
      .then(([all, stuck]) => {
        if (all.total === 0) setNotice(`No leases are under ${folder}: nothing to revoke.`)
        else setMatching({ folder, total: all.total, irrevocable: stuck.total })
      })
      .catch((e: unknown) => setError(messageOf(e)))
      .finally(() => setCounting(false))
  }

  const revoke = () => {
    if (!matching) return
    setBusy(true)
    setError(undefined)
    revokePrefix(client, matching.folder)
      .then(() => {
        setNotice(`Revoked ${leases(matching.total)} under ${matching.folder}.`)
        setMatching(undefined)
        onDone()
      })
      .catch((e: unknown) => setError(messageOf(e)))
      .finally(() => setBusy(false))
  }

  return (
    <form className="card" onSubmit={count} noValidate aria-labelledby="lease-prefix-title">
      <h2 id="lease-prefix-title">Revoke by prefix</h2>
      <TextField
        id="lease-revoke-prefix"
        label="Prefix to revoke"
        value={prefix}
        onChange={setTyped}
        error={fieldError}
        placeholder="database/creds/readonly/"
        hint="Every lease whose id is under this folder (a / is added at the end if missing). Filled in from the list’s prefix or role filter."
      />
      <ErrorMessage message={matching ? undefined : error} />
      <StatusMessage tone="success">{notice}</StatusMessage>
      <div className="actions">
        <GatedButton type="submit" className="danger" deniedReason={denied} disabled={counting}>
          {counting ? 'Counting…' : 'Revoke by prefix…'}
        </GatedButton>
      </div>
      <Equivalent call={revokePrefixCall(folder || prefix)} />
      <ConfirmDialog
        open={matching !== undefined}
        title={`Revoke ${leases(matching?.total ?? 0)}`}
        confirmLabel={busy ? 'Revoking…' : `Revoke ${leases(matching?.total ?? 0)}`}
        busy={busy}
        onConfirm={revoke}
        onCancel={() => {
          setMatching(undefined)
          setError(undefined)
        }}
      >
        {matching && (
          <>
            <p>
              Strongroom revokes all {leases(matching.total)} under <code>{matching.folder}</code> (as counted just now; leases
              issued meanwhile go too): their credentials stop working. This cannot be undone.
            </p>
            {matching.irrevocable > 0 && (
              <p>
                {leases(matching.irrevocable)} of them {matching.irrevocable === 1 ? 'is' : 'are'} irrevocable: revoking{' '}
                {matching.irrevocable === 1 ? 'it' : 'them'} failed before and will likely fail again, which is reported, while the
                others are still revoked. Force revoke removes those from the irrevocable view.
              </p>
            )}
            <Equivalent call={revokePrefixCall(matching.folder)} />
            <ErrorMessage message={error} />
          </>
        )}
      </ConfirmDialog>
    </form>
  )
}

function leases(n: number): string {
  return n === 1 ? '1 lease' : `${formatCount(n)} leases`
}
