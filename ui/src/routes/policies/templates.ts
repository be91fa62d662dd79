/**
 * Starting points for new policies. They use only `path` blocks with `capabilities` lists (the
 * subset of the grammar every policy parser accepts), and a `*` only at the end of a pattern.
 */
export interface PolicyTemplate {
  id: string
  label: string
  /** The name suggested for a policy made from it. */
  name: string
  text: string
}

export const TEMPLATES: readonly PolicyTemplate[] = [
  {
    id: 'apps',
    label: 'apps (read database/creds/readonly)',
    name: 'apps',
    text: `# Applications: get PostgreSQL credentials from the readonly role, nothing else.
path "database/creds/readonly" {
  capabilities = ["read"]
}
`,
  },
  {
    id: 'database-admin',
    label: 'Database admin',
    name: 'database-admin',
    text: `# Manage database connections and roles, and get credentials from every role.
path "database/config/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

path "database/roles/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

path "database/creds/*" {
  capabilities = ["read"]
}

path "database/reset/*" {
  capabilities = ["update"]
}

path "database/rotate-root/*" {
  capabilities = ["update"]
}
`,
  },
  {
    id: 'lease-operator',
    label: 'Lease operator',
    name: 'lease-operator',
    text: `# Watch, renew and revoke leases (revoking many at once needs sudo).
path "sys/leases/counts" {
  capabilities = ["read"]
}

path "sys/leases/search" {
  capabilities = ["read"]
}

path "sys/leases/timeline" {
  capabilities = ["read"]
}

path "sys/leases/lookup" {
  capabilities = ["update"]
}

path "sys/leases/lookup/*" {
  capabilities = ["list", "sudo"]
}

path "sys/leases/renew" {
  capabilities = ["update"]
}

path "sys/leases/revoke" {
  capabilities = ["update"]
}

path "sys/leases/revoke-prefix/*" {
  capabilities = ["update", "sudo"]
}
`,
  },
]
