import type { ReactNode } from 'react'
import { ErrorMessage } from '../../components/Messages'
import type { ListState, Row } from './MountSection'

interface ListSectionProps<T> {
  title: string
  addLabel: string
  addHref: string
  state: ListState<T>
  loadingText: string
  /** Said before the reason when the token may not list. */
  deniedText: string
  emptyText: string
  /** The table of the rows, when there are any. */
  children(rows: Row<T>[]): ReactNode
}

/** One list of a mount (connections or roles): its Add link, and loading, denied, error or empty. */
export function ListSection<T>({ title, addLabel, addHref, state, loadingText, deniedText, emptyText, children }: ListSectionProps<T>) {
  return (
    <div className="db-list">
      <div className="db-list-header">
        <h3>{title}</h3>
        <a className="db-button-link" href={addHref}>
          {addLabel}
        </a>
      </div>
      {state === undefined && <p className="hint">{loadingText}</p>}
      {state && 'denied' in state && (
        <p className="db-denied">
          {deniedText} {state.denied}
        </p>
      )}
      {state && 'error' in state && <ErrorMessage message={state.error} />}
      {state && 'rows' in state && (state.rows.length === 0 ? <p className="hint">{emptyText}</p> : children(state.rows))}
    </div>
  )
}
