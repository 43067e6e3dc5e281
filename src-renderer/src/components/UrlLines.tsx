import { forwardRef, useRef, type UIEvent } from 'react';
import type { LineError } from '../lib/add-form';

interface Props {
  value: string;
  errors: LineError[];
  invalid: boolean;
  onChange(value: string): void;
}

/**
 * A textarea with a line-number gutter that marks rejected lines in place. Lines do not
 * wrap, so gutter row N is always textarea line N; the gutter follows the scroll.
 */
export const UrlLines = forwardRef<HTMLTextAreaElement, Props>(function UrlLines(
  { value, errors, invalid, onChange },
  ref,
) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = Math.max(1, value.split(/\r?\n/).length);
  const byLine = new Map(errors.map((e) => [e.line, e.message]));
  const onScroll = (event: UIEvent<HTMLTextAreaElement>) => {
    if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
  };
  return (
    <div className={`url-lines${invalid || errors.length > 0 ? ' invalid' : ''}`}>
      <div className="gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => {
          const message = byLine.get(i + 1);
          return (
            <div
              key={i}
              className={message ? 'bad' : undefined}
              title={message}
              data-testid={message ? `bad-line-${i + 1}` : undefined}
            >
              {message ? '!' : ''}
              {i + 1}
            </div>
          );
        })}
      </div>
      <textarea
        ref={ref}
        name="urls"
        aria-label="Links, one per line"
        aria-invalid={invalid || errors.length > 0}
        rows={7}
        wrap="off"
        spellCheck={false}
        autoFocus
        value={value}
        placeholder={'https://example.com/file.zip\nhttps://example.com/other.iso'}
        onChange={(e) => onChange(e.target.value)}
        onScroll={onScroll}
      />
    </div>
  );
});
