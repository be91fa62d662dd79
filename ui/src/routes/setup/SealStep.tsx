import { useState, type FormEvent } from 'react'
import { useServices } from '../../app/services'
import type { SealTestReply, SetupStatus } from '../../api/types'
import { ChoiceGroup } from '../../components/ChoiceGroup'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { AwsCredentials } from './AwsCredentials'
import { sealBody, type SealDraft } from './draft'
import { IamPreview } from './IamPreview'
import { TextField } from '../../components/TextField'
import { PermissionsHint } from './PermissionsHint'
import { SharesFields } from './SharesFields'
import { useFormErrors } from './useFormErrors'
import { validateSeal, type FieldErrors } from './validate'

/** The seal fields in screen order: KMS settings first, then the share numbers. */
const FIELDS = ['type', 'kms_key_id', 'region', 'endpoint', 'credentials', 'access_key', 'secret_key', 'shares', 'threshold'] as const

interface SealStepProps {
  setup: SetupStatus
  seal: SealDraft
  secretKey: string
  initialErrors?: FieldErrors
  onChange(seal: SealDraft): void
  onSecretKey(value: string): void
  onBack(): void
  onNext(): void
}

/** Step 2: how the encryption key is protected, and so how Strongroom is unsealed at start. */
export function SealStep(props: SealStepProps) {
  const { setup, seal, secretKey, onChange, onSecretKey } = props
  const { client } = useServices()
  const form = useFormErrors('seal', FIELDS, props.initialErrors)
  const [result, setResult] = useState<SealTestReply>()
  const [busy, setBusy] = useState(false)
  const [iamOpen, setIamOpen] = useState(false)

  const update = (change: Partial<SealDraft>) => {
    setResult(undefined)
    onChange({ ...seal, ...change })
  }

  const testKey = () => {
    if (!form.check(validateSeal(seal, secretKey))) return
    setBusy(true)
    setResult(undefined)
    client
      .testSeal(sealBody(seal, secretKey))
      .then(setResult)
      .catch(form.fail)
      .finally(() => setBusy(false))
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (form.check(validateSeal(seal, secretKey))) props.onNext()
  }

  const kms = seal.type === 'awskms'
  const { errors } = form
  return (
    <form onSubmit={submit} noValidate aria-labelledby="seal-title">
      <h2 id="seal-title" tabIndex={-1}>How should Strongroom be unsealed?</h2>
      <p className="lead">
        Strongroom encrypts everything with one key that is never stored in the clear. Until that key is available it
        is <em>sealed</em>: running, but unable to read anything.
      </p>
      <ChoiceGroup<SealDraft['type']>
        id="seal-type"
        name="seal-type"
        legend="Seal"
        value={seal.type}
        onChange={(type) => update({ type })}
        choices={[
          {
            value: 'shamir',
            label: 'Key shares (Shamir)',
            hint: 'The key is split into shares for people to keep. After every start, enough of them are entered to unseal.',
          },
          {
            value: 'awskms',
            label: 'AWS KMS auto-unseal',
            hint: 'A key in AWS KMS protects the encryption key, and Strongroom unseals itself at start.',
          },
        ]}
      />
      {kms && (
        <div className="subform">
          <TextField
            id="seal-kms_key_id"
            label="KMS key"
            value={seal.kms_key_id}
            onChange={(kms_key_id) => update({ kms_key_id })}
            error={errors.kms_key_id}
            placeholder="alias/strongroom"
            hint="The key id, its ARN, or alias/NAME. A symmetric encryption key."
          />
          <div className="field-row">
            <TextField id="seal-region" label="Region" value={seal.region} onChange={(region) => update({ region })} error={errors.region} />
            <TextField
              id="seal-endpoint"
              label="Endpoint (optional)"
              value={seal.endpoint}
              onChange={(endpoint) => update({ endpoint })}
              error={errors.endpoint}
              hint="Only for a local stand-in such as LocalStack or moto."
            />
          </div>
          <AwsCredentials
            prefix="seal"
            credentials={seal.credentials}
            accessKey={seal.access_key}
            secretKey={secretKey}
            keychain={setup.keychain}
            configPath={setup.config_path}
            errors={errors}
            onCredentials={(credentials) => update({ credentials })}
            onAccessKey={(access_key) => update({ access_key })}
            onSecretKey={(value) => {
              setResult(undefined)
              onSecretKey(value)
            }}
          />
          <div className="actions">
            <button type="button" onClick={testKey} disabled={busy}>
              {busy ? 'Testing…' : 'Test key'}
            </button>
          </div>
          <ErrorMessage message={form.general}>
            {form.permissions && <PermissionsHint onShow={() => setIamOpen(true)} />}
          </ErrorMessage>
          <StatusMessage tone="success">
            {result && (
              <>
                <p>{result.message}</p>
                {result.key && (
                  <dl className="facts">
                    <dt>Key ARN</dt>
                    <dd className="mono">{result.key.arn}</dd>
                    <dt>State</dt>
                    <dd>{result.key.state}</dd>
                  </dl>
                )}
              </>
            )}
          </StatusMessage>
          <IamPreview
            part="kms"
            request={{ storage: { type: 'local' }, seal: sealBody(seal, secretKey) }}
            open={iamOpen}
            onToggle={setIamOpen}
          />
        </div>
      )}
      <SharesFields
        prefix="seal"
        recovery={kms}
        shares={seal.shares}
        threshold={seal.threshold}
        errors={errors}
        onShares={(shares) => update({ shares })}
        onThreshold={(threshold) => update({ threshold })}
      />
      <div className="actions wizard-nav">
        <button type="button" onClick={props.onBack}>
          Back
        </button>
        <button type="submit" className="primary">
          Next: review
        </button>
      </div>
    </form>
  )
}
