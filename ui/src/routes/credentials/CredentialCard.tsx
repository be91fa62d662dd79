import { useLayoutEffect, useState } from 'react'
import { deniedReason, type CapabilityMap } from '../../app/capabilities'
import { useServices } from '../../app/services'
import { renewCall } from '../../api/credentials'
import { renewLease, revokeLease } from '../../api/leases'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { CopyButton } from '../../components/CopyButton'
import { focusById } from '../../components/focus'
import { Equivalent } from '../../components/Equivalent'
import { GatedButton } from '../../components/GatedButton'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { formatSpan } from '../../lib/duration'
import { messageOf } from '../../lib/format'
import { revokeCall } from '../leases/calls'
import { checkouts, type Checkout } from './store'
import { formatClock, validUntil } from './ttl'
import { MASK, masked, psqlCommand } from './uri'

const STATUS_LABEL = { active: 'Active', returned: 'Returned', expired: 'Expired' } as const

interface CredentialCardProps {
  checkout: Checkout
  /** The countdown's clock (epoch ms), ticking every second. */
  now: number
  caps: CapabilityMap | undefined
}

/** One checked-out credential: its secrets (masked until shown), countdown, Renew and Return. */
export function CredentialCard({ checkout, now, caps }: CredentialCardProps) {
  const { client } = useServices()
  const [shown, setShown] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const [renewed, setRenewed] = useState<string>()
  const { id, role, username, leaseId, secret } = checkout
  const titleId = `credential-${id}-title`

  // For benchmarks: the time from the click to this card on screen, taken once.
  useLayoutEffect(() => {
    if (checkout.clickedAt !== undefined && checkout.checkoutMs === undefined) {
      checkouts.displayed(id, Math.round((performance.now() - checkout.clickedAt) * 10) / 10)
    }
  }, [id, checkout.clickedAt, checkout.checkoutMs])

  const renew = () => {
    setBusy(true)
    setError(undefined)
    setRenewed(undefined)
    renewLease(client, leaseId, checkout.ttl)
      .then((reply) => {
        checkouts.renewed(id, reply.lease_duration, reply.warnings?.join(' ') || undefined)
        setRenewed(`Renewed for ${formatSpan(reply.lease_duration)}.`)
      })
      .catch((e: unknown) => {
        // Revoked or expired elsewhere: the user is gone, so the secrets go too.
        if (/lease not found|lease is not renewable|invalid lease/.test(messageOf(e))) checkouts.leasesEnded((lease) => lease === leaseId)
        setError(messageOf(e))
      })
      .finally(() => setBusy(false))
  }

  const giveBack = () => {
    setBusy(true)
    setError(undefined)
    revokeLease(client, leaseId)
      .then(() => {
        // revokeLease announced the lease's end, so the store has already wiped the secrets;
        // the buttons that had the focus are gone: continue from the card's title.
        focusById(titleId)
      })
      .catch((e: unknown) => setError(messageOf(e)))
      .finally(() => {
        setBusy(false)
        setConfirming(false)
      })
  }

  const active = checkout.status === 'active'
  const uri = secret?.uri
  const show = (text: string) => (shown || !secret ? text : masked(text, username, secret.password))
  return (
    <article className="card credential" aria-labelledby={titleId} data-checkout-ms={checkout.checkoutMs}>
      <header className="credential-header">
        <h3 id={titleId} tabIndex={-1}>
          Credential for {role.name}
        </h3>
        <span className={`credential-status credential-${checkout.status}`}>{STATUS_LABEL[checkout.status]}</span>
      </header>
      {secret ? (
        <dl className="facts">
          <dt>Username</dt>
          <dd className="secret-line">
            <code>{username}</code>
            <CopyButton text={username} label="Copy username" />
          </dd>
          <dt>Password</dt>
          <dd className="secret-line">
            <code>{shown ? secret.password : MASK}</code>
            <button type="button" className="quiet" onClick={() => setShown(!shown)}>
              {shown ? 'Hide password' : 'Show password'}
            </button>
            <CopyButton text={secret.password} label="Copy password" />
          </dd>
          <dt>Connection URI</dt>
          {uri ? (
            <dd className="secret-line">
              <code>{show(uri)}</code>
              <CopyButton text={uri} label="Copy connection URI" />
            </dd>
          ) : (
            <dd className="hint-inline">{checkout.noUri}</dd>
          )}
          {uri && (
            <>
              <dt>psql</dt>
              <dd className="secret-line">
                <code>{show(psqlCommand(uri))}</code>
                <CopyButton text={psqlCommand(uri)} label="Copy psql command" />
              </dd>
            </>
          )}
          <dt>Valid until</dt>
          <dd>
            <span role="timer">{validUntil(checkout.expiresAt, now)}</span>
          </dd>
          <dt>Lease</dt>
          <dd className="mono">{leaseId}</dd>
        </dl>
      ) : (
        <p>
          {checkout.status === 'returned'
            ? `Returned: PostgreSQL user ${username} was dropped.`
            : `Expired at ${formatClock(checkout.expiresAt, now)}: Strongroom dropped PostgreSQL user ${username}.`}{' '}
          The password is gone from this app.
        </p>
      )}
      <StatusMessage tone="warning">{active && checkout.warning}</StatusMessage>
      <StatusMessage tone="success">{active && renewed}</StatusMessage>
      <ErrorMessage message={error} />
      {active ? (
        <>
          <div className="actions">
            <GatedButton
              onClick={renew}
              disabled={busy || !checkout.renewable}
              deniedReason={deniedReason(caps, 'sys/leases/renew', 'update')}
            >
              Renew
            </GatedButton>
            <GatedButton
              className="danger"
              onClick={() => setConfirming(true)}
              disabled={busy}
              deniedReason={deniedReason(caps, 'sys/leases/revoke', 'update')}
            >
              Return now
            </GatedButton>
          </div>
          {!checkout.renewable && <p className="hint">This lease is not renewable.</p>}
          <Equivalent call={renewCall(leaseId, checkout.ttl)} summary="Renew, as a command" />
          <Equivalent call={revokeCall(leaseId)} summary="Return, as a command" />
        </>
      ) : (
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              checkouts.remove(id)
              focusById('checkout-title')
              focusById('held-title') // wins while other credentials are listed
            }}
          >
            Remove from list
          </button>
        </div>
      )}
      <ConfirmDialog
        open={confirming && active}
        title="Return this credential?"
        confirmLabel={busy ? 'Returning…' : 'Return credential'}
        busy={busy}
        onConfirm={giveBack}
        onCancel={() => setConfirming(false)}
      >
        <p>PostgreSQL user {username} is dropped now; connections using it stop working.</p>
      </ConfirmDialog>
    </article>
  )
}
