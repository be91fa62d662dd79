/** ACL policies (issue 8, filled in by the policies work). */
export function PoliciesPage() {
  return <h1>Policies</h1>
}
