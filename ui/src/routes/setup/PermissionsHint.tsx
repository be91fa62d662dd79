/** Under an AWS "access denied": the way to the policy that would allow it. */
export function PermissionsHint({ onShow }: { onShow(): void }) {
  return (
    <p>
      AWS refused for lack of permissions.{' '}
      <button type="button" className="link" onClick={onShow}>
        Show the required IAM permissions
      </button>
    </p>
  )
}
