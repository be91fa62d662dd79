import { useState, type FormEvent } from 'react'
import { useServices } from '../../app/services'
import type { SetupStatus, StorageTestReply } from '../../api/types'
import { Checkbox } from '../../components/Checkbox'
import { ChoiceGroup } from '../../components/ChoiceGroup'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { TextField } from '../../components/TextField'
import { formatBytes, formatCount } from '../../lib/format'
import { AwsCredentials } from './AwsCredentials'
import { storageBody, type StorageDraft } from './draft'
import { IamPreview } from './IamPreview'
import { PermissionsHint } from './PermissionsHint'
import { useFormErrors } from './useFormErrors'
import { validateStorage, type FieldErrors } from './validate'

/** The storage fields in screen order (API body keys). */
const FIELDS = [
  'type', 'region', 'endpoint', 'table', 'billing_mode', 'read_capacity', 'write_capacity',
  'ha_enabled', 'credentials', 'access_key', 'secret_key',
] as const

interface StorageStepProps {
  setup: SetupStatus
  storage: StorageDraft
  secretKey: string
  initialErrors?: FieldErrors
  onChange(storage: StorageDraft): void
  onSecretKey(value: string): void
  onNext(): void
}

/** Step 1: where Strongroom keeps its (encrypted) data. */
export function StorageStep({ setup, storage, secretKey, initialErrors, onChange, onSecretKey, onNext }: StorageStepProps) {
  const { client } = useServices()
  const form = useFormErrors('storage', FIELDS, initialErrors)
  const [result, setResult] = useState<StorageTestReply>()
  const [busy, setBusy] = useState<'test' | 'create'>()
  const [iamOpen, setIamOpen] = useState(false)

  /** Any change makes an earlier test answer stale (and "Create table" unsafe). */
  const update = (change: Partial<StorageDraft>) => {
    setResult(undefined)
    onChange({ ...storage, ...change })
  }

  const run = (kind: 'test' | 'create') => {
    if (!form.check(validateStorage(storage, secretKey))) return
    setBusy(kind)
    setResult(undefined)
    const body = storageBody(storage, secretKey)
    const call = kind === 'test' ? client.testStorage(body) : client.createTable(body)
    call
      .then(setResult)
      .catch(form.fail)
      .finally(() => setBusy(undefined))
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (form.check(validateStorage(storage, secretKey))) onNext()
  }

  const dynamo = storage.type === 'dynamodb'
  const { errors } = form
  return (
    <form onSubmit={submit} noValidate aria-labelledby="storage-title">
      <h2 id="storage-title" tabIndex={-1}>Where should Strongroom keep its data?</h2>
      <p className="lead">
        Everything is encrypted before it is stored, so the storage only ever holds ciphertext. You can start locally and
        move later.
      </p>
      <ChoiceGroup<StorageDraft['type']>
        id="storage-type"
        name="storage-type"
        legend="Storage"
        value={storage.type}
        onChange={(type) => update({ type })}
        choices={[
          {
            value: 'local',
            label: 'Local (recommended for a first try)',
            hint: setup.local_path ? (
              <>
                One file on this computer: <code>{setup.local_path}</code>
              </>
            ) : (
              'One file on this computer, next to the configuration.'
            ),
          },
          {
            value: 'dynamodb',
            label: 'Amazon DynamoDB',
            hint: 'A DynamoDB table, for data that outlives this computer and for several nodes with one active (HA).',
          },
        ]}
      />

      {dynamo && (
        <div className="subform">
          <div className="field-row">
            <TextField id="storage-region" label="Region" value={storage.region} onChange={(region) => update({ region })} error={errors.region} />
            <TextField id="storage-table" label="Table name" value={storage.table} onChange={(table) => update({ table })} error={errors.table} hint="Created for you if it does not exist yet." />
          </div>
          <TextField
            id="storage-endpoint"
            label="Endpoint (optional)"
            value={storage.endpoint}
            onChange={(endpoint) => update({ endpoint })}
            error={errors.endpoint}
            placeholder="http://127.0.0.1:8000"
            hint="Only for a local stand-in such as LocalStack, moto or DynamoDB Local. Leave empty for AWS."
          />
          <ChoiceGroup<StorageDraft['billing_mode']>
            id="storage-billing_mode"
            name="storage-billing_mode"
            legend="Billing mode"
            value={storage.billing_mode}
            onChange={(billing_mode) => update({ billing_mode })}
            choices={[
              { value: 'PROVISIONED', label: 'Provisioned capacity', hint: 'A fixed number of reads and writes per second, billed by the hour. Cheapest for steady use.' },
              { value: 'PAY_PER_REQUEST', label: 'On demand', hint: 'Billed per request. Cheapest for a table that is mostly idle.' },
            ]}
          />
          {storage.billing_mode === 'PROVISIONED' && (
            <div className="field-row">
              <TextField id="storage-read_capacity" label="Read capacity units" inputMode="numeric" value={storage.read_capacity} onChange={(read_capacity) => update({ read_capacity })} error={errors.read_capacity} />
              <TextField id="storage-write_capacity" label="Write capacity units" inputMode="numeric" value={storage.write_capacity} onChange={(write_capacity) => update({ write_capacity })} error={errors.write_capacity} />
            </div>
          )}
          <Checkbox
            id="storage-ha_enabled"
            checked={storage.ha_enabled}
            onChange={(ha_enabled) => update({ ha_enabled })}
            hint="Several Strongroom nodes can share the table; a lock item in it picks the one that answers."
          >
            High availability (HA) enabled
          </Checkbox>
          <AwsCredentials
            prefix="storage"
            credentials={storage.credentials}
            accessKey={storage.access_key}
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
            <button type="button" onClick={() => run('test')} disabled={busy !== undefined}>
              {busy === 'test' ? 'Testing…' : 'Test connection'}
            </button>
            <button
              type="button"
              onClick={() => run('create')}
              disabled={busy !== undefined || !result || result.table_exists}
              aria-describedby="storage-create-hint"
            >
              {busy === 'create' ? 'Creating…' : 'Create table'}
            </button>
            <span id="storage-create-hint" className="field-hint">
              {!result ? 'Available after a test finds no table.' : result.table_exists ? 'The table exists.' : 'The table does not exist yet: create it now, or let Strongroom create it when it starts.'}
            </span>
          </div>
          <ErrorMessage message={form.general}>
            {form.permissions && <PermissionsHint onShow={() => setIamOpen(true)} />}
          </ErrorMessage>
          <StatusMessage tone="success">{result && <TestResult result={result} />}</StatusMessage>
          <IamPreview
            part="dynamodb"
            request={{ storage: storageBody(storage, secretKey), seal: { type: 'shamir' } }}
            open={iamOpen}
            onToggle={setIamOpen}
          />
        </div>
      )}
      <div className="actions wizard-nav">
        <button type="submit" className="primary">
          Next: seal
        </button>
      </div>
    </form>
  )
}

/** The test's message and, when the table exists, what DynamoDB says about it. */
function TestResult({ result }: { result: StorageTestReply }) {
  const table = result.table
  return (
    <>
      <p>{result.message}</p>
      {table && (
        <dl className="facts">
          <dt>Table</dt>
          <dd>{table.name}</dd>
          <dt>Status</dt>
          <dd>{table.status}</dd>
          <dt>Billing</dt>
          <dd>{table.billing_mode === 'PAY_PER_REQUEST' ? 'On demand' : `Provisioned, ${table.read_capacity} read / ${table.write_capacity} write units`}</dd>
          <dt>Items</dt>
          <dd>{formatCount(table.item_count)}</dd>
          <dt>Size</dt>
          <dd>{formatBytes(table.size_bytes)}</dd>
          <dt>ARN</dt>
          <dd className="mono">{table.arn}</dd>
        </dl>
      )}
    </>
  )
}
