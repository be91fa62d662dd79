/**
 * The command-line and HTTP form of what a button does, so that anything done in the UI can
 * be scripted: `bao`/`vault` CLI (same flags) and `curl` against the HTTP API.
 *
 * Secrets never appear in them: a field listed in `secrets` is written as a reference to an
 * environment variable the user sets (`password="$PG_PASSWORD"`), and the token is always
 * `$VAULT_TOKEN`.
 */

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'LIST'

export type FieldValue = string | number | boolean | string[]

export interface ApiCall {
  method: ApiMethod
  /** Without `/v1/`: `database/roles/readonly`. */
  path: string
  /** The JSON body (POST/PUT) or the query parameters (GET). */
  body?: Record<string, FieldValue | undefined>
  /** Body fields that hold secrets, mapped to the environment variable that stands in for them. */
  secrets?: Record<string, string>
  /**
   * A CLI command to show instead of the generic `bao read/write/list/delete` form, when the
   * CLI has a better one (`bao lease renew`, `bao policy write`, `bao token create`).
   */
  cli?: string
  /** Shell variables the path names on purpose (a loop's `$id`): left for the shell to expand. */
  shellVariables?: string[]
}

/** Characters the shell leaves alone, so the argument needs no quotes. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/

/** `text` as one shell word. */
export function shellQuote(text: string): string {
  if (text !== '' && PLAIN.test(text)) return text
  return `'${text.replace(/'/g, `'\\''`)}'`
}

function defined(body: ApiCall['body']): [string, FieldValue][] {
  return Object.entries(body ?? {}).filter((entry): entry is [string, FieldValue] => entry[1] !== undefined)
}

/** `key=value` arguments; list values repeat the key, which the CLI turns back into a list. */
function cliArgs(call: ApiCall): string[] {
  const args: string[] = []
  for (const [key, value] of defined(call.body)) {
    const secret = call.secrets?.[key]
    if (secret) {
      args.push(`${key}="$${secret}"`)
    } else if (Array.isArray(value)) {
      for (const item of value) args.push(shellQuote(`${key}=${item}`))
    } else {
      args.push(shellQuote(`${key}=${String(value)}`))
    }
  }
  return args
}

/** The `bao` command for `call` (`vault` takes the same arguments). */
export function cliCommand(call: ApiCall): string {
  if (call.cli) return call.cli
  const verb = { GET: 'read', LIST: 'list', DELETE: 'delete', POST: 'write', PUT: 'write' }[call.method]
  return ['bao', verb, shellQuote(call.path), ...cliArgs(call)].join(' ')
}

/**
 * The JSON body as one shell word: single-quoted, leaving the quotes around each secret so the
 * shell puts the environment variable's value there.
 */
function jsonWord(call: ApiCall): string {
  const marks = new Map<string, string>()
  const body: Record<string, FieldValue> = {}
  for (const [key, value] of defined(call.body)) {
    const secret = call.secrets?.[key]
    if (secret) {
      const mark = `\uE000${marks.size}\uE000` // private-use marks, which JSON leaves as they are
      marks.set(mark, secret)
      body[key] = mark
    } else {
      body[key] = value
    }
  }
  let word = shellQuote(JSON.stringify(body))
  if (!word.startsWith("'")) word = `'${word}'`
  for (const [mark, variable] of marks) word = word.replace(mark, `'"$${variable}"'`)
  return word
}

/** The `curl` call for `call`, against `$VAULT_ADDR` with `$VAULT_TOKEN`. */
export function curlCommand(call: ApiCall): string {
  const parts = ['curl', '--fail-with-body', '-sS', '-H', '"X-Vault-Token: $VAULT_TOKEN"']
  if (call.method !== 'GET') parts.push('-X', call.method)
  let url = `$VAULT_ADDR/v1/${call.path}`
  const fields = defined(call.body)
  if (call.method === 'GET' || call.method === 'LIST' || call.method === 'DELETE') {
    if (fields.length > 0) {
      const query = new URLSearchParams(fields.map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]))
      url += `?${query.toString()}`
    }
  } else if (fields.length > 0) {
    parts.push('--data', jsonWord(call))
  }
  parts.push(`"${doubleQuoted(url, call.shellVariables ?? [])}"`)
  return parts.join(' ')
}

/**
 * `text` safe inside double quotes, which the URL needs for `$VAULT_ADDR`: the shell's
 * specials there (`$`, a backtick, `"`, `\`) are escaped, except the leading `$VAULT_ADDR` and
 * the variables the call names.
 */
function doubleQuoted(url: string, variables: string[]): string {
  const base = '$VAULT_ADDR'
  const rest = url.startsWith(base) ? url.slice(base.length) : url
  let escaped = rest.replace(/[$`"\\]/g, (c) => `\\${c}`)
  for (const name of variables) escaped = escaped.split(`\\$${name}`).join(`$${name}`)
  return url.startsWith(base) ? `${base}${escaped}` : escaped
}
