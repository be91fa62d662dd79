import { describe, expect, it } from 'vitest'
import { VaultError } from '../../api/client'
import { placeApiError } from './apiErrors'
import { DEFAULT_DRAFT, DRAFT_KEY, loadDraft, saveDraft, sealBody, storageBody, type WizardDraft } from './draft'
import { keysFileText, pickShareToCheck, shareMatches, sharesOf } from './keys'
import { locateConfigField, stepState } from './steps'
import { firstInvalid, isKmsKeyId, validateSeal, validateShares, validateStorage } from './validate'

/** A Storage stand-in that records what is written. */
function memoryStore(initial?: string) {
  const items = new Map<string, string>(initial === undefined ? [] : [[DRAFT_KEY, initial]])
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  }
}

const dynamo = { ...DEFAULT_DRAFT.storage, type: 'dynamodb' as const }
const kms = { ...DEFAULT_DRAFT.seal, type: 'awskms' as const, kms_key_id: 'alias/strongroom' }

describe('draft', () => {
  it('starts from the defaults', () => {
    expect(loadDraft(memoryStore())).toEqual(DEFAULT_DRAFT)
    expect(loadDraft(memoryStore('not json'))).toEqual(DEFAULT_DRAFT)
    expect(DEFAULT_DRAFT.storage.table).toBe('vault')
    expect([DEFAULT_DRAFT.seal.shares, DEFAULT_DRAFT.seal.threshold]).toEqual(['5', '3'])
  })

  it('round-trips choices and never stores a secret key', () => {
    const store = memoryStore()
    const draft = {
      storage: { ...dynamo, credentials: 'keys', access_key: 'AKIAEXAMPLE', secret_key: 'wJalr' },
      seal: { ...kms, secret_key: 'also secret' },
    } as unknown as WizardDraft
    saveDraft(store, draft)
    const saved = store.items.get(DRAFT_KEY) ?? ''
    expect(saved).not.toContain('wJalr')
    expect(saved).not.toContain('secret_key')
    expect(loadDraft(store)).toEqual({
      storage: { ...dynamo, credentials: 'keys', access_key: 'AKIAEXAMPLE' },
      seal: kms,
    })
  })

  it('drops values of the wrong type or outside the choices', () => {
    const saved = JSON.stringify({
      storage: { type: 'awskms', billing_mode: 'FREE', table: 42, region: 'eu-west-1' },
      seal: { type: 'awskms', shares: 7 },
    })
    expect(loadDraft(memoryStore(saved))).toEqual({
      storage: { ...DEFAULT_DRAFT.storage, region: 'eu-west-1' },
      seal: { ...DEFAULT_DRAFT.seal, type: 'awskms' },
    })
  })

  it('builds API bodies with strings and without empty optional values', () => {
    expect(storageBody(DEFAULT_DRAFT.storage, '')).toEqual({ type: 'local' })
    expect(storageBody({ ...dynamo, region: ' eu-west-1 ', endpoint: ' http://127.0.0.1:5000 ' }, 'ignored')).toEqual({
      type: 'dynamodb', region: 'eu-west-1', endpoint: 'http://127.0.0.1:5000', table: 'vault',
      billing_mode: 'PROVISIONED', read_capacity: '5', write_capacity: '5', ha_enabled: 'false',
    })
    expect(storageBody({ ...dynamo, billing_mode: 'PAY_PER_REQUEST', ha_enabled: true, credentials: 'keys', access_key: 'AKIA1' }, 's3')).toEqual({
      type: 'dynamodb', region: 'us-east-1', table: 'vault', billing_mode: 'PAY_PER_REQUEST',
      ha_enabled: 'true', access_key: 'AKIA1', secret_key: 's3',
    })
    expect(sealBody(DEFAULT_DRAFT.seal, '')).toEqual({ type: 'shamir' })
    expect(sealBody(kms, '')).toEqual({ type: 'awskms', kms_key_id: 'alias/strongroom', region: 'us-east-1' })
  })
})

describe('validation', () => {
  it('accepts the defaults', () => {
    expect(validateStorage(DEFAULT_DRAFT.storage, '')).toEqual({})
    expect(validateStorage(dynamo, '')).toEqual({})
    expect(validateSeal(DEFAULT_DRAFT.seal, '')).toEqual({})
    expect(validateSeal(kms, '')).toEqual({})
  })

  it('names each bad DynamoDB field', () => {
    const errors = validateStorage(
      { ...dynamo, region: 'EU West', endpoint: 'localhost:8000', table: 'ab', read_capacity: '0', write_capacity: '2.5', credentials: 'keys' },
      '',
    )
    expect(Object.keys(errors)).toEqual(['region', 'endpoint', 'table', 'read_capacity', 'write_capacity', 'access_key', 'secret_key'])
    expect(errors.table).toBe('A table name has 3 to 255 letters, digits, “_”, “-” or “.”.')
    expect(validateStorage({ ...dynamo, billing_mode: 'PAY_PER_REQUEST', read_capacity: '' }, '')).toEqual({})
  })

  it('checks shares and threshold as the core does', () => {
    expect(validateShares('5', '3')).toEqual({})
    expect(validateShares('1', '1')).toEqual({})
    expect(validateShares('255', '255')).toEqual({})
    expect(validateShares('0', '1')).toEqual({ shares: 'Enter a whole number from 1 to 255.' })
    expect(validateShares('256', '3')).toEqual({ shares: 'Enter a whole number from 1 to 255.' })
    expect(validateShares('3', '4')).toEqual({ threshold: 'The threshold cannot be more than the number of shares (3).' })
    expect(validateShares('5', '1')).toEqual({
      threshold: 'With several shares, at least 2 must be needed; otherwise any one share alone would do.',
    })
    expect(validateShares('five', '')).toEqual({
      shares: 'Enter a whole number from 1 to 255.',
      threshold: 'Enter a whole number from 1 to 255.',
    })
  })

  it('recognizes KMS key ids, ARNs and aliases', () => {
    expect(isKmsKeyId('1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(true)
    expect(isKmsKeyId('mrk-1234abcd12ab34cd56ef1234567890ab')).toBe(true)
    expect(isKmsKeyId('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(true)
    expect(isKmsKeyId('alias/strongroom-seal')).toBe(true)
    expect(isKmsKeyId('alias/')).toBe(false)
    expect(isKmsKeyId('strongroom')).toBe(false)
    expect(validateSeal({ ...kms, kms_key_id: '' }, '').kms_key_id).toBe('Enter the KMS key: its id, its ARN, or alias/NAME.')
  })

  it('finds the first invalid field in screen order', () => {
    expect(firstInvalid(['region', 'table', 'secret_key'], { secret_key: 'x', table: 'y' })).toBe('table')
    expect(firstInvalid(['region'], { credentials: 'z' })).toBe('credentials')
    expect(firstInvalid(['region'], {})).toBeUndefined()
  })
})

describe('steps', () => {
  it('places steps around the current one', () => {
    expect(stepState('storage', 'review')).toBe('done')
    expect(stepState('review', 'review')).toBe('current')
    expect(stepState('keys', 'review')).toBe('upcoming')
  })

  it('locates config errors by their prefix', () => {
    expect(locateConfigField('storage.region')).toEqual({ step: 'storage', field: 'region' })
    expect(locateConfigField('seal.kms_key_id')).toEqual({ step: 'seal', field: 'kms_key_id' })
    expect(locateConfigField('region')).toBeUndefined()
    expect(locateConfigField(undefined)).toBeUndefined()
  })
})

describe('keys', () => {
  const reply = { keys: ['aa', 'bb'], keys_base64: ['qg==', 'uw=='], root_token: 'hvs.root' }

  it('shows base64 shares, or the recovery ones with auto-unseal', () => {
    expect(sharesOf(reply)).toEqual(['qg==', 'uw=='])
    expect(sharesOf({ ...reply, keys: [], keys_base64: [], recovery_keys: ['cc'], recovery_keys_base64: ['zA=='] })).toEqual(['zA=='])
  })

  it('writes the key file without the root token unless asked', () => {
    const created = new Date('2026-11-22T10:00:00Z')
    const text = keysFileText({ shares: ['k1', 'k2', 'k3'], threshold: 2, recovery: false, created })
    expect(text).toBe(
      [
        'Strongroom unseal keys',
        'Created: 2026-11-22T10:00:00.000Z',
        '',
        'Any 2 of these 3 unseal keys are needed. Strongroom starts sealed; entering enough of these keys unseals it.',
        'Keep them apart, with different people or in different safe places. Anyone holding enough of them can read every secret.',
        '',
        'Unseal key 1: k1',
        'Unseal key 2: k2',
        'Unseal key 3: k3',
        '',
      ].join('\n'),
    )
    expect(text).not.toContain('root')
    const withToken = keysFileText({ shares: ['r1'], threshold: 1, recovery: true, created, rootToken: 'hvs.root' })
    expect(withToken.split('\n').slice(0, 1)).toEqual(['Strongroom recovery keys'])
    expect(withToken).toContain('Recovery key 1: r1\n\nInitial root token: hvs.root\n')
  })

  it('picks a share to re-enter and compares it exactly after trimming', () => {
    expect(pickShareToCheck(5, () => 0)).toBe(1)
    expect(pickShareToCheck(5, () => 0.5)).toBe(3)
    expect(pickShareToCheck(5, () => 0.9999)).toBe(5)
    expect(pickShareToCheck(1)).toBe(1)
    expect(shareMatches('  qg==\n', 'qg==')).toBe(true)
    expect(shareMatches('QG==', 'qg==')).toBe(false)
    expect(shareMatches('', '')).toBe(false)
  })
})

describe('placeApiError', () => {
  it('puts field errors at their field, others above the buttons', () => {
    const fields = ['region', 'table', 'credentials']
    expect(placeApiError(new VaultError(400, ['no such region'], 'region'), fields)).toEqual({
      fields: { region: 'no such region' },
      permissions: false,
    })
    expect(placeApiError(new VaultError(400, ['the keys were refused'], 'credentials'), fields)).toEqual({
      fields: { credentials: 'the keys were refused' },
      permissions: false,
    })
    expect(placeApiError(new VaultError(403, ['AccessDenied: dynamodb:DescribeTable'], 'permissions'), fields)).toEqual({
      fields: {},
      general: 'AccessDenied: dynamodb:DescribeTable',
      permissions: true,
    })
    expect(placeApiError(new VaultError(400, ['bad'], 'kms_key_id'), fields)).toEqual({ fields: {}, general: 'bad', permissions: false })
    expect(placeApiError(new Error('offline'), fields)).toEqual({ fields: {}, general: 'offline', permissions: false })
  })
})
