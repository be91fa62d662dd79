import type { SealDraft, StorageDraft } from './draft'

/** Messages by field name (the API's body keys); empty when all is well. */
export type FieldErrors = Record<string, string>

/** The most shares (and so the highest threshold) Shamir's scheme here allows. */
export const MAX_SHARES = 255

/** A whole number typed in a field, or NaN. */
function whole(value: string): number {
  const text = value.trim()
  return /^\d+$/.test(text) ? Number(text) : Number.NaN
}

function checkRegion(region: string): string | undefined {
  const text = region.trim()
  if (text === '') return 'Enter an AWS region, such as us-east-1.'
  if (text.length > 64 || !/^[a-z0-9-]+$/.test(text)) {
    return `“${text}” is not a region name: use lowercase letters, digits and dashes, such as eu-west-1.`
  }
  return undefined
}

/** Empty is fine (AWS itself); otherwise an http(s) URL with a host. */
function checkEndpoint(endpoint: string): string | undefined {
  const text = endpoint.trim()
  if (text === '') return undefined
  const host = text.replace(/^https?:\/\//, '')
  if (host === text || host === '' || host.startsWith('/')) {
    return 'Enter a URL starting with http:// or https://, such as http://127.0.0.1:8000, or leave it empty to use AWS.'
  }
  return undefined
}

function checkAccessKeys(accessKey: string, secretKey: string, errors: FieldErrors): void {
  if (accessKey.trim() === '') errors.access_key = 'Enter the access key ID (it starts with AKIA or ASIA).'
  else if (/\s/.test(accessKey.trim())) errors.access_key = 'An access key ID has no spaces.'
  if (secretKey === '') errors.secret_key = 'Enter the secret access key that goes with the access key ID.'
}

/** Sets `errors[key]` when `message` says something is wrong. */
function note(errors: FieldErrors, key: string, message: string | undefined): void {
  if (message !== undefined) errors[key] = message
}

/** The storage step's fields, as the core would check them. */
export function validateStorage(draft: StorageDraft, secretKey: string): FieldErrors {
  const errors: FieldErrors = {}
  if (draft.type === 'local') return errors
  note(errors, 'region', checkRegion(draft.region))
  note(errors, 'endpoint', checkEndpoint(draft.endpoint))
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(draft.table.trim())) {
    errors.table = 'A table name has 3 to 255 letters, digits, “_”, “-” or “.”.'
  }
  if (draft.billing_mode === 'PROVISIONED') {
    for (const key of ['read_capacity', 'write_capacity'] as const) {
      if (!(whole(draft[key]) >= 1)) errors[key] = 'Enter a whole number of capacity units, at least 1.'
    }
  }
  if (draft.credentials === 'keys') checkAccessKeys(draft.access_key, secretKey, errors)
  return errors
}

/** A KMS key as the core accepts it: a key id, a multi-Region key id, an ARN or alias/NAME. */
export function isKmsKeyId(value: string): boolean {
  const text = value.trim()
  if (text.length > 2048) return false
  if (text.startsWith('alias/')) return /^alias\/[A-Za-z0-9/_-]+$/.test(text)
  if (text.startsWith('arn:')) return text.split(':').length === 6 && !/\s/.test(text)
  if (text.startsWith('mrk-')) return /^mrk-[0-9a-fA-F-]{32}$/.test(text)
  return /^[0-9a-fA-F-]{36}$/.test(text)
}

/**
 * How many shares to make and how many unseal: as the core checks them, including that a
 * threshold of one only makes sense with a single share.
 */
export function validateShares(shares: string, threshold: string): FieldErrors {
  const errors: FieldErrors = {}
  const n = whole(shares)
  const t = whole(threshold)
  if (!(n >= 1 && n <= MAX_SHARES)) {
    errors.shares = `Enter a whole number from 1 to ${MAX_SHARES}.`
  }
  if (!(t >= 1 && t <= MAX_SHARES)) {
    errors.threshold = `Enter a whole number from 1 to ${MAX_SHARES}.`
  } else if (errors.shares === undefined && t > n) {
    errors.threshold = `The threshold cannot be more than the number of shares (${n}).`
  } else if (errors.shares === undefined && n > 1 && t === 1) {
    errors.threshold = 'With several shares, at least 2 must be needed; otherwise any one share alone would do.'
  }
  return errors
}

/** The seal step's fields. */
export function validateSeal(draft: SealDraft, secretKey: string): FieldErrors {
  const errors = validateShares(draft.shares, draft.threshold)
  if (draft.type === 'shamir') return errors
  if (draft.kms_key_id.trim() === '') {
    errors.kms_key_id = 'Enter the KMS key: its id, its ARN, or alias/NAME.'
  } else if (!isKmsKeyId(draft.kms_key_id)) {
    errors.kms_key_id = 'This is not a KMS key id, key ARN or alias (aliases are written alias/NAME).'
  }
  note(errors, 'region', checkRegion(draft.region))
  note(errors, 'endpoint', checkEndpoint(draft.endpoint))
  if (draft.credentials === 'keys') checkAccessKeys(draft.access_key, secretKey, errors)
  return errors
}

/** The first field, in screen order, that has an error: the one to move the focus to. */
export function firstInvalid(order: readonly string[], errors: FieldErrors): string | undefined {
  return order.find((field) => errors[field] !== undefined) ?? Object.keys(errors)[0]
}
