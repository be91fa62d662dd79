import { useEffect, useState, type FormEvent } from 'react'
import { deletePolicy, normalizePolicyName, policyNameProblem, policyPath, readPolicy, writePolicy } from '../../api/policies'
import { VaultError } from '../../api/client'
import { deniedReason, useCapabilities } from '../../app/capabilities'
import { hrefOf } from '../../app/router'
import { useServices } from '../../app/services'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Equivalent } from '../../components/Equivalent'
import { focusById } from '../../components/focus'
import { GatedButton } from '../../components/GatedButton'
import { ErrorMessage } from '../../components/Messages'
import { TextField } from '../../components/TextField'
import { messageOf } from '../../lib/format'
import { deleteCall, writeCall } from './calls'
import { NEW_SAMPLE_PATH, newPolicyDenied } from './gates'
import { appendBlock, lossSummary, parseErrorPosition, pathPatterns, type TextPosition } from './hcl'
import { HclTextarea } from './HclTextarea'
import { InsertRule } from './InsertRule'
import { TemplatePicker } from './TemplatePicker'

interface PolicyEditorProps {
  /** The policy to edit, or undefined for a new one. */
  name: string | undefined
  /** Names already taken, when the list could be read (so "new" does not overwrite one). */
  existing: string[] | undefined
  onSaved(name: string, warnings: string[]): void
  onDeleted(name: string): void
}

/** Writes one policy: its HCL, with the core's parse errors shown where they are. */
export function PolicyEditor({ name, existing, onSaved, onDeleted }: PolicyEditorProps) {
  const { client } = useServices()
  const isNew = name === undefined
  const path = name === undefined ? NEW_SAMPLE_PATH : policyPath(name)
  const { caps } = useCapabilities([path])
  const [newName, setNewName] = useState('')
  const [nameError, setNameError] = useState<string>()
  const [text, setText] = useState('')
  const [saved, setSaved] = useState<string>()
  const [loadError, setLoadError] = useState<{ message: string; missing: boolean }>()
  const [error, setError] = useState<string>()
  const [errorAt, setErrorAt] = useState<TextPosition>()
  const [busy, setBusy] = useState(false)
  const [confirming, setConfirming] = useState(false)

  useEffect(() => {
    if (name === undefined) return
    let live = true
    readPolicy(client, name)
      .then((policy) => {
        if (!live) return
        setText(policy)
        setSaved(policy)
      })
      .catch((e: unknown) => {
        if (!live) return
        const missing = e instanceof VaultError && e.status === 404
        const message = missing ? `There is no policy named ${name}.` : `Could not read the policy: ${messageOf(e)}`
        setLoadError({ message, missing })
      })
    return () => {
      live = false
    }
  }, [client, name])

  const target = name ?? normalizePolicyName(newName)
  const saveDenied = isNew ? newPolicyDenied(caps) : deniedReason(caps, path, 'update')
  const deleteDenied = name === 'default' ? 'The default policy cannot be deleted.' : deniedReason(caps, path, 'delete')

  const editText = (value: string) => {
    setText(value)
    setErrorAt(undefined)
  }

  const save = (e: FormEvent) => {
    e.preventDefault()
    if (isNew) {
      const taken = existing?.includes(target)
        ? `A policy named ${target} exists already: open it from the list to change it.`
        : undefined
      const problem = policyNameProblem(newName) ?? taken
      setNameError(problem)
      if (problem) {
        focusById('policy-name')
        return
      }
    }
    setBusy(true)
    setError(undefined)
    writePolicy(client, target, text)
      .then((warnings) => {
        setErrorAt(undefined)
        setSaved(text)
        onSaved(target, warnings)
      })
      .catch((failure: unknown) => {
        const message = messageOf(failure)
        if (message.startsWith('invalid policy name')) {
          setNameError(message)
          focusById('policy-name')
          return
        }
        setError(message)
        const position = parseErrorPosition(message)
        setErrorAt(position)
        if (!position) focusById('policy-text')
      })
      .finally(() => setBusy(false))
  }

  const remove = () => {
    if (name === undefined) return
    setBusy(true)
    setError(undefined)
    deletePolicy(client, name)
      .then(() => onDeleted(name))
      .catch((failure: unknown) => setError(messageOf(failure)))
      .finally(() => {
        setBusy(false)
        setConfirming(false)
      })
  }

  if (loadError?.missing) {
    return (
      <>
        <ErrorMessage message={loadError.message} />
        <p>
          <a href={hrefOf('policies')}>Back to the policies</a>
        </p>
      </>
    )
  }

  // While the text loads (or if it cannot be read) there is nothing to edit yet.
  const loaded = isNew || saved !== undefined
  const rules = pathPatterns(saved ?? '')
  return (
    <>
      {isNew && (
        <TemplatePicker
          text={text}
          onUse={(template) => {
            editText(template.text)
            if (newName.trim() === '') setNewName(template.name)
          }}
        />
      )}
      <form className="card" onSubmit={save} noValidate aria-label={isNew ? 'New policy' : `Policy ${name}`}>
        {loadError && (
          <ErrorMessage message={loadError.message}>
            <p>{deniedReason(caps, path, 'read')}</p>
          </ErrorMessage>
        )}
        {name === 'default' && (
          <p className="hint">
            Every token gets the default policy unless it is created without it, so it cannot be deleted. Change it with
            care: a change applies to all those tokens at once.
          </p>
        )}
        {isNew && (
          <TextField
            id="policy-name"
            label="Policy name"
            value={newName}
            onChange={(value) => {
              setNewName(value)
              setNameError(undefined)
            }}
            error={nameError}
            hint="Stored in lower case. Letters, digits, dashes and underscores are safest."
          />
        )}
        <HclTextarea
          id="policy-text"
          label="Policy (HCL)"
          value={text}
          onChange={editText}
          readOnly={!loaded}
          errorAt={errorAt}
          errorId={error ? 'policy-error' : undefined}
          hintId="policy-text-hint"
        />
        <p id="policy-text-hint" className="field-hint">
          Each rule is a path block: path "database/creds/readonly" {'{'} capabilities = ["read"] {'}'}. JSON is accepted
          too. Lines starting with # are comments.
        </p>
        <ErrorMessage id="policy-error" message={error} />
        <div className="actions">
          <GatedButton type="submit" className="primary" disabled={busy || !loaded} deniedReason={saveDenied}>
            {busy ? 'Saving…' : 'Save policy'}
          </GatedButton>
          {!isNew && (
            <GatedButton className="danger" onClick={() => setConfirming(true)} disabled={busy} deniedReason={deleteDenied}>
              Delete policy
            </GatedButton>
          )}
          {!isNew && saved !== undefined && saved !== text && <span className="inline-status">Unsaved changes</span>}
        </div>
        <Equivalent call={writeCall(target, text)} summary="Save as a command" />
        {!isNew && name !== 'default' && <Equivalent call={deleteCall(name)} summary="Delete as a command" />}
      </form>
      {loaded && <InsertRule onInsert={(block) => editText(appendBlock(text, block))} />}
      {!isNew && (
        <ConfirmDialog
          open={confirming}
          title={`Delete policy ${name}?`}
          confirmLabel={busy ? 'Deleting…' : `Delete ${name}`}
          busy={busy}
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        >
          <p>
            Tokens with this policy lose what it grants at once: {lossSummary(rules)}
          </p>
          <p>
            They keep what their other policies grant. New tokens cannot be given {name} until a policy of that name is
            written again.
          </p>
        </ConfirmDialog>
      )}
    </>
  )
}
