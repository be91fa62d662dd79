// The Vault tutorial's database set-up, made through the API (for the tests and benchmarks that
// are about checkout, not about the forms the browser test drives).

import { PG_DATABASE, PG_ROOT_PASSWORD, PG_ROOT_USER } from './postgres.mjs'

/** The tutorial's `readonly` role, as the UI's read-only preset writes it. */
export const READONLY_STATEMENTS = [
  `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`,
  `GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";`,
]

/**
 * Enables `database/`, the connection `postgresql` to `pg` as the tutorial's root, and a
 * read-only role per entry of `roles` (name → { default_ttl, max_ttl }). `api(method, path,
 * body)` resolves to { status, body }; any answer above 299 throws with its body.
 */
export async function setUpDatabase(api, pg, roles = { readonly: { default_ttl: '1h', max_ttl: '24h' } }) {
  const calls = [
    ['POST', 'sys/mounts/database', { type: 'database' }],
    [
      'POST',
      'database/config/postgresql',
      {
        plugin_name: 'postgresql-database-plugin',
        connection_url: `postgresql://{{username}}:{{password}}@${pg.host}:${pg.port}/${PG_DATABASE}`,
        username: PG_ROOT_USER,
        password: PG_ROOT_PASSWORD,
        allowed_roles: Object.keys(roles),
      },
    ],
    ...Object.entries(roles).map(([name, ttls]) => [
      'POST',
      `database/roles/${name}`,
      { db_name: 'postgresql', creation_statements: READONLY_STATEMENTS, ...ttls },
    ]),
  ]
  for (const [method, path, body] of calls) {
    const reply = await api(method, path, body)
    if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`)
  }
}
