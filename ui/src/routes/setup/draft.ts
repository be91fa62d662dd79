import type { BillingMode, SealBody, StorageBody } from '../../api/types'

/** Where AWS calls get their credentials: the SDK's chain (profile, environment) or keys typed here. */
export type Credentials = 'chain' | 'keys'

/** The storage choice. Field names are the API's body keys, so its errors map onto them. */
export interface StorageDraft {
  type: 'local' | 'dynamodb'
  region: string
  endpoint: string
  table: string
  billing_mode: BillingMode
  read_capacity: string
  write_capacity: string
  ha_enabled: boolean
  credentials: Credentials
  access_key: string
}

/** The seal choice; `shares`/`threshold` are unseal shares (Shamir) or recovery shares (KMS). */
export interface SealDraft {
  type: 'shamir' | 'awskms'
  shares: string
  threshold: string
  kms_key_id: string
  region: string
  endpoint: string
  credentials: Credentials
  access_key: string
}

/** Everything the wizard remembers between visits: no secret is part of it. */
export interface WizardDraft {
  storage: StorageDraft
  seal: SealDraft
}

/** The AWS secret keys typed in the wizard: held in memory only, never saved. */
export interface WizardSecrets {
  storage: string
  seal: string
}

/** The one localStorage key the draft is kept under. */
export const DRAFT_KEY = 'strongroom.setup-draft'

export const DEFAULT_DRAFT: WizardDraft = {
  storage: {
    type: 'local',
    region: 'us-east-1',
    endpoint: '',
    table: 'vault',
    billing_mode: 'PROVISIONED',
    read_capacity: '5',
    write_capacity: '5',
    ha_enabled: false,
    credentials: 'chain',
    access_key: '',
  },
  seal: {
    type: 'shamir',
    shares: '5',
    threshold: '3',
    kms_key_id: '',
    region: 'us-east-1',
    endpoint: '',
    credentials: 'chain',
    access_key: '',
  },
}

type Choices = Record<string, readonly string[]>

/** The values each choice may take; anything else in a saved draft is dropped. */
const CREDENTIALS: readonly Credentials[] = ['chain', 'keys']
const STORAGE_CHOICES: Choices = {
  type: ['local', 'dynamodb'],
  billing_mode: ['PROVISIONED', 'PAY_PER_REQUEST'],
  credentials: CREDENTIALS,
}
const SEAL_CHOICES: Choices = { type: ['shamir', 'awskms'], credentials: CREDENTIALS }

/**
 * `defaults` with each of its keys taken from `saved` when the types agree (and, for choices,
 * the value is one of them). Unknown keys are dropped, so nothing but the draft's own fields
 * ever goes in or out of storage.
 */
function restore<T extends object>(defaults: T, saved: unknown, choices: Choices): T {
  const result = { ...defaults } as Record<string, unknown>
  if (saved === null || typeof saved !== 'object') return result as T
  for (const [key, fallback] of Object.entries(defaults)) {
    const value = (saved as Record<string, unknown>)[key]
    if (typeof value !== typeof fallback) continue
    if (choices[key] && !choices[key].includes(value as string)) continue
    result[key] = value
  }
  return result as T
}

/** Only the draft's own fields, checked: what is saved and what is restored. */
function clean(draft: unknown): WizardDraft {
  const parts = (draft ?? {}) as Partial<Record<keyof WizardDraft, unknown>>
  return {
    storage: restore(DEFAULT_DRAFT.storage, parts.storage, STORAGE_CHOICES),
    seal: restore(DEFAULT_DRAFT.seal, parts.seal, SEAL_CHOICES),
  }
}

/** The saved draft, or the defaults for whatever is missing or unreadable. */
export function loadDraft(store: Pick<Storage, 'getItem'>): WizardDraft {
  try {
    return clean(JSON.parse(store.getItem(DRAFT_KEY) ?? 'null'))
  } catch {
    return clean(null)
  }
}

/** Saves the draft's known, non-secret fields. */
export function saveDraft(store: Pick<Storage, 'setItem'>, draft: WizardDraft): void {
  store.setItem(DRAFT_KEY, JSON.stringify(clean(draft)))
}

/** The keys to send when the user typed them, nothing when the credential chain is used. */
function accessKeys(credentials: Credentials, accessKey: string, secretKey: string) {
  return credentials === 'keys' ? { access_key: accessKey.trim(), secret_key: secretKey } : {}
}

/** The storage body for `sys/setup/*`: strings as in the HCL, empty optional values left out. */
export function storageBody(draft: StorageDraft, secretKey: string): StorageBody {
  if (draft.type === 'local') return { type: 'local' }
  const endpoint = draft.endpoint.trim()
  const provisioned = draft.billing_mode === 'PROVISIONED'
  return {
    type: 'dynamodb',
    region: draft.region.trim(),
    ...(endpoint === '' ? {} : { endpoint }),
    table: draft.table.trim(),
    billing_mode: draft.billing_mode,
    ...(provisioned
      ? { read_capacity: draft.read_capacity.trim(), write_capacity: draft.write_capacity.trim() }
      : {}),
    ha_enabled: draft.ha_enabled ? 'true' : 'false',
    ...accessKeys(draft.credentials, draft.access_key, secretKey),
  }
}

/** The seal body for `sys/setup/*`. */
export function sealBody(draft: SealDraft, secretKey: string): SealBody {
  if (draft.type === 'shamir') return { type: 'shamir' }
  const endpoint = draft.endpoint.trim()
  return {
    type: 'awskms',
    kms_key_id: draft.kms_key_id.trim(),
    region: draft.region.trim(),
    ...(endpoint === '' ? {} : { endpoint }),
    ...accessKeys(draft.credentials, draft.access_key, secretKey),
  }
}

/** Forgets the draft once setup is done. */
export function clearDraft(store: Pick<Storage, 'removeItem'>): void {
  store.removeItem(DRAFT_KEY)
}
