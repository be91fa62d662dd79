import { useEffect, useState } from 'react'
import { focusById } from '../../components/focus'
import { placeApiError } from './apiErrors'
import { firstInvalid, type FieldErrors } from './validate'

/**
 * A form's errors, at their fields or general, with the focus moved to the first invalid field
 * (in `order`, screen order) whenever errors are shown. Field elements have the id
 * `<prefix>-<field>`. `initial` errors (sent back by a later step) are focused on mount.
 */
export function useFormErrors(prefix: string, order: readonly string[], initial: FieldErrors = {}) {
  const [errors, setErrors] = useState<FieldErrors>(initial)
  const [general, setGeneral] = useState<string>()
  const [permissions, setPermissions] = useState(false)

  const focusFirst = (found: FieldErrors) => {
    const first = firstInvalid(order, found)
    if (first !== undefined) focusById(`${prefix}-${first}`)
    return first === undefined
  }

  useEffect(() => {
    focusFirst(initial)
    // Only the errors a step was opened with; later ones are focused where they are shown.
  }, [])

  return {
    errors,
    general,
    permissions,
    /** Shows client-side validation results; true when there were none. */
    check(found: FieldErrors): boolean {
      setErrors(found)
      setGeneral(undefined)
      setPermissions(false)
      return focusFirst(found)
    },
    /** Shows an API error where it belongs. */
    fail(error: unknown): void {
      const placed = placeApiError(error, order)
      setErrors(placed.fields)
      setGeneral(placed.general)
      setPermissions(placed.permissions)
      focusFirst(placed.fields)
    },
    clear(): void {
      setErrors({})
      setGeneral(undefined)
      setPermissions(false)
    },
  }
}
