/**
 * The role editor's rendered preview: the statements as the core would send them for one
 * credential (statements.rs `render`, creds.rs `username`), with example values.
 */

/** The 20 random characters of an example username (the core draws them per credential). */
const EXAMPLE_RANDOM = 'Xr3kQ9mZ2bL7pT4wA1cD'

/** What the core adds to the lease's end for `VALID UNTIL`, so revocation ends the user. */
export const VALID_UNTIL_GRACE_MS = 5000

/** PostgreSQL's longest identifier. */
const MAX_USERNAME = 63

export interface Substitutions {
  name: string
  password: string
  expiration: string
}

/**
 * Vault's default username for `role`, as `v-<display name, 8>-<role, 8>-<20 random>-<unix
 * seconds>` cut to 63 characters. The display name is the checking-out token's (`root` for
 * the root token, `token` for tokens from `auth/token/create`).
 */
export function exampleUsername(role: string, nowMs: number, displayName = 'token'): string {
  const name = `v-${[...displayName].slice(0, 8).join('')}-${[...role].slice(0, 8).join('')}-${EXAMPLE_RANDOM}-${Math.floor(nowMs / 1000)}`
  return name.slice(0, MAX_USERNAME)
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The core's `{{expiration}}` text: Go's `2006-01-02 15:04:05-0700`, always UTC. */
export function pgTimestamp(unixMs: number): string {
  const t = new Date(Math.floor(unixMs / 1000) * 1000)
  return (
    `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}+0000`
  )
}

/** Example values for a credential of `role` issued at `nowMs` for `ttlSeconds`. */
export function exampleSubstitutions(role: string, ttlSeconds: number, nowMs: number): Substitutions {
  return {
    name: exampleUsername(role, nowMs),
    password: '[password]',
    expiration: pgTimestamp(nowMs + ttlSeconds * 1000 + VALID_UNTIL_GRACE_MS),
  }
}

/**
 * Fills the placeholders in one pass (a value holding `{{password}}` is not filled again);
 * unknown `{{…}}` text is kept, as the core does.
 */
export function substitute(text: string, subs: Substitutions): string {
  const values: [string, string][] = [
    ['{{name}}', subs.name],
    ['{{username}}', subs.name],
    ['{{password}}', subs.password.replace(/'/g, "''")],
    ['{{expiration}}', subs.expiration],
  ]
  let out = ''
  let rest = text
  for (let start = rest.indexOf('{{'); start >= 0; start = rest.indexOf('{{')) {
    out += rest.slice(0, start)
    const tail = rest.slice(start)
    const hit = values.find(([token]) => tail.startsWith(token))
    if (hit) {
      out += hit[1]
      rest = tail.slice(hit[0].length)
    } else {
      out += '{{'
      rest = tail.slice(2)
    }
  }
  return out + rest
}

/**
 * One editor's statements as the core sends them: each entry trimmed, blank ones dropped,
 * a final `;` removed, joined by `;` and a new line.
 */
export function renderStatements(statements: string[], subs: Substitutions): string {
  return statements
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => substitute(s.replace(/;+$/, ''), subs))
    .join(';\n')
}

/** The default revocation (statements.rs) for the preview, for a connection user that is not a superuser. */
export function defaultRevocation(name: string, terminateSessions: boolean): string {
  const id = `"${name.replace(/"/g, '""')}"`
  const lines: string[] = []
  if (terminateSessions) {
    lines.push(
      `ALTER ROLE ${id} NOLOGIN`,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${name.replace(/'/g, "''")}'`,
    )
  }
  lines.push(`GRANT ${id} TO CURRENT_USER`, `REASSIGN OWNED BY ${id} TO CURRENT_USER`, `DROP OWNED BY ${id}`, `DROP ROLE ${id}`)
  return lines.join(';\n')
}
