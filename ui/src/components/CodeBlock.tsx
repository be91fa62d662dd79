import { useId } from 'react'
import { CopyButton } from './CopyButton'
import { SaveFileButton } from './SaveFileButton'

/** A document to hand to AWS or Terraform: shown as-is, with Copy and Save to file. */
export function CodeBlock({ title, text, fileName }: { title: string; text: string; fileName: string }) {
  const titleId = useId()
  return (
    <figure className="code-block">
      <figcaption id={titleId}>{title}</figcaption>
      {/* Focusable so keyboard users can scroll long documents. */}
      <pre tabIndex={0} aria-labelledby={titleId}>
        {text}
      </pre>
      <div className="actions">
        <CopyButton text={text} label={`Copy ${title}`} />
        <SaveFileButton fileName={fileName} contents={() => text} label={`Save ${title} to file`} />
      </div>
    </figure>
  )
}

/** JSON documents as AWS's console shows them. */
export function asJson(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`
}
