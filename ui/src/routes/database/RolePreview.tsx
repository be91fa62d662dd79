import { vaultDuration } from '../../lib/duration'
import { defaultRevocation, exampleSubstitutions, renderStatements } from './preview'
import { RENEW_STATEMENTS } from './presets'
import type { RoleDraft } from './roleForm'

/** Statements as they are run, under their title. */
export function Rendered({ id, title, sql, note }: { id: string; title: string; sql: string; note?: string }) {
  return (
    <figure className="db-rendered">
      <figcaption id={id}>
        {title}
        {note && <span className="hint-inline"> — {note}</span>}
      </figcaption>
      <pre tabIndex={0} aria-labelledby={id}>
        {sql || '(none)'}
      </pre>
    </figure>
  )
}

/**
 * The statements as the core would run them for one credential checked out now, with an
 * example username, the password as `[password]`, and `VALID UNTIL` as now + the TTL + 5 s.
 */
export function RolePreview({ draft, ttlSeconds, ttlSource }: { draft: RoleDraft; ttlSeconds: number; ttlSource: string }) {
  const subs = exampleSubstitutions(draft.name.trim() || 'role', ttlSeconds, Date.now())
  const revocation = draft.revocation.trim()
  const renew = draft.renew.trim()
  return (
    <section className="db-preview" aria-labelledby="db-preview-title">
      <h3 id="db-preview-title">Preview</h3>
      <p className="hint">
        For a credential checked out now: user <span className="mono">{subs.name}</span>, password shown as [password],
        expiration {subs.expiration} (now + {vaultDuration(ttlSeconds)} {ttlSource} + 5 s). The real username has other random
        characters, and the display name of the token that checks it out.
      </p>
      <Rendered id="db-preview-creation" title="Creation" sql={renderStatements([draft.creation], subs)} />
      <Rendered
        id="db-preview-revocation"
        title="Revocation"
        sql={revocation ? renderStatements([revocation], { ...subs, password: '', expiration: '' }) : defaultRevocation(subs.name, draft.terminate_sessions)}
        note={revocation ? undefined : 'Strongroom’s default (the GRANT is skipped when the connection user is a superuser)'}
      />
      <Rendered
        id="db-preview-renew"
        title="Renewal"
        sql={renderStatements([renew || RENEW_STATEMENTS], subs)}
        note={renew ? undefined : 'the default'}
      />
    </section>
  )
}
