import { useCallback, useEffect, useState } from 'react'
import { useServices } from '../../app/services'
import type { LeaderStatus, SealStatus, StorageDescription } from '../../api/types'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { PageHeading } from '../../components/PageHeading'
import { formatBytes, formatCount, messageOf } from '../../lib/format'
import { CapacityForm } from './CapacityForm'
import { EstimatePanel } from './EstimatePanel'

/** The DynamoDB table behind the node: what AWS says about it, its capacity, and its cost. */
export function StoragePage({ status }: { status: SealStatus }) {
  const { client } = useServices()
  const [description, setDescription] = useState<StorageDescription>()
  const [leader, setLeader] = useState<LeaderStatus>()
  const [error, setError] = useState<string>()
  const dynamo = status.storage_type === 'dynamodb'

  const load = useCallback(() => {
    setError(undefined)
    client
      .describeStorage()
      .then(setDescription)
      .catch((e: unknown) => setError(messageOf(e)))
    client
      .leader()
      .then(setLeader)
      .catch(() => setLeader(undefined)) // the table facts matter more; leader is a bonus line
  }, [client])

  useEffect(() => {
    if (dynamo) load()
  }, [dynamo, load])

  if (!dynamo) {
    return (
      <>
        <PageHeading>Storage</PageHeading>
        <section className="card">
          <p>
            This node keeps its data in a local file (storage type “{status.storage_type}”), so there is no DynamoDB
            table to manage here.
          </p>
        </section>
      </>
    )
  }

  const table = description?.table
  const config = description?.config
  return (
    <>
      <header className="page-header">
        <PageHeading>Storage</PageHeading>
        <button type="button" onClick={load}>
          Refresh
        </button>
      </header>
      <ErrorMessage message={error} />
      <StatusMessage>{!description && !error && 'Asking DynamoDB about the table…'}</StatusMessage>
      {table && config && (
        <section className="card" aria-labelledby="table-title">
          <h2 id="table-title">Table {table.name}</h2>
          <dl className="facts">
            <dt>Status</dt>
            <dd>{table.status}</dd>
            <dt>Billing mode</dt>
            <dd>{table.billing_mode === 'PAY_PER_REQUEST' ? 'On demand' : 'Provisioned'}</dd>
            <dt>Capacity</dt>
            <dd>
              {table.billing_mode === 'PAY_PER_REQUEST'
                ? 'Scales with requests'
                : `${table.read_capacity} read units, ${table.write_capacity} write units`}
            </dd>
            <dt>Items</dt>
            <dd>{formatCount(table.item_count)}</dd>
            <dt>Size</dt>
            <dd>
              {formatBytes(table.size_bytes)} <span className="hint-inline">(AWS updates these two about every six hours)</span>
            </dd>
            <dt>ARN</dt>
            <dd className="mono">{table.arn}</dd>
            <dt>Region</dt>
            <dd>{config.region}</dd>
            <dt>Endpoint</dt>
            <dd>{config.endpoint ?? 'AWS'}</dd>
            <dt>High availability</dt>
            <dd>{config.ha_enabled ? 'Enabled' : 'Off'}</dd>
            {leader?.ha_enabled && (
              <>
                <dt>Active node</dt>
                <dd>{leader.is_self ? 'This node' : leader.leader_address || 'None yet'}</dd>
              </>
            )}
          </dl>
        </section>
      )}
      {table && <CapacityForm table={table} onChanged={load} />}
      {description && <EstimatePanel observed={description.workload} table={description.table} />}
    </>
  )
}
