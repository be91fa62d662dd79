/**
 * Statement presets for the role editor. The read-only one is exactly the Vault tutorial's
 * `readonly` role for schema `public`.
 */

export type PresetId = 'readonly' | 'readwrite' | 'owner'

export const PRESETS: readonly { id: PresetId; label: string; hint: string }[] = [
  { id: 'readonly', label: 'Read-only', hint: 'SELECT on every table of the schema.' },
  {
    id: 'readwrite',
    label: 'Read-write',
    hint: 'SELECT, INSERT, UPDATE and DELETE on every table, and USAGE on the sequences (for serial columns).',
  },
  {
    id: 'owner',
    label: 'Owner of a schema',
    hint: 'ALL on the schema (so it may create tables there), on its tables and on its sequences.',
  },
]

/**
 * PostgreSQL's reserved key words (those that cannot be a schema name without quotes, the
 * "reserved" and "reserved (can be function or type)" columns of its key word table).
 */
const RESERVED = new Set(
  `all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation
  column concurrently constraint create cross current_catalog current_date current_role current_schema current_time
  current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze
  from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit
  localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references
  returning right select session_user similar some symmetric system_user table tablesample then to trailing true
  union unique user using variadic verbose when where window with`.split(/\s+/),
)

/**
 * `name` as an SQL identifier: as it is when PostgreSQL would read it unquoted as the same
 * name (lower case, not a reserved word), else double-quoted with inner quotes doubled —
 * so `public` stays `public` and `Sales` becomes `"Sales"`.
 */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name
  return `"${name.replace(/"/g, '""')}"`
}

const USER = '"{{name}}"'

export const CREATE_USER = `CREATE ROLE ${USER} WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`

/** Moves `VALID UNTIL` with the lease (the same as the core's default renewal). */
export const RENEW_STATEMENTS = `ALTER ROLE ${USER} VALID UNTIL '{{expiration}}';`

/**
 * The core's default revocation written out (statements.rs `default_revocation`): the GRANT
 * lets a CREATEROLE (non-superuser) connection user reassign what the user owns. The default
 * itself is better when left empty: it skips the GRANT for superusers and can end sessions.
 */
export const REVOCATION_STATEMENTS = [
  `GRANT ${USER} TO CURRENT_USER;`,
  `REASSIGN OWNED BY ${USER} TO CURRENT_USER;`,
  `DROP OWNED BY ${USER};`,
  `DROP ROLE IF EXISTS ${USER};`,
].join('\n')

/**
 * The creation statements of `preset` for `schema` (blank: `public`). `public` needs no
 * USAGE grant (PUBLIC has it there by default); any other schema does, or the tables in it
 * cannot be reached even with privileges on them.
 */
export function creationStatements(preset: PresetId, schema: string): string {
  const name = schema.trim() === '' ? 'public' : schema.trim()
  const s = quoteIdent(name)
  const usage = name === 'public' ? [] : [`GRANT USAGE ON SCHEMA ${s} TO ${USER};`]
  const lines = [CREATE_USER]
  if (preset === 'readonly') {
    lines.push(...usage, `GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${USER};`)
  } else if (preset === 'readwrite') {
    lines.push(
      ...usage,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${USER};`,
      `GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${s} TO ${USER};`,
    )
  } else {
    lines.push(
      `GRANT ALL ON SCHEMA ${s} TO ${USER};`,
      `GRANT ALL ON ALL TABLES IN SCHEMA ${s} TO ${USER};`,
      `GRANT ALL ON ALL SEQUENCES IN SCHEMA ${s} TO ${USER};`,
    )
  }
  return lines.join('\n')
}

/** What applying a preset puts in the three editors. */
export function applyPreset(
  preset: PresetId,
  schema: string,
  explicitRevocation: boolean,
): { creation: string; revocation: string; renew: string } {
  return {
    creation: creationStatements(preset, schema),
    revocation: explicitRevocation ? REVOCATION_STATEMENTS : '',
    renew: RENEW_STATEMENTS,
  }
}
