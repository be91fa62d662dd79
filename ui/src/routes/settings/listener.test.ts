import { describe, expect, it } from 'vitest'
import { checkListenAddress, vaultAddrLine } from './listener'

describe('listener address', () => {
  it('accepts host:port and refuses the rest', () => {
    expect(checkListenAddress('127.0.0.1:8200')).toBeUndefined()
    expect(checkListenAddress('localhost:8300')).toBeUndefined()
    expect(checkListenAddress('[::1]:8200')).toBeUndefined()
    expect(checkListenAddress('127.0.0.1')).toBe('Enter a host and port, such as 127.0.0.1:8200.')
    expect(checkListenAddress('127.0.0.1:70000')).toBe('Enter a host and port, such as 127.0.0.1:8200.')
    expect(checkListenAddress('http://127.0.0.1:8200')).toBe('Enter a host and port, such as 127.0.0.1:8200.')
  })

  it('names the VAULT_ADDR to export', () => {
    expect(vaultAddrLine('127.0.0.1:8200')).toBe('export VAULT_ADDR=http://127.0.0.1:8200')
    expect(vaultAddrLine('0.0.0.0:8201')).toBe('export VAULT_ADDR=http://127.0.0.1:8201')
    expect(vaultAddrLine('[::]:8200')).toBe('export VAULT_ADDR=http://[::1]:8200')
  })
})
