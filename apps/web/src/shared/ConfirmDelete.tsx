/** The "are you sure?" step of deleting an item: shared by every panel so deleting behaves the same everywhere. */
export function ConfirmDelete(props: { prompt: string; busy: boolean; onConfirm(): void; onCancel(): void }) {
  return (
    <>
      <p className="confirm">{props.prompt}</p>
      <button type="button" className="button button--danger" disabled={props.busy} onClick={props.onConfirm}>
        Yes, delete
      </button>
      <button type="button" className="button" onClick={props.onCancel}>
        Keep it
      </button>
    </>
  );
}
