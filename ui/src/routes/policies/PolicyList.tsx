import { hrefOf } from '../../app/router'
import { GatedButton } from '../../components/GatedButton'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { NEW_POLICY_HASH } from './route'

/** Why some policies cannot be used like the others, said next to their names. */
const TAGS: Record<string, string> = {
  root: 'built in: grants everything, cannot be changed',
  default: 'given to tokens unless created without it; cannot be deleted',
}

interface PolicyListProps {
  names: string[] | undefined
  error: string | undefined
  /** Why the token may not list policies, if it may not. */
  listDenied: string | undefined
  /** The current token's own policies, offered when the list cannot be read. */
  own: string[] | undefined
  newDenied: string | undefined
}

/** Every policy, each a link to its editor, and the way to a new one. */
export function PolicyList({ names, error, listDenied, own, newDenied }: PolicyListProps) {
  const shown = listDenied ? own : names
  return (
    <section className="card" aria-labelledby="policy-list-title">
      <div className="page-header">
        <h2 id="policy-list-title">{listDenied ? 'Your token’s policies' : 'All policies'}</h2>
        <GatedButton className="primary" onClick={() => (window.location.hash = NEW_POLICY_HASH)} deniedReason={newDenied}>
          New policy
        </GatedButton>
      </div>
      {listDenied && <p className="hint">{listDenied} The policies your own token has are listed instead.</p>}
      <ErrorMessage message={error} />
      <StatusMessage>{!shown && !error ? 'Loading the policies…' : undefined}</StatusMessage>
      {shown && (
        <ul className="policy-list">
          {shown.map((name) => (
            <li key={name}>
              <a href={hrefOf('policies', name)}>{name}</a>
              {TAGS[name] && <span className="policy-tag">— {TAGS[name]}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
