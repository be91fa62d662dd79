import { useState, type FormEvent } from 'react'
import type { TokenLookup } from '../../api/tokens'
import { useCapabilities } from '../../app/capabilities'
import { hrefOf } from '../../app/router'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { TextField } from '../../components/TextField'
import { formatDuration } from '../../lib/format'
import { capabilityText, deniesAll, KEY_PATHS, type CapabilityRow } from './capabilityRows'

interface YourTokenProps {
  self: TokenLookup | undefined
  error: string | undefined
  onRefresh(): void
}

/**
 * What the signed-in token is, and what it may do on the paths behind the app's buttons: the
 * place to see why a button elsewhere is disabled.
 */
export function YourToken({ self, error, onRefresh }: YourTokenProps) {
  const [extra, setExtra] = useState<CapabilityRow[]>([])
  const [path, setPath] = useState('')
  const rows = [...KEY_PATHS, ...extra]
  const { caps, error: capsError, reload } = useCapabilities(rows.map((row) => row.path))

  const check = (e: FormEvent) => {
    e.preventDefault()
    const wanted = path.trim().replace(/^\/+/, '').replace(/^v1\//, '')
    if (wanted !== '' && !rows.some((row) => row.path === wanted)) setExtra([...extra, { path: wanted, use: 'Checked by you' }])
    setPath('')
  }

  return (
    <section className="card" aria-labelledby="your-token-title">
      <div className="page-header">
        <h2 id="your-token-title">Your token</h2>
        <button
          type="button"
          onClick={() => {
            onRefresh()
            reload()
          }}
        >
          Refresh
        </button>
      </div>
      <ErrorMessage message={error} />
      <StatusMessage>{!self && !error ? 'Looking up your token…' : undefined}</StatusMessage>
      {self && (
        <dl className="facts">
          <dt>Display name</dt>
          <dd>{self.display_name}</dd>
          <dt>Policies</dt>
          <dd>
            {self.policies.map((policy, index) => (
              <span key={policy}>
                {index > 0 && ', '}
                <a href={hrefOf('policies', policy)}>{policy}</a>
              </span>
            ))}
          </dd>
          <dt>Time left</dt>
          <dd>{self.expire_time ? formatDuration(self.ttl) : 'Never expires'}</dd>
          <dt>Expires</dt>
          <dd>{self.expire_time ? new Date(self.expire_time).toLocaleString() : 'Never'}</dd>
          <dt>Orphan</dt>
          <dd>{self.orphan ? 'Yes: it has no parent token' : 'No: it is revoked when its parent is'}</dd>
          <dt>Renewable</dt>
          <dd>{self.renewable ? 'Yes' : 'No'}</dd>
          <dt>Uses left</dt>
          <dd>{self.num_uses > 0 ? self.num_uses : 'No limit'}</dd>
          <dt>Accessor</dt>
          <dd className="mono">{self.accessor}</dd>
        </dl>
      )}
      <table className="caps-table">
        <caption>What your token can do</caption>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Used for</th>
            <th scope="col">Capabilities</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const granted = caps?.[row.path]
            return (
              <tr key={row.path}>
                <td>{row.shown ?? row.path}</td>
                <td>{row.use}</td>
                <td className={deniesAll(granted) ? 'caps-none' : undefined}>{capabilityText(granted)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <ErrorMessage message={capsError && `The capabilities could not be checked: ${capsError}`} />
      <form onSubmit={check} noValidate className="inline-form">
        <TextField
          id="check-path"
          label="Path to check"
          value={path}
          onChange={setPath}
          placeholder="database/creds/readonly"
          hint="Any API path, without /v1/. Lists are checked with a trailing slash (database/roles/)."
        />
        <div className="actions">
          <button type="submit">Check path</button>
        </div>
      </form>
    </section>
  )
}
