import { useState, type FormEvent } from 'react'
import { enableMountCall, send } from '../../api/database'
import { deniedReason, useCapabilities } from '../../app/capabilities'
import { useServices } from '../../app/services'
import { Equivalent } from '../../components/Equivalent'
import { focusById } from '../../components/focus'
import { GatedButton } from '../../components/GatedButton'
import { ErrorMessage } from '../../components/Messages'
import { TextField } from '../../components/TextField'
import { messageOf } from '../../lib/format'
import { useDebounced } from './hooks'
import { mountPathError } from './names'

/** `sys/mounts/<path>` with `type=database`. */
export function EnableMount({ onEnabled, suggested = 'database' }: { onEnabled(): void; suggested?: string }) {
  const { client } = useServices()
  const [path, setPath] = useState(suggested)
  const [fieldError, setFieldError] = useState<string>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const clean = path.trim().replace(/^\/+|\/+$/g, '')
  const call = enableMountCall(clean || 'database')
  const checked = useDebounced(call.path)
  const { caps } = useCapabilities([checked])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const bad = mountPathError(path)
    setFieldError(bad)
    if (bad) {
      focusById('db-mount-path')
      return
    }
    setBusy(true)
    setError(undefined)
    send(client, call)
      .then(onEnabled)
      .catch((e: unknown) => setError(messageOf(e)))
      .finally(() => setBusy(false))
  }

  return (
    <form onSubmit={submit} noValidate className="inline-form">
      <TextField
        id="db-mount-path"
        label="Mount path"
        value={path}
        onChange={setPath}
        error={fieldError}
        hint="Where the engine's paths start: database/config/…, database/roles/…, database/creds/…"
      />
      <ErrorMessage message={error} />
      <div className="actions">
        <GatedButton type="submit" className="primary" disabled={busy} deniedReason={deniedReason(caps, checked, 'update')}>
          {busy ? 'Enabling…' : 'Enable the database engine'}
        </GatedButton>
      </div>
      <Equivalent call={call} />
    </form>
  )
}
