import { describe, expect, it } from 'vitest'
import { VaultError } from '../../api/client'
import { errorText } from './hooks'

describe('errorText', () => {
  it('says which read a 403 refused, and passes other errors through', () => {
    expect(errorText(new VaultError(403, ['permission denied']), 'database/roles/readonly')).toBe(
      'This token may not read database/roles/readonly (permission denied): a policy must grant "read" on it.',
    )
    expect(errorText(new VaultError(502, ['could not connect']), 'database/roles/readonly')).toBe('could not connect')
    expect(errorText(undefined)).toBeUndefined()
  })
})
