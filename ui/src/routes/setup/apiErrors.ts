import { VaultError } from '../../api/client'
import type { FieldErrors } from './validate'

/** Where an API error belongs on a form. */
export interface ErrorPlacement {
  /** Errors shown at their field (including the credentials choice). */
  fields: FieldErrors
  /** An error about no particular field, shown above the buttons. */
  general?: string
  /** AWS refused for lack of permissions: point at the IAM policy. */
  permissions: boolean
}

/**
 * Places an error from `sys/setup/*`: at the field its `field` names when the form has one,
 * else as a general error (flagged when it is about IAM permissions).
 */
export function placeApiError(error: unknown, fields: readonly string[]): ErrorPlacement {
  const message = error instanceof Error ? error.message : String(error)
  const field = error instanceof VaultError ? error.field : undefined
  if (field !== undefined && fields.includes(field)) return { fields: { [field]: message }, permissions: false }
  return { fields: {}, general: message, permissions: field === 'permissions' }
}
