/**
 * A ready connection URI for a checked-out user, from the connection config's URL: a
 * `postgresql://` template (`{{username}}:{{password}}@host:port/db`, or the same with a
 * literal, redacted user) or a libpq `key=value` DSN. Whatever names the config's own user is
 * replaced by the new user.
 */

/**
 * RFC 3986 percent-encoding. `encodeURIComponent` leaves `!'()*` alone, and a `'` in the
 * password would end the quotes of the psql command.
 */
export function encodePart(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Query parameters that carry credentials: ours are in the user-info part instead. */
const CREDENTIAL_KEYS = new Set(['user', 'password'])

/** `postgresql://user:password@host:port/db`, or undefined when the URL cannot be read. */
export function connectionUri(connectionUrl: string, username: string, password: string): string | undefined {
  const url = connectionUrl.trim()
  const userInfo = `${encodePart(username)}:${encodePart(password)}@`
  const scheme = /^postgres(ql)?:\/\//.exec(url)
  if (scheme) return fromUrl(url.slice(scheme[0].length), userInfo)
  const params = parseDsn(url)
  return params && fromDsn(params, userInfo)
}

function fromUrl(rest: string, userInfo: string): string {
  const end = rest.search(/[/?#]/)
  const authority = end === -1 ? rest : rest.slice(0, end)
  const hosts = authority.slice(authority.lastIndexOf('@') + 1)
  const tail = end === -1 ? '' : (rest.slice(end).split('#')[0] ?? '')
  const mark = tail.indexOf('?')
  const path = mark === -1 ? tail : tail.slice(0, mark)
  const query = mark === -1 ? '' : tail.slice(mark + 1)
  const kept = query.split('&').filter((pair) => pair !== '' && !CREDENTIAL_KEYS.has(pair.split('=')[0] ?? ''))
  return `postgresql://${userInfo}${hosts}${path}${kept.length > 0 ? `?${kept.join('&')}` : ''}`
}

/** A host in a URI: socket directories percent-encoded, IPv6 addresses in brackets. */
function uriHost(host: string): string {
  if (host.startsWith('/')) return encodePart(host)
  return host.includes(':') ? `[${host}]` : host
}

function fromDsn(params: Map<string, string>, userInfo: string): string {
  const hosts = (params.get('host') ?? '').split(',')
  const ports = (params.get('port') ?? '').split(',')
  const authority = hosts
    .map((host, i) => {
      // One port applies to every host, as in libpq.
      const port = ports.length === 1 ? ports[0] : ports[i]
      return `${uriHost(host)}${port ? `:${port}` : ''}`
    })
    .join(',')
  const db = params.get('dbname')
  const query = [...params]
    .filter(([key]) => !['host', 'port', 'dbname', ...CREDENTIAL_KEYS].includes(key))
    .map(([key, value]) => `${key}=${encodePart(value)}`)
  return `postgresql://${userInfo}${authority}${db ? `/${encodePart(db)}` : ''}${query.length > 0 ? `?${query.join('&')}` : ''}`
}

/**
 * libpq's `key=value` form: spaces around `=` allowed, values in single quotes when they hold
 * spaces, `\` escaping the next character. Undefined when it is not one.
 */
export function parseDsn(text: string): Map<string, string> | undefined {
  const params = new Map<string, string>()
  const key = /\s*([A-Za-z_]+)\s*=\s*/y
  let i = 0
  while (/\S/.test(text.slice(i))) {
    key.lastIndex = i
    const match = key.exec(text)
    if (!match?.[1]) return undefined
    i = key.lastIndex
    const quoted = text[i] === "'"
    if (quoted) i += 1
    let value = ''
    while (i < text.length && (quoted ? text[i] !== "'" : !/\s/.test(text[i] ?? ''))) {
      if (text[i] === '\\') i += 1
      value += text[i] ?? ''
      i += 1
    }
    if (quoted) {
      if (text[i] !== "'") return undefined
      i += 1
    }
    params.set(match[1], value)
  }
  return params.size > 0 ? params : undefined
}

/** The psql command for `uri`, single-quoted for the shell. */
export function psqlCommand(uri: string): string {
  return `psql '${uri.replace(/'/g, `'\\''`)}'`
}

/** What stands for the password while it is hidden. */
export const MASK = '••••••••'

/** `text` (a URI or command) with the user's encoded password shown as the mask. */
export function masked(text: string, username: string, password: string): string {
  const userInfo = `${encodePart(username)}:${encodePart(password)}@`
  return text.replace(userInfo, () => `${encodePart(username)}:${MASK}@`)
}
