import { useCallback, useEffect, useMemo, useState } from 'react'
import { useCapabilities } from '../../app/capabilities'
import { useServices } from '../../app/services'
import { credsPath, type RoleRef } from '../../api/credentials'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { PageHeading } from '../../components/PageHeading'
import { messageOf } from '../../lib/format'
import { CheckoutForm } from './CheckoutForm'
import { CredentialCard } from './CredentialCard'
import { discoverRoles, uniqueRoles, type Discovery } from './roles'
import { checkouts, useCheckouts } from './store'
import './credentials.css'

/** The clock of the countdowns: the current time, every second while any is running. */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!running) return undefined
    setNow(Date.now())
    const id = window.setInterval(() => setNow(Date.now()), 1000)
    return () => window.clearInterval(id)
  }, [running])
  return now
}

/** One-click checkout of database credentials, and the ones held in this window. */
export function CredentialsPage() {
  const { client } = useServices()
  const [discovery, setDiscovery] = useState<Discovery>()
  const [typed, setTyped] = useState<RoleRef[]>([])
  const [error, setError] = useState<string>()
  const held = useCheckouts()
  const now = useNow(held.checkouts.some((c) => c.status === 'active'))

  const load = useCallback(() => {
    setError(undefined)
    discoverRoles(client)
      .then(setDiscovery)
      .catch((e: unknown) => setError(messageOf(e)))
  }, [client])

  useEffect(load, [load])

  const roles = useMemo(() => uniqueRoles([...(discovery?.roles ?? []), ...typed]), [discovery, typed])
  const { caps, error: capsError } = useCapabilities([...roles.map(credsPath), 'sys/leases/renew', 'sys/leases/revoke'])

  return (
    <div className="credentials">
      <header className="page-header">
        <PageHeading>Credentials</PageHeading>
        <button type="button" onClick={load}>
          Refresh roles
        </button>
      </header>
      <p className="lead">
        Check out a PostgreSQL user of its own for each task; it is dropped when returned or when it expires. The
        password is shown here once, kept in memory only: it cannot be fetched again, and reloading the app loses it.
      </p>
      <ErrorMessage message={error} />
      <ErrorMessage message={capsError && `Could not check what your token may do: ${capsError}`} />
      <StatusMessage>{!discovery && !error && 'Looking for database roles…'}</StatusMessage>
      {discovery?.notes.map((note) => (
        <p key={note} className="hint">
          {note}
        </p>
      ))}
      {discovery && (
        <CheckoutForm
          mounts={discovery.mounts}
          roles={roles}
          caps={caps}
          onAddRole={(role) => setTyped((list) => [...list, role])}
        />
      )}
      {held.checkouts.length > 0 && (
        <section className="credentials-held" aria-labelledby="held-title">
          <h2 id="held-title" tabIndex={-1}>
            Checked out
          </h2>
          {held.notifyFailure && (
            <p className="hint">
              Expiry reminders cannot be shown as notifications ({held.notifyFailure}): watch the countdowns.{' '}
              <button type="button" className="link" onClick={() => checkouts.dismissNotifyFailure()}>
                Dismiss
              </button>
            </p>
          )}
          {held.checkouts.map((checkout) => (
            <CredentialCard key={checkout.id} checkout={checkout} now={now} caps={caps} />
          ))}
        </section>
      )}
    </div>
  )
}
