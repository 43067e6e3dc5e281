/**
 * `npm run bench [-- part...]`: speed and memory measurements, printed as a table.
 * Parts: jobs, plugins, downloads. Nothing here runs as part of `npm test`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchJobs, type Row } from './jobs';
import { benchPlugins } from './plugins';

/** A row may carry every side's numbers (`sides`), shown in a last column. */
type SidedRow = Row & { sides?: string };

function table(title: string, rows: SidedRow[]): string {
  const header: SidedRow = { measure: 'measure', value: 'value', target: 'target', ok: undefined, sides: 'measured' };
  const sided = rows.some((r) => r.sides);
  const all = [header, ...rows];
  const width = (key: 'measure' | 'value' | 'target') => Math.max(...all.map((r) => r[key].length));
  const line = (r: SidedRow) =>
    `| ${r.measure.padEnd(width('measure'))} | ${r.value.padStart(width('value'))} | ${r.target.padEnd(width('target'))} | ${
      r === header ? 'met' : r.ok === undefined ? '   ' : r.ok ? 'yes' : 'NO '
    } |${sided ? ` ${r.sides ?? ''} |` : ''}`;
  return [
    `\n${title}`,
    line(header),
    `|${'-'.repeat(width('measure') + 2)}|${'-'.repeat(width('value') + 2)}|${'-'.repeat(width('target') + 2)}|-----|${sided ? '---|' : ''}`,
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
