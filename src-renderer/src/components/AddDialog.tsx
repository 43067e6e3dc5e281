import { useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { parseUrlLines } from '../../../src-common/contract';
import {
  emptyAddFields,
  keepRejectedLines,
  lineErrorsOf,
  toSubmitInput,
  type AddFields,
  type FieldErrors,
  type LineError,
} from '../lib/add-form';
import { useStore } from '../store/instance';
import { Modal } from './Modal';
import { UrlLines } from './UrlLines';
import { formatCount } from '../lib/format';

/**
 * Refused lines listed under the box; the rest are counted (each is marked in the gutter):
 * ten thousand refused lines once listed ten thousand items and pushed the buttons away.
 */
const errorsListed = 20;

export function AddDialog() {
  const draft = useStore((s) => s.addDraft);
  if (!draft) return null;
  // New links handed over while the dialog is open start it over with all of them.
  return <AddForm key={draft.urls} initialUrls={draft.urls} />;
}

const isAgain = (line: LineError) => line.duplicate === true;

/**
 * Many links at once, one a line. Lines the core rejects stay in the box, marked by line;
 * the good ones are added anyway.
 */
function AddForm({ initialUrls }: { initialUrls: string }) {
  const closeAdd = useStore((s) => s.closeAdd);
  const submit = useStore((s) => s.submit);
  const notify = useStore((s) => s.notify);
  const defaultDir = useStore((s) => s.info?.downloadDir);
  const [fields, setFields] = useState<AddFields>({ ...emptyAddFields, urls: initialUrls });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [lineErrors, setLineErrors] = useState<LineError[]>([]);
  const [formError, setFormError] = useState<string>();
  const [added, setAdded] = useState(0);
  const [busy, setBusy] = useState(false);
  const [more, setMore] = useState(false);
  /** Some links were refused as already in the list: the user may add them again anyway. */
  const [again, setAgain] = useState(false);
  const firstField = useRef<HTMLTextAreaElement>(null);

  const set = <K extends keyof AddFields>(key: K, value: AddFields[K]) => setFields((f) => ({ ...f, [key]: value }));
  // Counted as the core will take them: a line that is no http(s) link is not a download.
  const parsed = useMemo(() => parseUrlLines(fields.urls), [fields.urls]);
  const lineCount = parsed.urls.length;
  const notLinks = parsed.invalid.length;

  async function onSubmit(event?: FormEvent, force = false) {
    event?.preventDefault();
    const { input, errors: found } = toSubmitInput(fields);
    if (input && force) input.force = true;
    setErrors(found);
    setFormError(undefined);
    if (!input) {
      if (found.connections || found.checksumValue || found.headers) setMore(true);
      return;
    }
    setBusy(true);
    const answer = await submit(input);
    setBusy(false);
    if (!answer.ok) {
      const lines = lineErrorsOf(answer.error);
      setLineErrors(lines);
      setAgain(answer.error.kind === 'conflict' || lines.some(isAgain));
      setFormError(
        answer.error.kind === 'conflict'
          ? 'This link is already in the list, still downloading or waiting.'
          : lines.length > 0
            ? 'None of the lines is a link Haul can download.'
            : answer.error.message,
      );
      return;
    }
    const count = answer.value.jobs.length;
    if (answer.value.invalid.length === 0) {
      notify('info', `Added ${formatCount(count)} download${count === 1 ? '' : 's'}.`);
      return closeAdd();
    }
    const rest = keepRejectedLines(fields.urls, answer.value.invalid);
    set('urls', rest.text);
    setLineErrors(rest.errors);
    setAgain(rest.errors.some(isAgain));
    setAdded((n) => n + count);
    firstField.current?.focus();
  }

  // Ctrl+Enter (Cmd+Enter) adds from anywhere in the form, the links box included, where
  // Enter alone starts a new line.
  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    if (!busy) event.currentTarget.requestSubmit();
  }

  return (
    <Modal title="Add downloads" onClose={closeAdd} wide>
      <form onSubmit={(e) => void onSubmit(e)} onKeyDown={onKeyDown} className="add-form" noValidate>
        <label className="field">
          <span className="field-label">
            Links, one per line{' '}
            <span className="muted" data-testid="add-count">
              ({lineCount === 0 ? 'no links' : `${formatCount(lineCount)} link${lineCount === 1 ? '' : 's'}`}
              {notLinks > 0 ? ` · ${formatCount(notLinks)} line${notLinks === 1 ? ' is' : 's are'} not a link` : ''})
            </span>
          </span>
          <UrlLines
            ref={firstField}
            value={fields.urls}
            errors={lineErrors}
            onChange={(v) => (set('urls', v), setLineErrors([]), setAgain(false))}
            invalid={!!errors.urls}
          />
          {errors.urls && <span className="field-error">{errors.urls}</span>}
        </label>
        {added > 0 && lineErrors.length > 0 && (
          <p className="note" role="status" data-testid="add-partial">
            Added {formatCount(added)} download{added === 1 ? '' : 's'}. The lines left below were not added:
          </p>
        )}
        {lineErrors.length > 0 && (
          <ul className="line-errors" data-testid="line-errors">
            {lineErrors.slice(0, errorsListed).map((e) => (
              <li key={e.line}>
                Line {e.line}: {e.message}
              </li>
            ))}
            {lineErrors.length > errorsListed && (
              <li>
                and {formatCount(lineErrors.length - errorsListed)} more lines, marked with ! beside their numbers
              </li>
            )}
          </ul>
        )}
        <div className="field-row">
          <label className="field grow">
            <span className="field-label">Folder</span>
            <input
              value={fields.dir}
              onChange={(e) => set('dir', e.target.value)}
              placeholder={defaultDir ?? 'The default download folder'}
            />
          </label>
          <label className="field grow">
            <span className="field-label">File name</span>
            <input
              value={fields.fileName}
              onChange={(e) => set('fileName', e.target.value)}
              placeholder={lineCount > 1 ? 'Only for a single link' : 'From the server'}
              disabled={lineCount > 1}
            />
          </label>
        </div>
        <button type="button" className="text-button" aria-expanded={more} onClick={() => setMore(!more)}>
          {more ? 'Fewer options' : 'More options: connections, checksum, headers'}
        </button>
        {more && (
          <div className="more-options">
            <div className="field-row">
              <label className="field">
                <span className="field-label">Connections</span>
                <input
                  type="number"
                  min={1}
                  max={16}
                  value={fields.connections}
                  onChange={(e) => set('connections', e.target.value)}
                  placeholder="Auto"
                />
                {errors.connections && <span className="field-error">{errors.connections}</span>}
              </label>
              <label className="field">
                <span className="field-label">Checksum</span>
                <select
                  value={fields.checksumAlgorithm}
                  onChange={(e) => set('checksumAlgorithm', e.target.value as AddFields['checksumAlgorithm'])}
                >
                  <option value="">None</option>
                  <option value="sha256">SHA-256</option>
                  <option value="sha1">SHA-1</option>
                  <option value="md5">MD5</option>
                </select>
              </label>
              <label className="field grow">
                <span className="field-label">Expected digest</span>
                <input
                  value={fields.checksumValue}
                  onChange={(e) => set('checksumValue', e.target.value)}
                  disabled={!fields.checksumAlgorithm}
                  spellCheck={false}
                />
                {errors.checksumValue && <span className="field-error">{errors.checksumValue}</span>}
              </label>
            </div>
            <label className="field">
              <span className="field-label">Extra headers, “Name: value” per line</span>
              <textarea
                rows={3}
                value={fields.headers}
                onChange={(e) => set('headers', e.target.value)}
                spellCheck={false}
                placeholder="Referer: https://example.com/"
              />
              {errors.headers && <span className="field-error">{errors.headers}</span>}
            </label>
          </div>
        )}
        <label className="check">
          <input type="checkbox" checked={fields.paused} onChange={(e) => set('paused', e.target.checked)} />
          Add paused
        </label>
        {formError && (
          <p role="alert" className="error">
            {formError}
          </p>
        )}
        {again && (
          <p className="note">
            <button
              type="button"
              className="text-button"
              disabled={busy}
              onClick={() => void onSubmit(undefined, true)}
            >
              Download {lineErrors.length > 1 ? 'them' : 'it'} again anyway
            </button>{' '}
            <span className="muted">a second copy is saved beside the first</span>
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" className="secondary-button" onClick={closeAdd}>
            {added > 0 ? 'Close' : 'Cancel'}
          </button>
          <button
            type="submit"
            className="primary-button"
            disabled={busy}
            title="Ctrl+Enter"
            aria-keyshortcuts="Control+Enter Meta+Enter"
          >
            {busy
              ? 'Adding…'
              : lineCount > 1
                ? `Add ${formatCount(lineCount)} downloads`
                : lineCount === 1
                  ? 'Add download'
                  : 'Add'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
