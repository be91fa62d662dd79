import { useCallback, useState } from 'react'
import { listDatabaseMounts } from '../../api/database'
import { useServices } from '../../app/services'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { PageHeading } from '../../components/PageHeading'
import { useLoad } from '../../lib/useLoad'
import { EnableMount } from './EnableMount'
import { errorText } from './hooks'
import { MountSection } from './MountSection'

/** Every database mount with its connections and roles; enabling the engine when there is none. */
export function Overview({ notice }: { notice: string | undefined }) {
  const { client } = useServices()
  const [generation, setGeneration] = useState(0)
  const mounts = useLoad(useCallback(() => listDatabaseMounts(client), [client]))
  const refresh = () => {
    mounts.reload()
    setGeneration((g) => g + 1)
  }

  return (
    <>
      <header className="page-header">
        <PageHeading>Database</PageHeading>
        <button type="button" onClick={refresh}>
          Refresh
        </button>
      </header>
      <p className="lead">
        PostgreSQL connections, and the roles that create a new database user for every credential checked out. Each
        user lives under a lease and is dropped when the lease ends.
      </p>
      <StatusMessage tone="success">{notice}</StatusMessage>
      <ErrorMessage message={errorText(mounts.error)} />
      <StatusMessage>{mounts.loading && !mounts.value ? 'Looking for database mounts…' : undefined}</StatusMessage>
      {mounts.value?.length === 0 && (
        <section className="card" aria-labelledby="db-none">
          <h2 id="db-none">No database engine yet</h2>
          <p>
            The database secrets engine is not enabled. Enable it to connect Strongroom to PostgreSQL; the usual path
            is <code>database</code>, which is what the Vault tutorials use.
          </p>
          <EnableMount onEnabled={refresh} />
        </section>
      )}
      {mounts.value?.map((mount) => <MountSection key={`${mount.path}:${generation}`} mount={mount} />)}
      {mounts.value && mounts.value.length > 0 && (
        <details className="disclosure">
          <summary>Enable another database mount</summary>
          <p className="hint">A second mount keeps another set of connections and roles under its own path and policies.</p>
          <EnableMount onEnabled={refresh} suggested="" />
        </details>
      )}
    </>
  )
}
