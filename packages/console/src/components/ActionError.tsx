/** Why an action failed, beside the control that tried it (nothing when it did not fail). */
export function ActionError({ error }: { error: string | null }) {
  return error ? (
    <p class="action-error" role="alert">
      {error}
    </p>
  ) : null;
}
