/** Database connections and roles (issue 8, filled in by the database work). */
export function DatabasePage() {
  return <h1>Database</h1>
}
