import { hrefOf } from '../../app/router'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { PageHeading } from '../../components/PageHeading'
import { errorText } from './hooks'

interface ItemHeaderProps {
  /** `Connection` or `Role`: the heading is `<kind> <name>`. */
  kind: string
  /** Undefined for a new one. */
  name: string | undefined
  newTitle: string
  mount: string
  /** The lead, after "In mount <mount>/.". */
  about: string
  /** The item's path, named when reading it is refused. */
  path: string
  error: unknown
  /** Said while it loads. */
  status: string | undefined
  /** It was asked for by name, and there is none. */
  missing: boolean
}

/** The top of a connection's or role's page: the way back, its name and mount, and why it is not shown. */
export function ItemHeader({ kind, name, newTitle, mount, about, path, error, status, missing }: ItemHeaderProps) {
  return (
    <>
      <p>
        <a href={hrefOf('database')}>← Database</a>
      </p>
      <PageHeading>
        {name ? (
          <>
            {kind} <span className="mono">{name}</span>
          </>
        ) : (
          newTitle
        )}
      </PageHeading>
      <p className="lead">
        In mount <span className="mono">{mount}/</span>. {about}
      </p>
      <ErrorMessage message={errorText(error, path)} />
      <StatusMessage>{status}</StatusMessage>
      {missing && <ErrorMessage message={`There is no ${kind.toLowerCase()} named ${name} in ${mount}/.`} />}
    </>
  )
}
