import { useCallback, useState } from 'react'
import {
  deleteRoleCall,
  listConnections,
  listDatabaseMounts,
  liveCredentials,
  readRole,
  send,
} from '../../api/database'
import { deniedReason, useCapabilities } from '../../app/capabilities'
import { useServices } from '../../app/services'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Equivalent } from '../../components/Equivalent'
import { GatedButton } from '../../components/GatedButton'
import { ErrorMessage } from '../../components/Messages'
import { messageOf } from '../../lib/format'
import { useLoad } from '../../lib/useLoad'
import { ItemHeader } from './ItemHeader'
import { RoleForm } from './RoleForm'

/** A new role (no `name`), or one stored role with Delete. */
export function RolePage({ mount, name, onDone }: { mount: string; name?: string | undefined; onDone(text: string): void }) {
  const { client } = useServices()
  const loaded = useLoad(
    useCallback(async () => {
      const [role, connections, mounts] = await Promise.all([
        name ? readRole(client, mount, name) : Promise.resolve(undefined),
        // Without "list" the form asks for the connection's name instead of offering a choice.
        listConnections(client, mount).catch(() => undefined),
        listDatabaseMounts(client).catch(() => []),
      ])
      return { role, connections, mountTtl: mounts.find((m) => m.path === mount)?.defaultLeaseTtl ?? 0 }
    }, [client, mount, name]),
  )
  const ready = loaded.value !== undefined && !loaded.loading
  const missing = name !== undefined && ready && !loaded.value?.role

  return (
    <>
      <ItemHeader
        kind="Role"
        name={name}
        newTitle="New role"
        mount={mount}
        about="Every checkout of a role runs its creation statements to make a new PostgreSQL user, dropped again when the lease ends."
        path={`${mount}/roles/${name ?? ''}`}
        error={loaded.error}
        status={loaded.loading ? 'Loading…' : undefined}
        missing={missing}
      />
      {ready && !missing && loaded.value && (
        <RoleForm
          mount={mount}
          name={name}
          stored={loaded.value.role}
          connections={loaded.value.connections}
          mountTtl={loaded.value.mountTtl}
          onSaved={(saved) => onDone(`Role ${saved} saved.`)}
        />
      )}
      {name && ready && loaded.value?.role && <DeleteRole mount={mount} name={name} onDeleted={onDone} />}
    </>
  )
}

function DeleteRole({ mount, name, onDeleted }: { mount: string; name: string; onDeleted(text: string): void }) {
  const { client } = useServices()
  const call = deleteRoleCall(mount, name)
  const { caps } = useCapabilities([call.path])
  const [open, setOpen] = useState(false)
  const [live, setLive] = useState<number | 'unknown'>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()

  const ask = () => {
    setLive(undefined)
    setOpen(true)
    void liveCredentials(client, mount).then((counts) => setLive(counts ? (counts[name] ?? 0) : 'unknown'))
  }

  const remove = () => {
    setBusy(true)
    setError(undefined)
    send(client, call)
      .then(() => onDeleted(`Role ${name} deleted.`))
      .catch((e: unknown) => setError(messageOf(e)))
      .finally(() => {
        setBusy(false)
        setOpen(false)
      })
  }

  return (
    <section className="card" aria-labelledby="db-role-delete">
      <h2 id="db-role-delete">Delete role</h2>
      <p className="hint">No new credentials can be checked out from it. PostgreSQL is not changed.</p>
      <ErrorMessage message={error} />
      <div className="actions">
        <GatedButton className="danger" onClick={ask} disabled={busy} deniedReason={deniedReason(caps, call.path, 'delete')}>
          Delete role
        </GatedButton>
      </div>
      <Equivalent call={call} />
      <ConfirmDialog
        open={open}
        title={`Delete role ${name}?`}
        confirmLabel={busy ? 'Deleting…' : `Delete ${name}`}
        busy={busy}
        onConfirm={remove}
        onCancel={() => setOpen(false)}
      >
        <p>
          The role is removed: <span className="mono">{`${mount}/creds/${name}`}</span> stops issuing credentials.
        </p>
        {live === undefined && <p className="hint">Counting its live credentials…</p>}
        {live === 'unknown' && <p>This token cannot count the role’s live credentials; any that exist keep working until their leases end.</p>}
        {live === 0 && <p>No credential issued under it is live.</p>}
        {typeof live === 'number' && live > 0 && (
          <p>
            {live === 1
              ? '1 credential issued under it is live. It keeps working until its lease ends, cannot be renewed, and is then revoked with the statements it was issued with.'
              : `${live} credentials issued under it are live. They keep working until their leases end, cannot be renewed, and are then revoked with the statements they were issued with.`}
          </p>
        )}
      </ConfirmDialog>
    </section>
  )
}
