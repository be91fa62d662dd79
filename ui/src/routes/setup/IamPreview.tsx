import { useEffect, useRef, useState } from 'react'
import { useServices } from '../../app/services'
import type { SealBody, SetupIamReply, StorageBody } from '../../api/types'
import { asJson, CodeBlock } from '../../components/CodeBlock'
import { ErrorMessage } from '../../components/Messages'
import { messageOf } from '../../lib/format'

interface IamPreviewProps {
  /** Which documents to show: the table's or the KMS key's. */
  part: 'dynamodb' | 'kms'
  /**
   * The step's own block, with a neutral other one (local storage, key shares) so that the
   * other step's unfinished fields cannot fail this preview.
   */
  request: { storage: StorageBody; seal: SealBody }
  open: boolean
  onToggle(open: boolean): void
}

/**
 * "What permissions do I need?", answered before anything exists: the core renders the
 * policies for the choices made so far, each time the section is opened.
 */
export function IamPreview({ part, request, open, onToggle }: IamPreviewProps) {
  const { client } = useServices()
  const [reply, setReply] = useState<SetupIamReply>()
  const [error, setError] = useState<string>()

  // The request as it is when the section opens (it changes with every keystroke).
  const latest = useRef(request)
  latest.current = request

  useEffect(() => {
    if (!open) return undefined
    let current = true
    setError(undefined)
    client
      .setupIam(latest.current.storage, latest.current.seal)
      .then((r) => current && setReply(r))
      .catch((e: unknown) => current && setError(messageOf(e)))
    return () => {
      current = false
    }
  }, [open, client])

  return (
    <details className="disclosure" open={open} onToggle={(e) => onToggle(e.currentTarget.open)}>
      <summary>Required IAM permissions</summary>
      <ErrorMessage message={error} />
      {reply && part === 'dynamodb' && reply.dynamodb && (
        <>
          <p className="hint">
            Attach the run-time policy to the role or user Strongroom runs as. The setup policy is needed once, by
            whoever creates or resizes the table (it may be you, now).
          </p>
          <CodeBlock title="Run-time policy" text={asJson(reply.dynamodb.steady_state)} fileName="strongroom-dynamodb-policy.json" />
          <CodeBlock title="Table setup policy" text={asJson(reply.dynamodb.bootstrap)} fileName="strongroom-dynamodb-setup-policy.json" />
          {reply.terraform && <CodeBlock title="Terraform for the table" text={reply.terraform} fileName="strongroom-dynamodb.tf" />}
        </>
      )}
      {reply && part === 'kms' && reply.kms && (
        <>
          <p className="hint">
            Attach this policy to the role or user Strongroom runs as. The key’s own policy, which separates key users
            from key administrators, is on the IAM &amp; infrastructure page once setup is done.
          </p>
          <CodeBlock title="KMS IAM policy" text={asJson(reply.kms.iam_policy)} fileName="strongroom-kms-policy.json" />
        </>
      )}
    </details>
  )
}
