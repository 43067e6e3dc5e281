import { SubmitInput, type ParsedInput } from '../../../src-common/contract';
import { describeIssues, HaulError } from '../errors';
import { parseUrlLines } from '../jobs/submit';
import { hostAllowed } from './http-access';
import { checkPlainName, type PluginPaths } from './plugin-paths';

type Submit = ParsedInput<'downloads.submit'>;

/** A URL a plugin makes Haul reach must be on one of its hosts (plugin.json `hosts`). */
export function checkPluginUrl(url: string, hosts: readonly string[], api: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return; // Not a URL: the submit reports the line as invalid.
  }
  if (!hostAllowed(parsed, hosts)) {
    throw new HaulError(
      'forbidden',
      `${api}: ${parsed.host} is not among the hosts in plugin.json (${hosts.join(', ') || 'none'})`,
    );
  }
}

/**
 * haul.downloads.submit as a capability: the folder inside the download folder (relative
 * ones under it, never the working folder), every URL on the plugin's hosts, the name one
 * plain name. Returns the parsed input with the folder replaced by its checked real path.
 */
export async function checkPluginSubmit(raw: unknown, hosts: readonly string[], paths: PluginPaths): Promise<Submit> {
  const api = 'haul.downloads.submit';
  const input = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const dir = typeof input.dir === 'string' && input.dir !== '' ? await paths.check(input.dir, api) : input.dir;
  const parsed = SubmitInput.safeParse(dir === undefined ? input : { ...input, dir });
  if (!parsed.success) throw new HaulError('invalid_input', `downloads.submit: ${describeIssues(parsed.error)}`);
  for (const { url } of parseUrlLines(parsed.data.url).urls) checkPluginUrl(url, hosts, api);
  if (parsed.data.fileName !== undefined) checkPlainName(parsed.data.fileName, api);
  return parsed.data;
}
