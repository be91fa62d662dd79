import type { DryRunResult } from '../../api/database'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { Rendered } from './RolePreview'

/** The last trial: what it ran (or PostgreSQL's complaint), and whether the form changed since. */
export interface Trial {
  /** The role as it was tested (see `bodyKey`). */
  key: string
  result?: DryRunResult
  error?: string
}

/**
 * Whether the statements on screen were tried: a passed trial of exactly this text, a trial
 * of an earlier text, or none. Saving runs the same trial, so this is about knowing early.
 */
export function DryRunPanel({ trial, currentKey }: { trial: Trial | undefined; currentKey: string | undefined }) {
  const current = trial !== undefined && trial.key === currentKey
  return (
    <div className="db-dry-run">
      <StatusMessage tone={current && trial.result ? 'success' : trial ? 'warning' : 'info'}>
        {!trial && 'Not tested yet. Test role tries the statements in PostgreSQL without saving anything.'}
        {trial && !current && 'Changed since the last test: the statements on screen have not been tried.'}
        {current && trial.result && 'Tested: the statements on screen passed a trial in PostgreSQL.'}
        {current && trial.error && 'Tested: the statements on screen failed in PostgreSQL (below).'}
      </StatusMessage>
      {trial?.error && (
        <ErrorMessage message={`The test failed. ${trial.error}`}>
          <p className="hint">Nothing was saved. Saving would fail the same way.</p>
        </ErrorMessage>
      )}
      {trial?.result && (
        <div className="card-inset">
          <p>
            PostgreSQL created <span className="mono">{trial.result.username}</span> with the creation statements and
            dropped it with the revocation statements, in a transaction that was rolled back. Nothing was saved.
          </p>
          <Rendered id="db-trial-creation" title="Sent to create the trial user" sql={trial.result.creation_statements} />
          <Rendered id="db-trial-revocation" title="Sent to drop the trial user" sql={trial.result.revocation_statements} />
        </div>
      )}
    </div>
  )
}
