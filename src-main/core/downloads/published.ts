import { createHash } from 'node:crypto';
import { createReadStream, type BigIntStats } from 'node:fs';
import { lstat, unlink } from 'node:fs/promises';
import { z } from 'zod';
import type { DownloadContext, DownloadOutcome } from '../jobs/runner';
import { numberedName } from './file-name';
import type { FileIdentity } from './part-file';
import { pathInFolder } from './target-folder';

const decimal = z.string().regex(/^\d+$/);
const FileIdentity: z.ZodType<FileIdentity> = z.object({ dev: decimal, ino: decimal, mtimeNs: decimal });

/**
 * What the resume state records just before the part file takes its final name: a
 * process killed between that rename and the job's `completed` finds, on its next
 * attempt, the file it already published, instead of downloading it again as `name (1)`.
 * The file is known by its device, inode and modification time (the part file's after
 * its last write: publishing links or renames it, so the name it gets is the same file),
 * or by its SHA-256 where it had no inode yet (a held answer, recorded before its file is
 * made).
 */
const Publishing = z.object({
  partName: z.string().min(1),
  publishing: z
    .object({
      fileName: z.string().min(1),
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .nullable(),
      file: FileIdentity.optional(),
      totalBytes: z.number().int().nonnegative(),
      finalUrl: z.string(),
      contentType: z.string().nullable(),
      /** False when the outcome has no SHA-256 (fingerprints off), though `sha256` names the file. */
      fingerprint: z.boolean().optional(),
    })
    .refine((p) => p.sha256 !== null || p.file !== undefined, 'a file identity or a SHA-256'),
});
export type Publishing = z.infer<typeof Publishing>['publishing'];

/** The state to save before publishing: the attempt's state with what it is about to publish. */
export function withPublishing(state: Record<string, unknown>, publishing: Publishing): Record<string, unknown> {
  return { ...state, publishing };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const statOrNull = (path: string) => lstat(path, { bigint: true }).catch(() => null);

const sameFile = (file: FileIdentity, stats: BigIntStats): boolean =>
  file.dev === String(stats.dev) && file.ino === String(stats.ino) && file.mtimeNs === String(stats.mtimeNs);

/** Numbered names looked at: the first free one ends the search. */
const maxNumbered = 100;

/**
 * The outcome of an earlier attempt that published its file and was stopped before the
 * job recorded it: the file under the recorded name is the recorded file (its size, and
 * its identity or its SHA-256). A part file still linked to it (stopped between
 * the link and the unlink) is removed. Null when there is nothing of the kind, or the
 * name now holds another file: the attempt then goes on as usual.
 */
export async function alreadyPublished(ctx: DownloadContext, folder: string): Promise<DownloadOutcome | null> {
  const parsed = Publishing.safeParse(ctx.resumeState);
  if (!parsed.success) return null;
  const { partName, publishing } = parsed.data;
  const partPath = pathInFolder(folder, partName);
  const part = await statOrNull(partPath);
  // Publishing takes the name, or `name (n)` when another file holds it.
  for (let n = 0; n < maxNumbered; n += 1) {
    const fileName = numberedName(publishing.fileName, n);
    const path = pathInFolder(folder, fileName);
    const final = await statOrNull(path);
    if (!final) return null;
    if (!final.isFile() || final.size !== BigInt(publishing.totalBytes)) continue;
    // With the part still there, only the file linked to it is this job's.
    if (part && (part.ino !== final.ino || part.dev !== final.dev)) continue;
    // Known by its identity, or (the schema asks for one of the two) by its bytes.
    const { file } = publishing;
    if (file ? !sameFile(file, final) : (await sha256Of(path)) !== publishing.sha256) continue;
    if (part) await unlink(partPath);
    ctx.log(`${fileName} was already in place from the last attempt; nothing to download again.`);
    return { ...outcomeOf(publishing), path, fileName };
  }
  return null;
}

function outcomeOf(publishing: Publishing): Omit<DownloadOutcome, 'path' | 'fileName'> {
  return {
    totalBytes: publishing.totalBytes,
    finalUrl: publishing.finalUrl,
    contentType: publishing.contentType,
    sha256: publishing.fingerprint === false ? null : publishing.sha256,
  };
}
