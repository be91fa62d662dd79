import { describe, expect, it } from 'vitest'
import { cliCommand, curlCommand } from '../../lib/equivalent'
import { capabilityText, deniesAll, KEY_PATHS } from './capabilityRows'
import { durationOf, EMPTY_DRAFT, policyList, revokeCall, tokenCall, tokenCli, tokenRequest } from './tokenForm'

describe('durationOf', () => {
  it('writes Go durations, days as hours, nothing for an empty field', () => {
    expect(durationOf({ amount: '90', unit: 'm' })).toEqual({ value: '90m' })
    expect(durationOf({ amount: '7', unit: 'd' })).toEqual({ value: '168h' })
    expect(durationOf({ amount: ' ', unit: 'h' })).toEqual({})
  })

  it('refuses what is not a whole number of at least 1', () => {
    const error = 'Enter a whole number, at least 1, or leave it empty.'
    expect(durationOf({ amount: '0', unit: 'h' })).toEqual({ error })
    expect(durationOf({ amount: '1.5', unit: 'h' })).toEqual({ error })
    expect(durationOf({ amount: '1h', unit: 'h' })).toEqual({ error })
  })
})

describe('policyList', () => {
  it('splits on commas, trims, and drops empties and repeats', () => {
    expect(policyList(' apps, default,,apps , ')).toEqual(['apps', 'default'])
    expect(policyList('')).toEqual([])
  })
})

describe('tokenRequest', () => {
  it('sends only renewable for an untouched form', () => {
    expect(tokenRequest(EMPTY_DRAFT, true)).toEqual({ errors: {}, body: { renewable: true } })
  })

  it('builds the full body in a fixed order', () => {
    const draft = {
      ...EMPTY_DRAFT,
      policies: ['apps', 'database-admin'],
      ttl: { amount: '1', unit: 'h' as const },
      maxTtl: { amount: '2', unit: 'd' as const },
      displayName: ' ci job ',
      numUses: '3',
      renewable: false,
      orphan: true,
    }
    const { errors, body } = tokenRequest(draft, true)
    expect(errors).toEqual({})
    expect(JSON.stringify(body)).toBe(
      '{"policies":["apps","database-admin"],"ttl":"1h","explicit_max_ttl":"48h","display_name":"ci job","num_uses":3,"renewable":false,"no_parent":true}',
    )
  })

  it('takes the policies from the text field when the list could not be read', () => {
    const draft = { ...EMPTY_DRAFT, policies: ['ignored'], policiesText: 'apps, default' }
    expect(tokenRequest(draft, false).body.policies).toEqual(['apps', 'default'])
    expect(tokenRequest({ ...draft, policiesText: ' , ' }, false).body).toEqual({ renewable: true })
  })

  it('reports bad fields and leaves them out of the body', () => {
    const draft = { ...EMPTY_DRAFT, ttl: { amount: 'soon', unit: 'h' as const }, maxTtl: { amount: '0', unit: 'd' as const }, numUses: '-1' }
    expect(tokenRequest(draft, true)).toEqual({
      errors: {
        ttl: 'Enter a whole number, at least 1, or leave it empty.',
        maxTtl: 'Enter a whole number, at least 1, or leave it empty.',
        numUses: 'Enter a whole number of uses, or leave it empty for no limit.',
      },
      body: { renewable: true },
    })
    expect(tokenRequest({ ...EMPTY_DRAFT, numUses: '0' }, true)).toEqual({ errors: {}, body: { renewable: true } })
  })
})

describe('token create equivalents', () => {
  const body = {
    policies: ['apps', 'database-admin'],
    ttl: '1h',
    explicit_max_ttl: '48h',
    display_name: 'ci job',
    num_uses: 3,
    renewable: false,
    no_parent: true,
  }

  it('uses the CLI flags, -orphan included', () => {
    expect(tokenCli(body)).toBe(
      "bao token create -policy=apps -policy=database-admin -ttl=1h -explicit-max-ttl=48h '-display-name=ci job' -use-limit=3 -renewable=false -orphan",
    )
    expect(tokenCli({ renewable: true })).toBe('bao token create')
    expect(cliCommand(tokenCall(body))).toBe(tokenCli(body))
  })

  it('POSTs the same body over HTTP', () => {
    expect(curlCommand(tokenCall({ policies: ['apps'], ttl: '1h', renewable: true }))).toBe(
      `curl --fail-with-body -sS -H "X-Vault-Token: $VAULT_TOKEN" -X POST --data '{"policies":["apps"],"ttl":"1h","renewable":true}' "$VAULT_ADDR/v1/auth/token/create"`,
    )
  })

  it('revokes by accessor', () => {
    const call = revokeCall(' Dgm0PUITUb17JmHG5KuMqMu7 ')
    expect(cliCommand(call)).toBe('bao token revoke -accessor Dgm0PUITUb17JmHG5KuMqMu7')
    expect(curlCommand(call)).toBe(
      `curl --fail-with-body -sS -H "X-Vault-Token: $VAULT_TOKEN" -X POST --data '{"accessor":"Dgm0PUITUb17JmHG5KuMqMu7"}' "$VAULT_ADDR/v1/auth/token/revoke-accessor"`,
    )
    expect(cliCommand(revokeCall(''))).toBe('bao token revoke -accessor ACCESSOR')
  })
})

describe('capability table', () => {
  it('covers the paths behind the gated buttons', () => {
    const paths = KEY_PATHS.map((row) => row.path)
    for (const path of ['sys/policies/acl/', 'sys/policies/acl/x', 'auth/token/create', 'database/creds/readonly', 'sys/leases/revoke'])
      expect(paths).toContain(path)
    expect(new Set(paths).size).toBe(paths.length)
  })

  it('puts capabilities in words', () => {
    expect(capabilityText(undefined)).toBe('Checking…')
    expect(capabilityText(['root'])).toBe('everything (root)')
    expect(capabilityText(['deny'])).toBe('nothing (deny)')
    expect(capabilityText([])).toBe('nothing (deny)')
    expect(capabilityText(['list', 'read'])).toBe('list, read')
    expect([deniesAll(['deny']), deniesAll(['root']), deniesAll(['read']), deniesAll(undefined)]).toEqual([true, false, false, false])
  })
})
