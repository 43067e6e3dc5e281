/**
 * `npm run bench [-- part...]`: speed and memory measurements, printed as a table.
 * Parts: jobs, plugins, downloads, footprint. Nothing here runs as part of `npm test`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchFootprint } from './footprint';
import { benchJobs, type Row } from './jobs';
import { benchPlugins } from './plugins';

type Column = 'measure' | 'value' | 'peer' | 'target';
/** A row may carry every side's numbers (`sides`), shown in a last column. */
type SidedRow = Row & { sides?: string };

/**
 * A Markdown table; the peer column shows only when a row has a peer's value, the
 * measured column only when a row has every side's numbers.
 */
function table(title: string, rows: SidedRow[]): string {
  const header: SidedRow = {
    measure: 'measure',
    value: 'value',
    peer: 'peer',
    target: 'target',
    ok: undefined,
    sides: 'measured',
  };
  const sided = rows.some((r) => r.sides);
  const all = [header, ...rows];
  const columns: Column[] = rows.some((r) => r.peer !== undefined)
    ? ['measure', 'value', 'peer', 'target']
    : ['measure', 'value', 'target'];
  const width = (key: Column) => Math.max(...all.map((r) => (r[key] ?? '').length));
  const cell = (r: Row, key: Column) =>
    key === 'value' || key === 'peer' ? (r[key] ?? '').padStart(width(key)) : (r[key] ?? '').padEnd(width(key));
  const line = (r: SidedRow) =>
    `| ${columns.map((key) => cell(r, key)).join(' | ')} | ${
      r === header ? 'met' : r.ok === undefined ? '   ' : r.ok ? 'yes' : 'NO '
    } |${sided ? ` ${r.sides ?? ''} |` : ''}`;
  return [
    `\n${title}`,
    line(header),
    `|${columns.map((key) => '-'.repeat(width(key) + 2)).join('|')}|-----|${sided ? '---|' : ''}`,
    ...rows.map(line),
  ].join('\n');
}

const parts = process.argv.slice(2);
const wanted = (name: string) => parts.length === 0 || parts.includes(name);

if (wanted('jobs')) console.log(table('jobs', await benchJobs()));
if (wanted('plugins')) console.log(table('plugins', await benchPlugins()));
if (wanted('downloads')) {
  const script = join(import.meta.dirname, '..', 'scripts', 'bench-downloads.mjs');
  if (existsSync(script)) {
    const { benchDownloads } = (await import(script)) as { benchDownloads(): Promise<SidedRow[]> };
    console.log(table('downloads', await benchDownloads()));
  } else {
    console.log('\ndownloads: no benchmark yet');
  }
}
if (wanted('footprint')) console.log(table('footprint', await benchFootprint()));
