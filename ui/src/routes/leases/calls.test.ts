import { describe, expect, it } from 'vitest'
import { NO_FILTER } from '../../api/leases'
import { cliCommand, curlCommand } from '../../lib/equivalent'
import { bulkCall, forceRevokeCall, renewCall, revokeCall, revokePrefixCall, searchCall, timelineCall } from './calls'

const curlStart = 'curl --fail-with-body -sS -H "X-Vault-Token: $VAULT_TOKEN"'

describe('lease equivalents', () => {
  it('writes the search with the fields the page sends', () => {
    const call = searchCall({ ...NO_FILTER, mount: 'database/', role: 'readonly', expiringWithin: '1h' }, 25, '17:database/creds/readonly/a')
    expect(cliCommand(call)).toBe('bao read sys/leases/search mount=database/ role=readonly expiring_within=1h limit=25 after=17:database/creds/readonly/a')
    expect(curlCommand(call)).toBe(
      `${curlStart} "$VAULT_ADDR/v1/sys/leases/search?mount=database%2F&role=readonly&expiring_within=1h&limit=25&after=17%3Adatabase%2Fcreds%2Freadonly%2Fa"`,
    )
    expect(cliCommand(timelineCall('24h', 24))).toBe('bao read sys/leases/timeline window=24h buckets=24')
  })

  it('uses the lease commands of the CLI', () => {
    expect(cliCommand(renewCall('database/creds/ro/x1', '1h'))).toBe('bao lease renew -increment=1h database/creds/ro/x1')
    expect(curlCommand(renewCall('database/creds/ro/x1', '1h'))).toBe(
      `${curlStart} -X PUT --data '{"lease_id":"database/creds/ro/x1","increment":"1h"}' "$VAULT_ADDR/v1/sys/leases/renew"`,
    )
    expect(cliCommand(revokeCall('database/creds/ro/x1'))).toBe('bao lease revoke database/creds/ro/x1')
    expect(curlCommand(revokeCall('database/creds/ro/x1'))).toBe(
      `${curlStart} -X PUT --data '{"lease_id":"database/creds/ro/x1"}' "$VAULT_ADDR/v1/sys/leases/revoke"`,
    )
    expect(cliCommand(revokePrefixCall('database/creds/ro/'))).toBe('bao lease revoke -prefix database/creds/ro/')
    expect(curlCommand(revokePrefixCall('database/creds/ro/'))).toBe(`${curlStart} -X PUT "$VAULT_ADDR/v1/sys/leases/revoke-prefix/database/creds/ro/"`)
    expect(cliCommand(forceRevokeCall('database/creds/ro/x1'))).toBe('bao lease revoke -force -prefix database/creds/ro/x1')
  })

  it('revokes a selection in a loop whose HTTP form takes the id from $id', () => {
    const call = bulkCall(['db/creds/ro/a', "db/creds/it's/b"], false)
    expect(cliCommand(call)).toBe(`for id in db/creds/ro/a 'db/creds/it'\\''s/b'; do bao lease revoke "$id"; done`)
    expect(curlCommand(call)).toBe(`${curlStart} -X PUT --data '{"lease_id":"'"$id"'"}' "$VAULT_ADDR/v1/sys/leases/revoke"`)
    const force = bulkCall(['db/creds/ro/a'], true)
    expect(cliCommand(force)).toBe('for id in db/creds/ro/a; do bao lease revoke -force -prefix "$id"; done')
    expect(curlCommand(force)).toBe(`${curlStart} -X PUT "$VAULT_ADDR/v1/sys/leases/revoke-force/$id"`)
  })
})
