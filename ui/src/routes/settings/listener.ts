/** Where the local API listener binds unless the user says otherwise (Vault's usual port). */
export const DEFAULT_LISTEN_ADDRESS = '127.0.0.1:8200'

/** An error message for a listener address, or undefined when it is host:port. */
export function checkListenAddress(address: string): string | undefined {
  const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(address.trim())
  const port = Number(match?.[2])
  if (!match || port < 1 || port > 65535) {
    return 'Enter a host and port, such as 127.0.0.1:8200.'
  }
  return undefined
}

/**
 * The line that points the `vault`/`bao` CLI at the listener. A wildcard bind address is
 * reached through loopback.
 */
export function vaultAddrLine(address: string): string {
  const text = address.trim()
  const local = text.replace(/^0\.0\.0\.0:/, '127.0.0.1:').replace(/^\[::\]:/, '[::1]:')
  return `export VAULT_ADDR=http://${local}`
}
