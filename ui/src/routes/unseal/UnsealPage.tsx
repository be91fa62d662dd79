import { useEffect, useState, type FormEvent } from 'react'
import { useServices } from '../../app/services'
import type { SealStatus } from '../../api/types'
import { focusById } from '../../components/focus'
import { StatusMessage } from '../../components/Messages'
import { PageHeading } from '../../components/PageHeading'
import { TextField } from '../../components/TextField'
import { messageOf } from '../../lib/format'
import { unsealWith } from './unsealWith'

interface UnsealPageProps {
  status: SealStatus
  /** The status an unseal request answered with, so progress shows at once. */
  onStatus(status: SealStatus): void
}

/**
 * Entering unseal shares one at a time (each person can type theirs on this screen in turn).
 * With AWS KMS the node unseals itself; the screen then shows what it waits for, and recovery
 * shares can still be entered after a manual seal.
 */
export function UnsealPage({ status, onStatus }: UnsealPageProps) {
  const { client, platform } = useServices()
  const [share, setShare] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState<string[] | null>(null)
  const auto = status.type !== 'shamir'

  useEffect(() => {
    if (!platform.desktop) return
    platform
      .getShares()
      .then(setSaved)
      .catch(() => setSaved(null)) // a locked keychain: the shares can still be typed
  }, [platform])

  const act = (action: () => Promise<SealStatus>) => {
    setBusy(true)
    setError(undefined)
    action()
      .then(onStatus)
      .catch((e: unknown) => {
        setError(messageOf(e))
        focusById('unseal-share')
      })
      .finally(() => setBusy(false))
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (share.trim() === '') {
      setError('Enter a share.')
      focusById('unseal-share')
      return
    }
    const key = share.trim()
    setShare('')
    act(() => client.unseal(key))
  }

  const progress = `${status.progress} of ${status.t}`
  return (
    <main className="narrow">
      <PageHeading>Strongroom is sealed</PageHeading>
      <div className="card">
        <div className="badge badge-sealed" data-testid="state">
          Sealed
        </div>
        <dl className="facts">
          <dt>Seal</dt>
          <dd>{auto ? 'AWS KMS auto-unseal' : 'Key shares (Shamir)'}</dd>
          <dt>{auto ? 'Recovery shares entered' : 'Shares entered'}</dt>
          <dd>
            <span data-testid="progress" aria-live="polite">
              {progress}
            </span>
            <progress className="progress" max={status.t || 1} value={status.progress} aria-label={`Unseal progress: ${progress}`} />
          </dd>
        </dl>
      </div>

      {auto && (
        <div className="card">
          <h2>Waiting for AWS KMS</h2>
          <StatusMessage tone={status.auto_unseal_error ? 'warning' : 'info'}>
            {status.auto_unseal_error ? (
              <>
                <p>The last attempt failed: {status.auto_unseal_error}</p>
                {status.auto_unseal_next_attempt && (
                  <p>Next attempt: {new Date(status.auto_unseal_next_attempt).toLocaleTimeString()}</p>
                )}
              </>
            ) : (
              'Strongroom unseals itself as soon as AWS KMS answers.'
            )}
          </StatusMessage>
        </div>
      )}

      {!auto && saved && saved.length > 0 && (
        <div className="card">
          <p>This computer’s keychain holds the unseal shares.</p>
          <button type="button" className="primary" disabled={busy} onClick={() => act(() => unsealWith(client, saved))}>
            Unseal with keys from keychain
          </button>
        </div>
      )}

      <form className="card" onSubmit={submit} noValidate aria-labelledby="unseal-title">
        <h2 id="unseal-title">{auto ? 'Enter recovery shares' : 'Enter unseal shares'}</h2>
        <p className="hint">
          {auto
            ? 'Only needed after Strongroom was sealed by hand, or while KMS cannot be reached.'
            : `${status.t} different shares are needed. Enter them one after another; the order does not matter.`}
        </p>
        <TextField
          id="unseal-share"
          label={auto ? 'Recovery share' : 'Unseal share'}
          value={share}
          onChange={(value) => {
            setShare(value)
            setError(undefined)
          }}
          error={error}
          secret
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Submit share
          </button>
          <button type="button" disabled={busy || status.progress === 0} onClick={() => act(() => client.resetUnseal())}>
            Reset progress
          </button>
        </div>
      </form>
    </main>
  )
}
