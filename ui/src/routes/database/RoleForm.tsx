import { useCallback, useState, type FormEvent } from 'react'
import { readConnection, readRole, send, testRole, writeRoleCall, type RoleRead } from '../../api/database'
import { deniedReason, useCapabilities } from '../../app/capabilities'
import { hrefOf } from '../../app/router'
import { useServices } from '../../app/services'
import { Checkbox } from '../../components/Checkbox'
import { DurationField } from '../../components/DurationField'
import { Equivalent } from '../../components/Equivalent'
import { focusById } from '../../components/focus'
import { GatedButton } from '../../components/GatedButton'
import { ErrorMessage } from '../../components/Messages'
import { SelectField } from '../../components/SelectField'
import { TextField } from '../../components/TextField'
import { messageOf } from '../../lib/format'
import { useLoad } from '../../lib/useLoad'
import { DryRunPanel, type Trial } from './DryRunPanel'
import { useDebounced } from './hooks'
import { nameError, roleAllowed } from './names'
import { PresetPanel } from './PresetPanel'
import { bodyKey, draftFromRole, newRoleDraft, roleBody, type RoleDraft, type RoleField } from './roleForm'
import { RolePreview } from './RolePreview'
import { StatementEditor } from './StatementEditor'
import { ttlSeconds } from './ttl'

const FIELD_ORDER: RoleField[] = ['name', 'db_name', 'creation', 'default_ttl', 'max_ttl']

/** The server's default lease TTL when neither the role nor the mount sets one. */
const SERVER_DEFAULT_TTL = 768 * 3600

interface RoleFormProps {
  mount: string
  /** Undefined for a new role. */
  name: string | undefined
  stored: RoleRead | undefined
  /** The mount's connections, or undefined when the token may not list them. */
  connections: string[] | undefined
  /** The mount's default lease TTL in seconds (0: the server's). */
  mountTtl: number
  onSaved(name: string): void
}

/** Creating or editing a role: statements (from presets or typed), TTLs, preview, trial and save. */
export function RoleForm({ mount, name, stored, connections, mountTtl, onSaved }: RoleFormProps) {
  const { client } = useServices()
  const [draft, setDraft] = useState<RoleDraft>(() =>
    name && stored ? draftFromRole(name, stored) : newRoleDraft(connections?.length === 1 ? connections[0] : ''),
  )
  const [errors, setErrors] = useState<Partial<Record<RoleField, string>>>({})
  const [error, setError] = useState<string>()
  const [trial, setTrial] = useState<Trial>()
  const [busy, setBusy] = useState<'test' | 'save'>()
  const editing = stored !== undefined
  const target = name ?? draft.name.trim()

  const settledName = useDebounced(target)
  const capPath = nameError('role', settledName) ? undefined : `${mount}/roles/${settledName}`
  const { caps } = useCapabilities(capPath ? [capPath] : [])
  const denied = capPath ? deniedReason(caps, capPath, editing ? 'update' : 'create') : undefined

  // The connection's allowed roles: a role it does not allow saves, but every checkout fails.
  const settledDb = useDebounced(draft.db_name.trim())
  const connection = useLoad(
    useCallback(
      () => (nameError('connection', settledDb) ? Promise.resolve(undefined) : readConnection(client, mount, settledDb).catch(() => undefined)),
      [client, mount, settledDb],
    ),
  )
  const allowed = connection.value?.allowed_roles
  const notAllowed = allowed !== undefined && !nameError('role', target) && !roleAllowed(allowed, target)

  const checked = roleBody(draft, editing)
  const key = bodyKey(target, checked.body)
  const saveCall = checked.body ? writeRoleCall(mount, target, checked.body) : undefined
  const testCall = checked.body ? writeRoleCall(mount, target, checked.body, true) : undefined

  const set = <K extends keyof RoleDraft>(field: K) => (value: RoleDraft[K]) => setDraft((d) => ({ ...d, [field]: value }))

  /** Shows the field errors; true when the form can be sent. */
  const valid = (): boolean => {
    setErrors(checked.errors)
    const first = FIELD_ORDER.find((f) => checked.errors[f])
    if (first) focusById(`db-role-${first}`)
    return first === undefined
  }

  const test = () => {
    if (!valid() || !testCall || !key) return
    setBusy('test')
    testRole(client, testCall)
      .then((result) => setTrial({ key, result }))
      .catch((e: unknown) => setTrial({ key, error: messageOf(e) }))
      .finally(() => setBusy(undefined))
  }

  const save = (e: FormEvent) => {
    e.preventDefault()
    if (!valid() || !saveCall) return
    setBusy('save')
    setError(undefined)
    // A new role must not merge into one of the same name (a write keeps unsent fields).
    const taken = editing ? Promise.resolve(false) : readRole(client, mount, target).then((r) => r !== undefined, () => false)
    taken
      .then((exists) => {
        if (!exists) return send(client, saveCall).then(() => onSaved(target))
        setErrors({ name: `A role named ${target} already exists: open it from the list to change it.` })
        focusById('db-role-name')
        return undefined
      })
      .catch((e: unknown) => {
        setError(messageOf(e))
        focusById('db-role-save')
      })
      .finally(() => setBusy(undefined))
  }

  const defaultTtl = ttlSeconds(draft.default_ttl)
  const roleTtl = 'seconds' in defaultTtl ? defaultTtl.seconds : 0
  const [previewTtl, ttlSource] = roleTtl
    ? [roleTtl, "the role's default TTL"]
    : mountTtl
      ? [mountTtl, "the mount's default TTL"]
      : [SERVER_DEFAULT_TTL, "the server's default TTL"]

  const options = connections && draft.db_name && !connections.includes(draft.db_name) ? [draft.db_name, ...connections] : connections

  return (
    <form className="card" onSubmit={save} noValidate aria-labelledby="db-role-title">
      <h2 id="db-role-title">{editing ? 'Settings' : 'Database role'}</h2>
      {!editing && (
        <TextField
          id="db-role-name"
          label="Role name"
          value={draft.name}
          onChange={set('name')}
          error={errors.name}
          hint={
            <>
              Credentials are checked out from <span className="mono">{mount}/creds/&lt;role name&gt;</span>.
            </>
          }
        />
      )}
      {options ? (
        <SelectField
          id="db-role-db_name"
          label="Connection"
          value={draft.db_name}
          options={[{ value: '', label: 'Choose a connection…' }, ...options.map((c) => ({ value: c, label: c }))]}
          onChange={set('db_name')}
          error={errors.db_name}
          hint={
            <>
              The database the users are created in. Its allowed roles must include this role’s name.
              {options.length === 0 && (
                <>
                  {' '}
                  This mount has no connections yet: <a href={hrefOf('database', 'connections', mount)}>add one</a> first.
                </>
              )}
            </>
          }
        />
      ) : (
        <TextField
          id="db-role-db_name"
          label="Connection"
          value={draft.db_name}
          onChange={set('db_name')}
          error={errors.db_name}
          hint="The connections cannot be listed with this token: type the connection's name."
        />
      )}
      {notAllowed && (
        <p className="db-warning">
          Connection <span className="mono">{settledDb}</span> does not allow the role {target} (its allowed roles:{' '}
          {allowed.length > 0 ? allowed.join(', ') : 'none'}). The role can be saved, but checking it out is refused until
          you add it on <a href={hrefOf('database', 'connections', mount, settledDb)}>the connection’s page</a>.
        </p>
      )}

      <PresetPanel onApply={(p) => setDraft((d) => ({ ...d, ...p }))} />

      <StatementEditor
        id="db-role-creation"
        label="Creation statements"
        value={draft.creation}
        onChange={set('creation')}
        error={errors.creation}
        rows={5}
        hint={
          <>
            Run in one transaction for every credential. <code>{'{{name}}'}</code>, <code>{'{{password}}'}</code> and{' '}
            <code>{'{{expiration}}'}</code> are filled in; separate statements with <code>;</code>.
          </>
        }
      />
      <StatementEditor
        id="db-role-revocation"
        label="Revocation statements"
        value={draft.revocation}
        onChange={set('revocation')}
        hint={
          <>
            Empty: Strongroom’s default runs, in one transaction — <code>GRANT "user" TO CURRENT_USER</code> (skipped for a
            superuser), <code>REASSIGN OWNED BY</code> to the connection user (tables the user created are kept),{' '}
            <code>DROP OWNED BY</code> and <code>DROP ROLE</code>. It also works for users that own objects, which a bare
            DROP ROLE does not.
          </>
        }
      />
      <StatementEditor
        id="db-role-renew"
        label="Renew statements"
        value={draft.renew}
        onChange={set('renew')}
        rows={2}
        hint={
          <>
            Run when a lease is renewed, with the new <code>{'{{expiration}}'}</code>. Empty: <code>{`ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}'`}</code>.
          </>
        }
      />
      <details className="disclosure">
        <summary>Rollback statements (optional)</summary>
        <StatementEditor
          id="db-role-rollback"
          label="Rollback statements"
          value={draft.rollback}
          onChange={set('rollback')}
          rows={2}
          hint="Kept for Vault compatibility; never run: the creation statements run as one transaction, so a failure leaves nothing to undo."
        />
      </details>
      <Checkbox
        id="db-role-terminate"
        checked={draft.terminate_sessions}
        onChange={set('terminate_sessions')}
        hint="With the default revocation: ALTER ROLE … NOLOGIN and pg_terminate_backend on the user's sessions first (PostgreSQL otherwise lets open sessions of a dropped user keep working). Needs pg_signal_backend or superuser."
      >
        End the user's sessions on revocation
      </Checkbox>

      <div className="field-row">
        <DurationField
          id="db-role-default_ttl"
          label="Default TTL"
          unitLabel="Unit for the default"
          value={draft.default_ttl}
          onChange={set('default_ttl')}
          error={errors.default_ttl}
          hint="How long a credential lives unless renewed. Empty: the mount's default."
        />
        <DurationField
          id="db-role-max_ttl"
          label="Maximum TTL"
          unitLabel="Unit for the maximum"
          value={draft.max_ttl}
          onChange={set('max_ttl')}
          error={errors.max_ttl}
          hint="Renewals stop here. Empty: the mount's maximum."
        />
      </div>

      <RolePreview draft={draft} ttlSeconds={previewTtl} ttlSource={ttlSource} />

      <h3>Test and save</h3>
      <DryRunPanel trial={trial} currentKey={key} />
      <ErrorMessage message={error && `The role was not saved. ${error}`}>
        <p className="hint">Saving tries the statements in PostgreSQL first; nothing was stored.</p>
      </ErrorMessage>
      <div className="actions">
        <GatedButton onClick={test} disabled={busy !== undefined} deniedReason={denied}>
          {busy === 'test' ? 'Testing…' : 'Test role'}
        </GatedButton>
        <GatedButton id="db-role-save" type="submit" className="primary" disabled={busy !== undefined} deniedReason={denied}>
          {busy === 'save' ? 'Saving…' : 'Save role'}
        </GatedButton>
      </div>
      {saveCall && testCall ? (
        <>
          <Equivalent call={saveCall} />
          <Equivalent call={testCall} summary="Test as a command" />
        </>
      ) : (
        <p className="hint">The command forms appear once the fields are valid.</p>
      )}
    </form>
  )
}
