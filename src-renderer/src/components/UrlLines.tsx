import { forwardRef, useRef, useState, type UIEvent } from 'react';
import type { LineError } from '../lib/add-form';

/** A line's height in the box (forms.css: line-height and the gutter's rows). */
const rowPx = 20;
/** Gutter rows made at once, around the lines in view: more than a tall box shows. */
const gutterRows = 200;

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
  const [scrolled, setScrolled] = useState(0);
  const lines = Math.max(1, value.split(/\r?\n/).length);
  const byLine = new Map(errors.map((e) => [e.line, e.message]));
  const onScroll = (event: UIEvent<HTMLTextAreaElement>) => {
    if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
    setScrolled(event.currentTarget.scrollTop);
  };
  // Only the numbers near the lines in view (a paste of ten thousand links made ten
  // thousand rows); spacers keep the gutter as tall as the text, so its scroll follows.
  const first = Math.max(0, Math.floor(scrolled / rowPx) - gutterRows / 2);
  const last = Math.min(lines, first + gutterRows);
  return (
    <div className={`url-lines${invalid || errors.length > 0 ? ' invalid' : ''}`}>
      <div
        className="gutter"
        ref={gutter}
        aria-hidden="true"
        // Wide enough for the last line's number (five digits for ten thousand links).
        style={{ width: `max(44px, calc(${String(lines).length}ch + 18px))` }}
      >
        <div style={{ height: first * rowPx }} />
        {Array.from({ length: last - first }, (_, at) => {
          const i = first + at;
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
        <div style={{ height: (lines - last) * rowPx }} />
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
