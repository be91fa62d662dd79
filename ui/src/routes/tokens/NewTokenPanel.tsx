import { useEffect, useState } from 'react'
import type { TokenAuth } from '../../api/tokens'
import { CopyButton } from '../../components/CopyButton'
import { focusById } from '../../components/focus'
import { formatDuration } from '../../lib/format'

/** Shown in place of the token while it is hidden: its length says nothing. */
const MASK = '•'.repeat(24)

/**
 * The new token, shown this once: Strongroom keeps only a hash of it. It is masked until asked
 * for, and "I have stored it" drops it (the parent forgets the reply), so it is never kept.
 */
export function NewTokenPanel({ auth, onDismiss }: { auth: TokenAuth; onDismiss(): void }) {
  const [shown, setShown] = useState(false)
  useEffect(() => focusById('new-token-title'), [auth])

  return (
    <section className="card new-token" aria-labelledby="new-token-title">
      <h2 id="new-token-title" tabIndex={-1}>
        New token
      </h2>
      <p>Copy it now and keep it somewhere safe: it cannot be shown again.</p>
      <div className="secret-line">
        <span className="visually-hidden">{shown ? 'Token:' : 'The token is hidden.'}</span>
        <code aria-hidden={shown ? undefined : true}>{shown ? auth.client_token : MASK}</code>
        <button type="button" onClick={() => setShown(!shown)}>
          {shown ? 'Hide token' : 'Show token'}
        </button>
        <CopyButton text={auth.client_token} label="Copy token" />
      </div>
      <dl className="facts">
        <dt>Accessor</dt>
        <dd className="mono">{auth.accessor}</dd>
        <dt>Policies</dt>
        <dd>{auth.policies.join(', ')}</dd>
        <dt>TTL</dt>
        <dd>{auth.lease_duration > 0 ? formatDuration(auth.lease_duration) : 'Never expires'}</dd>
        <dt>Renewable</dt>
        <dd>{auth.renewable ? 'Yes' : 'No'}</dd>
        <dt>Orphan</dt>
        <dd>{auth.orphan ? 'Yes: not revoked with your token' : 'No: revoked when your token is'}</dd>
        {auth.num_uses > 0 && (
          <>
            <dt>Uses</dt>
            <dd>{auth.num_uses}</dd>
          </>
        )}
      </dl>
      <p className="hint">The accessor is not secret: use it to look the token up or revoke it without the token itself.</p>
      <div className="actions">
        <button type="button" className="primary" onClick={onDismiss}>
          I have stored it
        </button>
      </div>
    </section>
  )
}
