import { useState } from 'react'
import { useServices } from '../app/services'
import { messageOf } from '../lib/format'

/** Saves text through the platform (a save dialog on desktop, a download in the browser). */
export function SaveFileButton({ fileName, contents, label = 'Save to file' }: { fileName: string; contents: () => string; label?: string }) {
  const { platform } = useServices()
  const [saved, setSaved] = useState<string>()
  const [error, setError] = useState<string>()

  const save = () => {
    setError(undefined)
    platform
      .saveTextFile(fileName, contents())
      .then((path) => setSaved(path ?? undefined))
      .catch((e: unknown) => setError(`Could not save: ${messageOf(e)}`))
  }

  return (
    <>
      <button type="button" onClick={save}>
        {label}
      </button>
      <span className="inline-status" role="status">
        {saved && `Saved as ${saved}`}
      </span>
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </>
  )
}
