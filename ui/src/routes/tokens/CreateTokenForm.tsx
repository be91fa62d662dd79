import { useEffect, useState, type FormEvent } from 'react'
import { listPolicies, POLICY_LIST_PATH } from '../../api/policies'
import { createToken, type TokenAuth } from '../../api/tokens'
import { deniedReason, useCapabilities } from '../../app/capabilities'
import { useServices } from '../../app/services'
import { Checkbox } from '../../components/Checkbox'
import { DurationField } from '../../components/DurationField'
import { Equivalent } from '../../components/Equivalent'
import { focusById } from '../../components/focus'
import { GatedButton } from '../../components/GatedButton'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { TextField } from '../../components/TextField'
import { messageOf } from '../../lib/format'
import { NewTokenPanel } from './NewTokenPanel'
import { EMPTY_DRAFT, TTL_UNITS, tokenCall, tokenRequest, type TokenDraft, type TokenField } from './tokenForm'

const CREATE_PATH = 'auth/token/create'

/** The field ids, in form order, for moving the focus to the first one in error. */
const FIELD_IDS: Record<TokenField, string> = { ttl: 'token-ttl', maxTtl: 'token-max-ttl', numUses: 'token-num-uses' }

/**
 * A new token. Orphans are made as the CLI makes them (`no_parent` on `auth/token/create`),
 * which the core allows only with `sudo` there; the checkbox says so when it is missing.
 */
export function CreateTokenForm() {
  const { client } = useServices()
  const { caps, error: capsError } = useCapabilities([CREATE_PATH, POLICY_LIST_PATH])
  const settled = caps !== undefined || capsError !== undefined
  const listDenied = deniedReason(caps, POLICY_LIST_PATH, 'list')
  const isRoot = caps?.[CREATE_PATH]?.includes('root') ?? false
  const [names, setNames] = useState<string[]>()
  const [listError, setListError] = useState<string>()
  const [draft, setDraft] = useState<TokenDraft>(EMPTY_DRAFT)
  const [errors, setErrors] = useState<Partial<Record<TokenField, string>>>({})
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [created, setCreated] = useState<TokenAuth>()

  useEffect(() => {
    if (!settled || listDenied) return
    let live = true
    listPolicies(client)
      .then((keys) => live && setNames(keys))
      .catch((e: unknown) => live && setListError(messageOf(e)))
    return () => {
      live = false
    }
  }, [client, settled, listDenied])

  // Only a root token may make another root token, so `root` is offered to root tokens only.
  const offered = names?.filter((name) => name !== 'root' || isRoot)
  const listed = offered !== undefined
  const request = tokenRequest(draft, listed)
  const orphanDenied = deniedReason(caps, CREATE_PATH, 'sudo')
  const update = (change: Partial<TokenDraft>) => setDraft({ ...draft, ...change })

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setErrors(request.errors)
    const first = (Object.keys(FIELD_IDS) as TokenField[]).find((field) => request.errors[field])
    if (first) {
      focusById(FIELD_IDS[first])
      return
    }
    setBusy(true)
    setError(undefined)
    createToken(client, request.body)
      .then((auth) => {
        setCreated(auth)
        setDraft(EMPTY_DRAFT)
      })
      .catch((failure: unknown) => setError(messageOf(failure)))
      .finally(() => setBusy(false))
  }

  return (
    <>
      {created && (
        <NewTokenPanel
          auth={created}
          onDismiss={() => {
            setCreated(undefined)
            focusById('create-token-title')
          }}
        />
      )}
      <form className="card" onSubmit={submit} noValidate aria-labelledby="create-token-title">
        <h2 id="create-token-title" tabIndex={-1}>
          Create token
        </h2>
        {listed ? (
          <fieldset className="subform" aria-describedby="token-policies-hint">
            <legend>Policies</legend>
            <div className="policy-checks">
              {offered.map((name) => (
                <Checkbox
                  key={name}
                  id={`token-policy-${name}`}
                  checked={draft.policies.includes(name)}
                  onChange={(on) =>
                    // Kept in list order, so the body and the command read the same as the list.
                    update({ policies: offered.filter((p) => (p === name ? on : draft.policies.includes(p))) })
                  }
                >
                  {name}
                </Checkbox>
              ))}
            </div>
            <p id="token-policies-hint" className="field-hint">
              {POLICIES_HINT}
            </p>
          </fieldset>
        ) : listDenied || listError ? (
          <TextField
            id="token-policies"
            label="Policies (comma-separated)"
            value={draft.policiesText}
            onChange={(policiesText) => update({ policiesText })}
            placeholder="apps, default"
            hint={
              <>
                {listDenied ?? `The policies could not be listed: ${listError}`} {POLICIES_HINT}
              </>
            }
          />
        ) : (
          <StatusMessage>Loading the policies…</StatusMessage>
        )}
        <div className="field-row">
          <DurationField
            id="token-ttl"
            label="TTL"
            unitLabel="TTL unit"
            units={TTL_UNITS}
            value={draft.ttl}
            onChange={(ttl) => update({ ttl })}
            error={errors.ttl}
            hint="Empty: the server’s default (768 hours unless configured)."
          />
          <DurationField
            id="token-max-ttl"
            label="Explicit max TTL"
            unitLabel="Max TTL unit"
            units={TTL_UNITS}
            value={draft.maxTtl}
            onChange={(maxTtl) => update({ maxTtl })}
            error={errors.maxTtl}
            hint="A limit renewals cannot pass, counted from creation. Empty: none."
          />
        </div>
        <div className="field-row">
          <TextField
            id="token-display-name"
            label="Display name"
            value={draft.displayName}
            onChange={(displayName) => update({ displayName })}
            hint="Shown in lookups as token-<name>."
          />
          <TextField
            id="token-num-uses"
            label="Number of uses"
            inputMode="numeric"
            value={draft.numUses}
            onChange={(numUses) => update({ numUses })}
            error={errors.numUses}
            hint="The token is revoked after this many requests. Empty: no limit."
          />
        </div>
        <Checkbox
          id="token-renewable"
          checked={draft.renewable}
          onChange={(renewable) => update({ renewable })}
          hint="The token can extend its own TTL before it runs out, up to its maximum."
        >
          Renewable
        </Checkbox>
        <Checkbox
          id="token-orphan"
          checked={draft.orphan}
          onChange={(orphan) => update({ orphan })}
          deniedReason={orphanDenied}
          hint={`An orphan token has no parent: it is not revoked when your token is revoked or expires. Needs sudo on ${CREATE_PATH}.`}
        >
          Orphan
        </Checkbox>
        <ErrorMessage message={error} />
        <div className="actions">
          <GatedButton type="submit" className="primary" disabled={busy} deniedReason={deniedReason(caps, CREATE_PATH, 'update')}>
            {busy ? 'Creating…' : 'Create token'}
          </GatedButton>
        </div>
        <Equivalent call={tokenCall(request.body)} />
      </form>
    </>
  )
}

const POLICIES_HINT =
  'None chosen: the new token gets your token’s policies. Without sudo, you can only give policies your own token has. ' +
  'default is added unless your token lacks it.'
