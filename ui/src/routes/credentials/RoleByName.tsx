import { useState, type FormEvent } from 'react'
import { isRoleName, type DatabaseMount, type RoleRef } from '../../api/credentials'
import { focusById } from '../../components/focus'
import { SelectField } from '../../components/SelectField'
import { TextField } from '../../components/TextField'

/**
 * A role typed by name, for tokens whose policies allow reading its creds path under a glob
 * (`database/creds/*`) but not listing roles, so no list can offer it.
 */
interface RoleByNameProps {
  mounts: DatabaseMount[]
  /** Open from the start when there is no role to pick otherwise. */
  startOpen: boolean
  onAdd(role: RoleRef): void
}

export function RoleByName({ mounts, startOpen, onAdd }: RoleByNameProps) {
  const [name, setName] = useState('')
  const [mount, setMount] = useState(mounts[0]?.path ?? '')
  const [error, setError] = useState<string>()

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const trimmed = name.trim()
    if (!isRoleName(trimmed)) {
      setError('Enter a role name: letters, digits, _, - and ., starting and ending with a letter, digit or _.')
      focusById('cred-role-name')
      return
    }
    setError(undefined)
    setName('')
    onAdd({ mount, name: trimmed })
  }

  return (
    <details className="disclosure" open={startOpen || undefined}>
      <summary>Role not listed?</summary>
      <form onSubmit={submit} noValidate className="field-row role-by-name">
        {mounts.length > 1 && (
          <SelectField
            id="cred-role-mount"
            label="Mount"
            value={mount}
            options={mounts.map((m) => ({ value: m.path, label: m.path }))}
            onChange={setMount}
          />
        )}
        <TextField
          id="cred-role-name"
          label="Role name"
          value={name}
          onChange={setName}
          error={error}
          hint={`Its credentials are read from ${mount}creds/<role name>.`}
        />
        <div className="actions">
          <button type="submit">Use this role</button>
        </div>
      </form>
    </details>
  )
}
