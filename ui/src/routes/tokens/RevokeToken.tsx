import { useState, type FormEvent } from 'react'
import { VaultError } from '../../api/client'
import { lookupAccessor, revokeAccessor, type TokenLookup } from '../../api/tokens'
import { deniedReason, useCapabilities } from '../../app/capabilities'
import { useServices } from '../../app/services'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Equivalent } from '../../components/Equivalent'
import { focusById } from '../../components/focus'
import { GatedButton } from '../../components/GatedButton'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { TextField } from '../../components/TextField'
import { messageOf } from '../../lib/format'
import { revokeCall } from './tokenForm'

const REVOKE_PATH = 'auth/token/revoke-accessor'

/**
 * Revokes a token by its accessor, which is not secret. Before asking for confirmation the
 * token is looked up (when the caller may), so the dialog can say which token goes.
 */
export function RevokeToken({ ownAccessor }: { ownAccessor: string | undefined }) {
  const { client } = useServices()
  const { caps } = useCapabilities([REVOKE_PATH])
  const [accessor, setAccessor] = useState('')
  const [fieldError, setFieldError] = useState<string>()
  const [target, setTarget] = useState<{ accessor: string; token?: TokenLookup }>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const [done, setDone] = useState<string>()

  const ask = (e: FormEvent) => {
    e.preventDefault()
    const wanted = accessor.trim()
    setDone(undefined)
    setError(undefined)
    if (wanted === '') {
      setFieldError('Enter the accessor of the token to revoke.')
      focusById('revoke-accessor')
      return
    }
    setBusy(true)
    lookupAccessor(client, wanted)
      .then((token) => setTarget({ accessor: wanted, token }))
      .catch((failure: unknown) => {
        // An unknown accessor is worth saying now; a lookup the token may not do is not.
        if (failure instanceof VaultError && failure.status === 400) setFieldError(failure.message)
        else setTarget({ accessor: wanted })
      })
      .finally(() => setBusy(false))
  }

  const revoke = () => {
    if (!target) return
    setBusy(true)
    revokeAccessor(client, target.accessor)
      .then(() => {
        setDone(`The token with accessor ${target.accessor} was revoked, with its child tokens.`)
        setAccessor('')
      })
      .catch((failure: unknown) => setError(messageOf(failure)))
      .finally(() => {
        setBusy(false)
        setTarget(undefined)
      })
  }

  const own = target !== undefined && target.accessor === ownAccessor
  return (
    <form className="card" onSubmit={ask} noValidate aria-labelledby="revoke-token-title">
      <h2 id="revoke-token-title">Revoke a token</h2>
      <TextField
        id="revoke-accessor"
        label="Accessor"
        value={accessor}
        onChange={(value) => {
          setAccessor(value)
          setFieldError(undefined)
        }}
        error={fieldError}
        hint="Shown when a token is created and in lookups. It identifies the token without being it."
      />
      <ErrorMessage message={error} />
      <StatusMessage tone="success">{done}</StatusMessage>
      <div className="actions">
        <GatedButton type="submit" className="danger" disabled={busy} deniedReason={deniedReason(caps, REVOKE_PATH, 'update')}>
          Revoke token
        </GatedButton>
      </div>
      <Equivalent call={revokeCall(accessor)} />
      <ConfirmDialog
        open={target !== undefined}
        title="Revoke this token?"
        confirmLabel={busy ? 'Revoking…' : 'Revoke the token'}
        busy={busy}
        onConfirm={revoke}
        onCancel={() => setTarget(undefined)}
      >
        <p>
          The token with accessor <span className="mono">{target?.accessor}</span>
          {target?.token && ` (${target.token.display_name}, policies ${target.token.policies.join(', ')})`} stops working at
          once, and so does every token created from it that is not an orphan. The leases they created are revoked right
          after.
        </p>
        {own && <p>This is the token you are signed in with: you will have to sign in again.</p>}
      </ConfirmDialog>
    </form>
  )
}
