import { describe, expect, it } from 'vitest'
import type { SealStatus } from '../../api/types'
import { unsealWith } from './unsealWith'

const sealed: SealStatus = {
  type: 'shamir', initialized: true, sealed: true, t: 2, n: 3, progress: 0, nonce: '',
  version: '0.1.0', migration: false, recovery_seal: false, storage_type: 'local',
}

describe('unsealWith', () => {
  it('resets, then enters shares only until the node is unsealed', async () => {
    const calls: string[] = []
    let progress = 0
    const client = {
      resetUnseal: async () => {
        calls.push('reset')
        progress = 0
        return sealed
      },
      unseal: async (key: string) => {
        calls.push(key)
        progress += 1
        return { ...sealed, progress, sealed: progress < 2 }
      },
    }
    const status = await unsealWith(client, ['k1', 'k2', 'k3'])
    expect(calls).toEqual(['reset', 'k1', 'k2'])
    expect(status.sealed).toBe(false)
  })

  it('reports a refused share', async () => {
    const client = {
      resetUnseal: async () => sealed,
      unseal: async () => Promise.reject(new Error('invalid key')),
    }
    await expect(unsealWith(client, ['bad'])).rejects.toThrow('invalid key')
  })
})
