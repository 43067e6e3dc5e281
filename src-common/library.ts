import { z } from 'zod';

// ---------------------------------------------------------------------------------------
// Library: finished files

export const Resource = z.object({
  id: z.number().int(),
  /** The download that produced it, while that job's history exists. */
  jobId: z.string().nullable(),
  path: z.string(),
  name: z.string(),
  size: z.number(),
  contentType: z.string().nullable(),
  sha256: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  createdAt: z.number(),
});
export type Resource = z.infer<typeof Resource>;

export const LibraryListInput = z
  .object({
    text: z.string().max(500).optional(),
    /** A MIME type or its first part, e.g. `video/` or `application/pdf`. */
    contentType: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .strict();

export const ResourceId = z.object({ id: z.number().int().positive() }).strict();
