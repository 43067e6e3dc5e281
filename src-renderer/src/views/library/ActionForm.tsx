import { useMemo, useState, type FormEvent } from 'react';
import type { ErrorShape, PluginAction } from '../../../../src-common/contract';
import { SchemaFields } from '../../components/SchemaFields';
import { fromActionParam, initialDraft, readDraft, type FormDraft } from '../../lib/schema-form';

interface Props {
  action: PluginAction;
  busy: boolean;
  /** The core's refusal of the last try, shown above the buttons. */
  error: ErrorShape | undefined;
  /** The run button's words when the action asks no question, e.g. `Run on 3 files`. */
  runLabel?: string;
  onRun(params: Record<string, unknown>): void;
  onCancel(): void;
}

/** An action's params form and its confirm question: the same for one file or several. */
export function ActionForm({ action, busy, error, runLabel = 'Run', onRun, onCancel }: Props) {
  const fields = useMemo(() => action.params.map(fromActionParam), [action.params]);
  const [draft, setDraft] = useState<FormDraft>(() => initialDraft(fields));
  const [touched, setTouched] = useState(false);
  const { values, problems } = readDraft(fields, draft);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (Object.keys(problems).length === 0) onRun(values);
  }

  return (
    <form noValidate onSubmit={onSubmit} aria-label={`${action.label} options`}>
      <SchemaFields
        fields={fields}
        draft={draft}
        problems={touched ? problems : {}}
        onChange={(key, value) => setDraft({ ...draft, [key]: value })}
      />
      {action.confirm && (
        <p className="confirm-box" role="note">
          {action.confirm}
        </p>
      )}
      {error && (
        <p role="alert" className="error-box">
          Could not run it: {error.message}
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" className="secondary-button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary-button" disabled={busy} autoFocus={fields.length === 0}>
          {busy ? 'Running…' : action.confirm ? `Yes, ${action.label.toLowerCase()}` : runLabel}
        </button>
      </div>
    </form>
  );
}
