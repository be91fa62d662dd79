import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { useServices } from '../../app/services'
import type { KmsPolicies, SealStatus, TablePolicies } from '../../api/types'
import { asJson, CodeBlock } from '../../components/CodeBlock'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { PageHeading } from '../../components/PageHeading'
import { TextField } from '../../components/TextField'
import { messageOf } from '../../lib/format'

/** The IAM policies and Terraform for what this node runs on, to hand to AWS. */
export function InfraPage({ status }: { status: SealStatus }) {
  return (
    <>
      <PageHeading>IAM &amp; infrastructure</PageHeading>
      <p className="lead">
        Least-privilege documents for the AWS resources this node uses, scoped to their real ARNs. Copy them into the AWS
        console, or save them for your infrastructure code.
      </p>
      {status.storage_type === 'dynamodb' ? (
        <TableSection />
      ) : (
        <section className="card" aria-labelledby="infra-table">
          <h2 id="infra-table">DynamoDB table</h2>
          <p>This node keeps its data in a local file, so it needs no table and no IAM permissions for one.</p>
        </section>
      )}
      {status.type === 'awskms' ? (
        <KmsSection />
      ) : (
        <section className="card" aria-labelledby="infra-kms">
          <h2 id="infra-kms">AWS KMS key</h2>
          <p>This node is unsealed with key shares (Shamir), so no KMS key is involved.</p>
        </section>
      )}
    </>
  )
}

function TableSection() {
  const { client } = useServices()
  const [policies, setPolicies] = useState<TablePolicies>()
  const [terraform, setTerraform] = useState<string>()
  const [error, setError] = useState<string>()

  useEffect(() => {
    Promise.all([client.tablePolicies(), client.terraform()])
      .then(([p, t]) => {
        setPolicies(p)
        setTerraform(t)
      })
      .catch((e: unknown) => setError(messageOf(e)))
  }, [client])

  return (
    <section className="card" aria-labelledby="infra-table">
      <h2 id="infra-table">DynamoDB table</h2>
      <ErrorMessage message={error} />
      <StatusMessage>{!policies && !error && 'Loading…'}</StatusMessage>
      {policies && (
        <>
          <p className="hint">
            Table <span className="mono">{policies.table_arn}</span>. Attach the run-time policy to the role or user
            every node runs as; the setup policy is for whoever creates or resizes the table.
          </p>
          <CodeBlock title="Run-time policy" text={asJson(policies.steady_state)} fileName="strongroom-dynamodb-policy.json" />
          <CodeBlock title="Table setup policy" text={asJson(policies.bootstrap)} fileName="strongroom-dynamodb-setup-policy.json" />
        </>
      )}
      {terraform && <CodeBlock title="Terraform for the table" text={terraform} fileName="strongroom-dynamodb.tf" />}
    </section>
  )
}

function KmsSection() {
  const { client } = useServices()
  const [keyUser, setKeyUser] = useState('')
  const [policies, setPolicies] = useState<KmsPolicies>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const load = useCallback(
    (user: string) => {
      setBusy(true)
      setError(undefined)
      client
        .kmsPolicies(user)
        .then(setPolicies)
        .catch((e: unknown) => setError(messageOf(e)))
        .finally(() => setBusy(false))
    },
    [client],
  )

  useEffect(() => load(''), [load])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    load(keyUser.trim())
  }

  return (
    <section className="card" aria-labelledby="infra-kms">
      <h2 id="infra-kms">AWS KMS key</h2>
      <form onSubmit={submit} noValidate className="inline-form">
        <TextField
          id="kms-key-user"
          label="Key user (optional)"
          value={keyUser}
          onChange={setKeyUser}
          error={error}
          placeholder="arn:aws:iam::111122223333:role/strongroom"
          hint="The IAM role or user Strongroom runs as. With it, the key policy is made too: it lets that principal use the key and the account’s administrators manage it, neither doing the other’s part."
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Make the policies
          </button>
        </div>
      </form>
      {policies && (
        <>
          <p className="hint">
            Key <span className="mono">{policies.key_arn}</span>.
          </p>
          <CodeBlock title="KMS IAM policy" text={asJson(policies.iam_policy)} fileName="strongroom-kms-policy.json" />
          {policies.key_policy ? (
            <CodeBlock title="Key policy" text={asJson(policies.key_policy)} fileName="strongroom-kms-key-policy.json" />
          ) : (
            <p className="hint">Name the key user above to get the key policy as well.</p>
          )}
        </>
      )}
    </section>
  )
}
