import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react'
import { deniedReason, type CapabilityMap } from '../../app/capabilities'
import { useServices } from '../../app/services'
import { credsCall, credsPath, renewCall, type DatabaseMount, type RoleRef } from '../../api/credentials'
import { revokeLease } from '../../api/leases'
import { ChoiceGroup } from '../../components/ChoiceGroup'
import { DurationField } from '../../components/DurationField'
import { Equivalent } from '../../components/Equivalent'
import { GatedButton } from '../../components/GatedButton'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { formatSpan, splitSeconds, type DurationDraft } from '../../lib/duration'
import { messageOf } from '../../lib/format'
import { checkOut, loadRoleDetails, type RoleDetails } from './checkout'
import { RoleByName } from './RoleByName'
import { checkouts } from './store'
import { chooseTtl, ttlHint, type TtlChoice } from './ttl'

interface CheckoutFormProps {
  mounts: DatabaseMount[]
  roles: RoleRef[]
  caps: CapabilityMap | undefined
  onAddRole(role: RoleRef): void
}

/** Pick a role, optionally a TTL, and check out: one click to a working PostgreSQL user. */
export function CheckoutForm({ mounts, roles, caps, onAddRole }: CheckoutFormProps) {
  const { client, platform } = useServices()
  const [selected, setSelected] = useState<string>()
  const [details, setDetails] = useState<RoleDetails>()
  const [draft, setDraft] = useState<DurationDraft>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const [done, setDone] = useState<string>()
  const cache = useRef(new Map<string, Promise<RoleDetails>>())

  const role = roles.find((r) => credsPath(r) === selected) ?? roles[0]
  const path = role && credsPath(role)

  /** Each role's details are read once per visit; checkout reuses the same promise. */
  const detailsOf = useCallback(
    (r: RoleRef) => {
      const key = credsPath(r)
      let promise = cache.current.get(key)
      if (!promise) {
        promise = loadRoleDetails(client, r, mounts.find((m) => m.path === r.mount))
        cache.current.set(key, promise)
      }
      return promise
    },
    [client, mounts],
  )

  // Keyed by the path: the role objects are rebuilt with the list, the role is the same.
  useEffect(() => {
    if (!role) return undefined
    let live = true
    setDetails(undefined)
    setDraft(undefined)
    void detailsOf(role).then((d) => live && setDetails(d))
    return () => {
      live = false
    }
  }, [path, detailsOf])

  const limits = details?.limits
  const ttlDraft = draft ?? splitSeconds(limits?.defaultTtl)
  const choice: TtlChoice = limits ? chooseTtl(ttlDraft, limits) : { capped: false }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!role || choice.error) return
    const clickedAt = performance.now()
    // The expiry reminder comes from a timer later; a browser asks for permission only now.
    platform.allowNotifications().catch(() => undefined)
    setBusy(true)
    setError(undefined)
    setDone(undefined)
    const session = checkouts.session()
    checkOut(client, role, choice.renewTo, detailsOf(role))
      .then(({ checkout, renewError }) => {
        const held = checkouts.add({ ...checkout, clickedAt }, (title, body) => platform.notify(title, body), session)
        if (held === undefined) {
          // Signed out or sealed while it was being made: give it back rather than show it.
          revokeLease(client, checkout.leaseId).catch(() => undefined)
          return
        }
        setDone(`Checked out ${role.name}: PostgreSQL user ${checkout.username}.`)
        setError(renewError)
      })
      .catch((failure: unknown) => setError(messageOf(failure)))
      .finally(() => setBusy(false))
  }

  if (mounts.length === 0) {
    return (
      <section className="card" aria-labelledby="checkout-title">
        <h2 id="checkout-title" tabIndex={-1}>
          Check out a credential
        </h2>
        <p>
          No database secrets engine is enabled. Set one up on the <a href="#/database">Database</a> page first.
        </p>
      </section>
    )
  }

  return (
    <section className="card credentials-checkout" aria-labelledby="checkout-title">
      <h2 id="checkout-title" tabIndex={-1}>
        Check out a credential
      </h2>
      <form onSubmit={submit} noValidate>
        {role && path ? (
          <ChoiceGroup
            id="cred-role"
            name="cred-role"
            legend="Role"
            value={path}
            onChange={setSelected}
            choices={roles.map((r) => ({ value: credsPath(r), label: r.name, hint: credsPath(r) }))}
          />
        ) : (
          <p className="hint">No role to offer yet: type a role’s name below.</p>
        )}
        {role && limits && (
          <DurationField
            id="cred-ttl"
            label="Time to live"
            unitLabel="Unit"
            inputMode="decimal"
            value={ttlDraft}
            onChange={setDraft}
            error={choice.error}
            hint={ttlHint(limits, choice)}
          />
        )}
        {role && details && !limits && (
          <p className="hint">
            The credential gets the role’s default TTL: the role’s TTL limits cannot be read with this token.
          </p>
        )}
        <div className="actions">
          <GatedButton
            type="submit"
            className="primary"
            disabled={!role || busy || choice.error !== undefined}
            deniedReason={path ? deniedReason(caps, path, 'read') : undefined}
          >
            {busy ? 'Checking out…' : 'Check out'}
          </GatedButton>
        </div>
        <ErrorMessage message={error} />
        <StatusMessage tone="success">{done}</StatusMessage>
        {role && <Equivalent call={credsCall(role)} />}
        {role && choice.renewTo !== undefined && (
          <>
            <p className="hint">
              Vault’s creds read takes no TTL: Check out sets {formatSpan(choice.renewTo)} by renewing the new lease at
              once with that increment.
            </p>
            <Equivalent call={renewCall(undefined, choice.renewTo)} summary="The renew step, as a command" />
          </>
        )}
      </form>
      <RoleByName
        mounts={mounts}
        startOpen={roles.length === 0}
        onAdd={(r) => {
          onAddRole(r)
          setSelected(credsPath(r))
        }}
      />
    </section>
  )
}
