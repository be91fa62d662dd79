import { describe, expect, it } from 'vitest'
import { stateOf } from './StatusPage'
import type { SealStatus } from '../../api/types'

const base: SealStatus = {
  type: 'shamir', initialized: true, sealed: true, t: 3, n: 5, progress: 0, nonce: '',
  version: '0.1.0', migration: false, recovery_seal: false, storage_type: 'local',
}

describe('stateOf', () => {
  it('distinguishes the three states', () => {
    expect(stateOf({ ...base, initialized: false })).toBe('uninitialized')
    expect(stateOf(base)).toBe('sealed')
    expect(stateOf({ ...base, sealed: false })).toBe('unsealed')
  })
})
