import { useState } from 'react'
import {
  deleteConnectionCall,
  listRoles,
  liveCredentials,
  readRole,
  resetConnectionCall,
  rotateRootCall,
  send,
} from '../../api/database'
import type { VaultClient } from '../../api/client'
import { deniedReason, useCapabilities } from '../../app/capabilities'
import { useServices } from '../../app/services'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Equivalent } from '../../components/Equivalent'
import { GatedButton } from '../../components/GatedButton'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { messageOf } from '../../lib/format'

/** Who depends on a connection: the roles naming it and their live credentials. */
interface Dependents {
  roles: string[]
  live: number | undefined
}

async function dependentsOf(client: VaultClient, mount: string, name: string): Promise<Dependents | undefined> {
  try {
    const names = await listRoles(client, mount)
    const reads = await Promise.all(names.map((r) => readRole(client, mount, r).catch(() => undefined)))
    const roles = names.filter((_, i) => reads[i]?.db_name === name)
    const counts = await liveCredentials(client, mount)
    return { roles, live: counts && roles.reduce((sum, r) => sum + (counts[r] ?? 0), 0) }
  } catch {
    return undefined
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}

type Dialog = 'rotate' | 'delete' | undefined

/** Rotating the root password, closing the pool, and deleting the connection. */
export function ConnectionActions({
  mount,
  name,
  username,
  onDeleted,
}: {
  mount: string
  name: string
  username: string
  onDeleted(text: string): void
}) {
  const { client } = useServices()
  const rotate = rotateRootCall(mount, name)
  const reset = resetConnectionCall(mount, name)
  const remove = deleteConnectionCall(mount, name)
  const { caps } = useCapabilities([rotate.path, reset.path, remove.path])
  const [dialog, setDialog] = useState<Dialog>()
  const [dependents, setDependents] = useState<Dependents | 'unknown'>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const [done, setDone] = useState<string>()

  const run = (call: typeof rotate, success: () => void) => {
    setBusy(true)
    setError(undefined)
    setDone(undefined)
    send(client, call)
      .then(success)
      .catch((e: unknown) => setError(messageOf(e)))
      .finally(() => {
        setBusy(false)
        setDialog(undefined)
      })
  }

  const askDelete = () => {
    setDependents(undefined)
    setDialog('delete')
    void dependentsOf(client, mount, name).then((found) => setDependents(found ?? 'unknown'))
  }

  return (
    <section className="card" aria-labelledby="db-conn-actions">
      <h2 id="db-conn-actions">Actions</h2>
      <ErrorMessage message={error} />
      <StatusMessage tone="success">{done}</StatusMessage>

      <div className="db-action">
        <div>
          <h3>Rotate root credentials</h3>
          <p className="hint">
            Sets a new random password for <span className="mono">{username || '(no username)'}</span> in PostgreSQL and
            keeps it in Strongroom only.
          </p>
        </div>
        <GatedButton onClick={() => setDialog('rotate')} disabled={busy} deniedReason={deniedReason(caps, rotate.path, 'update')}>
          Rotate root credentials
        </GatedButton>
        <Equivalent call={rotate} />
      </div>

      <div className="db-action">
        <div>
          <h3>Reset connection</h3>
          <p className="hint">Closes the connection pool; the next request reconnects. Nothing in PostgreSQL changes.</p>
        </div>
        <GatedButton
          onClick={() => run(reset, () => setDone(`The connections of ${name} were closed; the next request opens new ones.`))}
          disabled={busy}
          deniedReason={deniedReason(caps, reset.path, 'update')}
        >
          Reset connection
        </GatedButton>
        <Equivalent call={reset} />
      </div>

      <div className="db-action">
        <div>
          <h3>Delete connection</h3>
          <p className="hint">Removes the connection from Strongroom. The database itself is not touched.</p>
        </div>
        <GatedButton className="danger" onClick={askDelete} disabled={busy} deniedReason={deniedReason(caps, remove.path, 'delete')}>
          Delete connection
        </GatedButton>
        <Equivalent call={remove} />
      </div>

      <ConfirmDialog
        open={dialog === 'rotate'}
        title={`Rotate the root password of ${name}?`}
        confirmLabel={busy ? 'Rotating…' : 'Rotate the root password'}
        busy={busy}
        onConfirm={() => run(rotate, () => setDone(`The root password of ${name} was rotated. Only Strongroom knows it now.`))}
        onCancel={() => setDialog(undefined)}
      >
        <p>
          Strongroom will set a new random password for <span className="mono">{username}</span> in PostgreSQL and store
          it. Afterwards <strong>only Strongroom knows the password</strong>: it is never shown, and anything else that
          logs in as <span className="mono">{username}</span> with the old one stops working.
        </p>
        <p>This cannot be undone; to use your own password again, set it in PostgreSQL and save it here.</p>
      </ConfirmDialog>

      <ConfirmDialog
        open={dialog === 'delete'}
        title={`Delete connection ${name}?`}
        confirmLabel={busy ? 'Deleting…' : `Delete ${name}`}
        busy={busy}
        onConfirm={() => run(remove, () => onDeleted(`Connection ${name} deleted.`))}
        onCancel={() => setDialog(undefined)}
      >
        <p>The connection settings and its stored password are removed from Strongroom. PostgreSQL is not changed.</p>
        {dependents === undefined ? (
          <p className="hint">Looking for roles that use it…</p>
        ) : dependents === 'unknown' ? (
          <p>
            The roles of {mount}/ could not be listed with this token: any role that uses this connection stops issuing
            credentials, and its live credentials cannot be revoked until the connection is restored.
          </p>
        ) : dependents.roles.length === 0 ? (
          <p>No role of {mount}/ uses it.</p>
        ) : (
          <>
            <p>
              {plural(dependents.roles.length, 'role uses', 'roles use')} it ({dependents.roles.join(', ')}): they cannot
              issue credentials until a connection named {name} exists again.
            </p>
            {dependents.live !== undefined && dependents.live > 0 && (
              <p>
                {plural(dependents.live, 'credential', 'credentials')} issued through them{' '}
                {dependents.live === 1 ? 'is' : 'are'} still live: their users cannot be dropped, and their revocation
                fails, until the connection is restored.
              </p>
            )}
          </>
        )}
      </ConfirmDialog>
    </section>
  )
}
