import { useCallback } from 'react'
import { readConnection } from '../../api/database'
import { useServices } from '../../app/services'
import { ConnectionActions } from './ConnectionActions'
import { ConnectionForm } from './ConnectionForm'
import { useLoad } from '../../lib/useLoad'
import { ItemHeader } from './ItemHeader'

/** A new connection (no `name`), or one stored connection with its actions. */
export function ConnectionPage({ mount, name, onDone }: { mount: string; name?: string | undefined; onDone(text: string): void }) {
  const { client } = useServices()
  const stored = useLoad(
    useCallback(() => (name ? readConnection(client, mount, name) : Promise.resolve(undefined)), [client, mount, name]),
  )
  const missing = name !== undefined && !stored.loading && stored.error === undefined && stored.value === undefined

  return (
    <>
      <ItemHeader
        kind="Connection"
        name={name}
        newTitle="New connection"
        mount={mount}
        about="How Strongroom reaches PostgreSQL as the administrator that creates and drops users."
        path={`${mount}/config/${name ?? ''}`}
        error={stored.error}
        status={name && stored.loading ? 'Loading the connection…' : undefined}
        missing={missing}
      />
      {(!name || stored.value) && !stored.loading && (
        <ConnectionForm
          mount={mount}
          name={name}
          stored={stored.value}
          onSaved={(saved, warnings) =>
            onDone(`Connection ${saved} saved.${warnings.length > 0 ? ` The server warns: ${warnings.join(' ')}` : ''}`)
          }
        />
      )}
      {name && stored.value && (
        <ConnectionActions mount={mount} name={name} username={stored.value.connection_details.username} onDeleted={onDone} />
      )}
    </>
  )
}
