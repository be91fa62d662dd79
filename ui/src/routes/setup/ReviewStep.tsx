import { useEffect, useState, type FormEvent } from 'react'
import { useServices } from '../../app/services'
import type { ConfigReply, SealBody, StorageBody } from '../../api/types'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { messageOf } from '../../lib/format'

interface ReviewStepProps {
  storage: StorageBody
  seal: SealBody
  /** A save or dry run refused a field: the wizard goes back to its step. */
  onFieldError(error: unknown): boolean
  onBack(): void
  /** Called once the configuration is written and the node runs on it. */
  onSaved(): Promise<void>
}

/** Step 3: the configuration file exactly as it will be written, then written. */
export function ReviewStep({ storage, seal, onFieldError, onBack, onSaved }: ReviewStepProps) {
  const { client } = useServices()
  const [preview, setPreview] = useState<ConfigReply>()
  const [error, setError] = useState<string>()
  const [saving, setSaving] = useState(false)

  // The dry run once, with the choices the step was opened with.
  const [bodies] = useState({ storage, seal })
  useEffect(() => {
    let current = true
    client
      .saveConfig(bodies.storage, bodies.seal, true)
      .then((reply) => current && setPreview(reply))
      .catch((e: unknown) => current && !onFieldError(e) && setError(messageOf(e)))
    return () => {
      current = false
    }
  }, [client, bodies, onFieldError])

  const save = (e: FormEvent) => {
    e.preventDefault()
    setSaving(true)
    setError(undefined)
    client
      .saveConfig(bodies.storage, bodies.seal, false)
      .then(onSaved)
      .catch((failure: unknown) => {
        if (!onFieldError(failure)) setError(messageOf(failure))
        setSaving(false)
      })
  }

  return (
    <form onSubmit={save} aria-labelledby="review-title">
      <h2 id="review-title" tabIndex={-1}>Review the configuration</h2>
      <p className="lead">
        This is the file Strongroom will run with. Secret keys are not shown: they are kept
        where the credentials choice said.
      </p>
      <StatusMessage>{!preview && !error && 'Preparing the configuration…'}</StatusMessage>
      {preview && (
        <figure className="code-block">
          <figcaption>
            Written to <code>{preview.config_path}</code>
          </figcaption>
          <pre tabIndex={0} aria-label="Configuration file">
            {preview.hcl}
          </pre>
        </figure>
      )}
      <ErrorMessage message={error} />
      <div className="actions wizard-nav">
        <button type="button" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="primary" disabled={!preview || saving}>
          {saving ? 'Saving…' : 'Save configuration'}
        </button>
      </div>
    </form>
  )
}
