import { useCallback } from 'react'
import { readConnection } from '../../api/database'
import { hrefOf } from '../../app/router'
import { useServices } from '../../app/services'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { PageHeading } from '../../components/PageHeading'
import { ConnectionActions } from './ConnectionActions'
import { ConnectionForm } from './ConnectionForm'
import { errorText, useLoad } from './hooks'

/** A new connection (no `name`), or one stored connection with its actions. */
export function ConnectionPage({ mount, name, onDone }: { mount: string; name?: string | undefined; onDone(text: string): void }) {
  const { client } = useServices()
  const stored = useLoad(
    useCallback(() => (name ? readConnection(client, mount, name) : Promise.resolve(undefined)), [client, mount, name]),
  )
  const missing = name !== undefined && !stored.loading && stored.error === undefined && stored.value === undefined

  return (
    <>
      <p>
        <a href={hrefOf('database')}>← Database</a>
      </p>
      <PageHeading>
        {name ? (
          <>
            Connection <span className="mono">{name}</span>
          </>
        ) : (
          'New connection'
        )}
      </PageHeading>
      <p className="lead">
        In mount <span className="mono">{mount}/</span>. How Strongroom reaches PostgreSQL as the administrator that
        creates and drops users.
      </p>
      <ErrorMessage message={errorText(stored.error, `${mount}/config/${name ?? ''}`)} />
      <StatusMessage>{name && stored.loading ? 'Loading the connection…' : undefined}</StatusMessage>
      {missing && <ErrorMessage message={`There is no connection named ${name} in ${mount}/.`} />}
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
