import type { Job, JobStatus } from '../../../src-common/contract';

/** A WHERE clause over `jobs` and the values it binds. */
export interface JobFilter {
  clause: string;
  params: Record<string, unknown>;
  /** The clause reads the text index: rows waiting to be indexed must be indexed first. */
  usesTextIndex?: boolean;
}

/** The filters every job list shares; `exclude` leaves out jobs listed elsewhere. */
export function jobFilter(filter: {
  statuses?: readonly JobStatus[];
  source?: Job['source'];
  type?: string;
  creator?: string;
  text?: string;
  exclude?: readonly string[];
}): JobFilter {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  let usesTextIndex = false;
  const statuses = filter.statuses ?? [];
  if (statuses.length > 0) {
    where.push(`status IN (${statuses.map((_, i) => `@status${i}`).join(', ')})`);
    statuses.forEach((s, i) => (params[`status${i}`] = s));
  }
  if (filter.source) {
    where.push('source = @source');
    params.source = filter.source;
  }
  if (filter.type) {
    where.push('type = @type');
    params.type = filter.type;
  }
  if (filter.creator) {
    // A task keeps its creator, a plugin job its plugin, in the row's JSON.
    where.push(`coalesce(json_extract(data, '$.creator'), json_extract(data, '$.pluginName')) = @creator`);
    params.creator = filter.creator;
  }
  if (filter.text) {
    const text = filter.text.toLowerCase();
    if ([...text].length >= 3) {
      // The trigram index finds substrings of 3 characters or more; quoted as one phrase.
      where.push(`rowid IN (SELECT rowid FROM jobs_search WHERE jobs_search MATCH @match)`);
      params.match = `"${text.replaceAll('"', '""')}"`;
      usesTextIndex = true;
    } else {
      where.push(`instr(search, @text) > 0`);
      params.text = text;
    }
  }
  if (filter.exclude && filter.exclude.length > 0) {
    where.push(`id NOT IN (${filter.exclude.map((_, i) => `@exclude${i}`).join(', ')})`);
    filter.exclude.forEach((id, i) => (params[`exclude${i}`] = id));
  }
  return { clause: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params, usesTextIndex };
}

/** What a job's search column holds: what a search box matches, in lower case. */
export function searchText(job: Job): string {
  if (job.source === 'download') {
    const url = job.url.toLowerCase();
    const name = (job.fileName ?? '').toLowerCase();
    // A name taken from the URL adds nothing to find: left out, the column (and its text
    // index entry) does not change when a download learns its name, as most do.
    return url.includes(name) ? url : `${url}\n${name}`;
  }
  const parts =
    job.source === 'plugin'
      ? [job.label, job.pluginName, job.actionId]
      : [job.name, job.description, job.creator, job.type];
  return parts.join('\n').toLowerCase();
}
