import { useState, type FormEvent } from 'react'
import { readConnection, writeConnection, writeConnectionCall, type ConnectionRead } from '../../api/database'
import { deniedReason, useCapabilities } from '../../app/capabilities'
import { useServices } from '../../app/services'
import { Checkbox } from '../../components/Checkbox'
import { DurationField } from '../../components/DurationField'
import { Equivalent } from '../../components/Equivalent'
import { focusById } from '../../components/focus'
import { GatedButton } from '../../components/GatedButton'
import { ErrorMessage } from '../../components/Messages'
import { TextField } from '../../components/TextField'
import { messageOf } from '../../lib/format'
import {
  bodyUrlHasPassword,
  connectionBody,
  draftFromConnection,
  newConnectionDraft,
  type ConnectionDraft,
  type ConnectionField,
} from './connectionForm'
import { urlHasPassword } from './connectionUrl'
import { useDebounced } from './hooks'
import { nameError } from './names'

const FIELD_ORDER: ConnectionField[] = ['name', 'connection_url', 'username', 'password', 'max_open', 'max_idle', 'lifetime']

interface ConnectionFormProps {
  mount: string
  /** Undefined for a new connection. */
  name: string | undefined
  stored: ConnectionRead | undefined
  onSaved(name: string, warnings: string[]): void
}

/** Adding or editing a PostgreSQL connection, verified against the database before it is stored. */
export function ConnectionForm({ mount, name, stored, onSaved }: ConnectionFormProps) {
  const { client } = useServices()
  const [draft, setDraft] = useState<ConnectionDraft>(() => (name && stored ? draftFromConnection(name, stored) : newConnectionDraft()))
  const [errors, setErrors] = useState<Partial<Record<ConnectionField, string>>>({})
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const editing = stored !== undefined
  const target = name ?? draft.name.trim()

  const settledName = useDebounced(target)
  const capPath = nameError('connection', settledName) ? undefined : `${mount}/config/${settledName}`
  const { caps } = useCapabilities(capPath ? [capPath] : [])
  const denied = capPath ? deniedReason(caps, capPath, editing ? 'update' : 'create') : undefined

  const checked = connectionBody(draft, stored)
  const call = checked.body ? writeConnectionCall(mount, target, checked.body, bodyUrlHasPassword(checked.body)) : undefined

  const set = <K extends keyof ConnectionDraft>(key: K) => (value: ConnectionDraft[K]) => setDraft((d) => ({ ...d, [key]: value }))

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setErrors(checked.errors)
    const first = FIELD_ORDER.find((f) => checked.errors[f])
    if (first) {
      focusById(`db-conn-${first}`)
      return
    }
    if (!call) return
    setBusy(true)
    setError(undefined)
    // A new connection must not merge into one of the same name (a write keeps unsent fields).
    const taken = editing ? Promise.resolve(false) : readConnection(client, mount, target).then((c) => c !== undefined, () => false)
    taken
      .then((exists) => {
        if (!exists) return writeConnection(client, call).then((warnings) => onSaved(target, warnings))
        setErrors({ name: `A connection named ${target} already exists: open it from the list to change it.` })
        focusById('db-conn-name')
        return undefined
      })
      .catch((e: unknown) => {
        setError(messageOf(e))
        focusById('db-conn-save')
      })
      .finally(() => setBusy(false))
  }

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="db-conn-title">
      <h2 id="db-conn-title">{editing ? 'Settings' : 'PostgreSQL connection'}</h2>
      {!editing && (
        <TextField
          id="db-conn-name"
          label="Connection name"
          value={draft.name}
          onChange={set('name')}
          error={errors.name}
          hint="Roles name it as their connection (db_name), such as postgresql."
        />
      )}
      <TextField
        id="db-conn-connection_url"
        label="Connection URL"
        value={draft.connection_url}
        onChange={set('connection_url')}
        error={errors.connection_url}
        className="mono"
        hint={
          <>
            Keep <code>{'{{username}}'}</code> and <code>{'{{password}}'}</code> in it: Strongroom fills them in with the
            username and password below when it connects, so the password is never part of the URL and can be rotated.
            TLS follows <code>sslmode</code>, e.g. <code>?sslmode=verify-full</code>.
          </>
        }
      />
      {urlHasPassword(draft.connection_url) && (
        <p className="db-warning" id="db-conn-url-warning">
          This URL holds a password itself. It will be stored, but reads show it as ***** and Rotate root credentials
          cannot change it: prefer <code>{'{{password}}'}</code> and the Password field.
        </p>
      )}
      <div className="field-row">
        <TextField
          id="db-conn-username"
          label="Username"
          value={draft.username}
          onChange={set('username')}
          error={errors.username}
          hint="The PostgreSQL user Strongroom connects as: it needs CREATEROLE (or superuser) and the privileges your roles grant."
        />
        <TextField
          id="db-conn-password"
          label="Password"
          value={draft.password}
          onChange={set('password')}
          error={errors.password}
          secret
          placeholder={editing ? 'Unchanged' : undefined}
          hint={
            editing
              ? 'Leave empty to keep the stored password. Strongroom never shows it again.'
              : 'Kept in Strongroom: reading the connection never returns it.'
          }
        />
      </div>
      <TextField
        id="db-conn-allowed_roles"
        label="Allowed roles"
        value={draft.allowed_roles}
        onChange={set('allowed_roles')}
        placeholder="readonly, app-*"
        hint={
          <>
            The roles that may use this connection, separated by commas. <code>*</code> allows every role;{' '}
            <code>app-*</code> allows the roles whose names start with <code>app-</code>. Empty: no role can use it.
          </>
        }
      />
      <fieldset className="subform">
        <legend>Connection pool</legend>
        <div className="field-row">
          <TextField
            id="db-conn-max_open"
            label="Maximum open connections"
            inputMode="numeric"
            value={draft.max_open}
            onChange={set('max_open')}
            error={errors.max_open}
            hint="Credentials are created in parallel over these (4 by default)."
          />
          <TextField
            id="db-conn-max_idle"
            label="Maximum idle connections"
            inputMode="numeric"
            value={draft.max_idle}
            onChange={set('max_idle')}
            error={errors.max_idle}
            hint="Kept open between requests; 0 keeps as many as may be open."
          />
        </div>
        <DurationField
          id="db-conn-lifetime"
          label="Maximum connection lifetime"
          unitLabel="Unit for the lifetime"
          value={draft.lifetime}
          onChange={set('lifetime')}
          error={errors.lifetime}
          hint="Connections older than this are replaced; empty or 0 keeps them."
        />
      </fieldset>
      <Checkbox
        id="db-conn-verify"
        checked={draft.verify}
        onChange={set('verify')}
        hint="Strongroom connects and runs SELECT 1 first. If PostgreSQL refuses, nothing is saved and its message is shown here."
      >
        Verify the connection before saving
      </Checkbox>
      <ErrorMessage message={error && `The connection was not saved. ${error}`}>
        <p className="hint">Nothing was stored; the connection is as it was.</p>
      </ErrorMessage>
      <div className="actions">
        <GatedButton id="db-conn-save" type="submit" className="primary" disabled={busy} deniedReason={denied}>
          {busy ? 'Saving…' : 'Save connection'}
        </GatedButton>
      </div>
      {call ? <Equivalent call={call} /> : <p className="hint">The command form appears once the fields are valid.</p>}
    </form>
  )
}
