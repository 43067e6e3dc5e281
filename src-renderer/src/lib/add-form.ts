import { digestProblem, type Checksum, type ErrorShape, type SubmitInput } from '../../../src-common/contract';

export interface AddFields {
  urls: string;
  dir: string;
  fileName: string;
  connections: string;
  checksumAlgorithm: '' | Checksum['algorithm'];
  checksumValue: string;
  headers: string;
  paused: boolean;
}

export const emptyAddFields: AddFields = {
  urls: '',
  dir: '',
  fileName: '',
  connections: '',
  checksumAlgorithm: '',
  checksumValue: '',
  headers: '',
  paused: false,
};

/** Which field a message is about, so the form can show it next to that field. */
export type FieldErrors = Partial<Record<keyof AddFields, string>>;

/** "Name: value" a line -> a header record. Blank lines are skipped. */
export function parseHeaders(text: string): { headers: Record<string, string>; error?: string } {
  const headers: Record<string, string> = {};
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { headers, error: `Line ${index + 1}: write headers as “Name: value”.` };
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers };
}

/**
 * The submit input from the form. Only the shape is checked here; the core validates
 * everything again and its message is what the user finally sees.
 */
export function toSubmitInput(fields: AddFields): { input?: SubmitInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!fields.urls.trim()) errors.urls = 'Paste at least one link, one per line.';
  const input: SubmitInput = { url: fields.urls };
  if (fields.dir.trim()) input.dir = fields.dir.trim();
  if (fields.fileName.trim()) input.fileName = fields.fileName.trim();
  if (fields.connections.trim()) {
    const n = Number(fields.connections);
    if (!Number.isInteger(n) || n < 1 || n > 16) errors.connections = 'Between 1 and 16.';
    else input.connections = n;
  }
  if (fields.checksumAlgorithm) {
    const value = fields.checksumValue.trim();
    const problem = digestProblem(fields.checksumAlgorithm, value);
    if (problem) errors.checksumValue = `The expected digest: ${problem}.`;
    else input.checksum = { algorithm: fields.checksumAlgorithm, value };
  }
  if (fields.headers.trim()) {
    const { headers, error } = parseHeaders(fields.headers);
    if (error) errors.headers = error;
    else input.headers = headers;
  }
  if (fields.paused) input.paused = true;
  return Object.keys(errors).length > 0 ? { errors } : { input, errors };
}

export interface LineError {
  line: number;
  message: string;
  /** Refused as already in the list: adding it again anyway is the user's call. */
  duplicate?: true;
}

/**
 * After a partial submit the accepted lines leave the box; the rejected ones stay, and
 * their errors are renumbered to where those lines now are.
 */
export function keepRejectedLines(text: string, invalid: readonly LineError[]) {
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  const errors: LineError[] = [];
  for (const item of [...invalid].sort((a, b) => a.line - b.line)) {
    const line = lines[item.line - 1];
    if (line === undefined) continue;
    kept.push(line);
    errors.push({ line: kept.length, message: item.message, ...(item.duplicate && { duplicate: true }) });
  }
  return { text: kept.join('\n'), errors };
}

/** The lines of the links box an error names in its details (a submit none of whose lines went). */
export function lineErrorsOf(error: ErrorShape): LineError[] {
  if (error.details?.field !== 'url') return [];
  return (error.details.lines ?? []).map(({ line, message, duplicate }) => ({
    line,
    message,
    ...(duplicate && { duplicate }),
  }));
}
