/**
 * The core's rule for connection and role names (Vault's): letters, digits and `_`, with `-`
 * and `.` allowed inside. Checked here so the form says so at the field before any request.
 */
const NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/

/** An error for the name field, or undefined when `name` is acceptable. */
export function nameError(kind: 'connection' | 'role', name: string): string | undefined {
  if (name.trim() === '') return `Enter a ${kind} name.`
  if (!NAME.test(name)) return `Use letters, digits and "_", with "-" or "." only inside (not first or last).`
  return undefined
}

/** Mount paths as `sys/mounts` takes them: segments of the same characters, split by `/`. */
export function mountPathError(path: string): string | undefined {
  const trimmed = path.trim().replace(/^\/+|\/+$/g, '')
  if (trimmed === '') return 'Enter a path, such as database.'
  if (!trimmed.split('/').every((part) => NAME.test(part))) return 'Use letters, digits, "_", "-" and ".", with "/" between parts.'
  return undefined
}

/**
 * Whether a connection's `allowed_roles` let `role` use it: `*` matches any run of characters,
 * everything else literally (the core's `glob_match`, Vault's `StrListContainsGlob`).
 */
export function roleAllowed(patterns: string[], role: string): boolean {
  return patterns.some((pattern) => {
    const parts = pattern.split('*')
    if (parts.length === 1) return pattern === role
    const first = parts[0] ?? ''
    const last = parts[parts.length - 1] ?? ''
    if (!role.startsWith(first) || !role.endsWith(last) || role.length < first.length + last.length) return false
    let rest = role.slice(first.length, role.length - last.length)
    for (const part of parts.slice(1, -1)) {
      const at = rest.indexOf(part)
      if (at < 0) return false
      rest = rest.slice(at + part.length)
    }
    return true
  })
}
