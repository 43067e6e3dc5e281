import { useMemo, useState, type FormEvent } from 'react';
import type { ErrorShape, PluginInfo } from '../../../../src-common/contract';
import { SchemaFields } from '../../components/SchemaFields';
import { fromSettingSpec, initialDraft, readDraft, type FormDraft } from '../../lib/schema-form';
import { useStore } from '../../store/instance';

/** A plugin's settings, as its manifest describes them. */
export function PluginSettingsForm({ plugin }: { plugin: PluginInfo }) {
  const save = useStore((s) => s.savePluginSettings);
  const notify = useStore((s) => s.notify);
  const fields = useMemo(() => plugin.settingsSchema.map(fromSettingSpec), [plugin.settingsSchema]);
  const [draft, setDraft] = useState<FormDraft>(() => initialDraft(fields, plugin.settings));
  const [error, setError] = useState<ErrorShape>();
  const [busy, setBusy] = useState(false);
  const { values, problems } = readDraft(fields, draft);
  const changed =
    JSON.stringify(values) !== JSON.stringify(readDraft(fields, initialDraft(fields, plugin.settings)).values);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    const failure = await save(plugin.name, values);
    setBusy(false);
    setError(failure);
    if (!failure) notify('info', `${plugin.name} settings saved.`);
  }

  return (
    <form className="plugin-settings" aria-label={`${plugin.name} settings`} onSubmit={(e) => void onSubmit(e)}>
      <SchemaFields
        fields={fields}
        draft={draft}
        problems={problems}
        onChange={(key, value) => setDraft({ ...draft, [key]: value })}
      />
      {error && (
        <p role="alert" className="error">
          Not saved: {error.message}
        </p>
      )}
      <div className="dialog-buttons">
        <button
          type="button"
          className="secondary-button"
          disabled={!changed}
          onClick={() => (setDraft(initialDraft(fields, plugin.settings)), setError(undefined))}
        >
          Undo changes
        </button>
        <button type="submit" className="primary-button" disabled={busy || !changed}>
          Save settings
        </button>
      </div>
    </form>
  );
}
