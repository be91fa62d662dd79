/** One-click checkout of database credentials (issue 8, filled in by the checkout work). */
export function CredentialsPage() {
  return <h1>Credentials</h1>
}
