/** What every job source shares: its error and its common fields. */
import { z } from 'zod';

/** Why a job failed. `transient` ones are retried automatically with backoff. */
export const jobErrorKinds = [
  'network',
  'http',
  'timeout',
  'stalled',
  'disk',
  'checksum',
  'invalid_input',
  'interrupted',
  'plugin',
  /** A task's creator reported the failure (jobs.fail). */
  'reported',
  'internal',
] as const;
/** A server certificate Haul did not trust, as the user is shown it before trusting it. */
export const CertificateDetails = z.object({
  /** `host:port`, the key a trust is kept under. */
  host: z.string(),
  /** SHA-256 of the certificate, `AB:CD:…` (32 pairs). */
  fingerprint256: z.string(),
  subject: z.string().nullable(),
  issuer: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  /** The TLS error (`DEPTH_ZERO_SELF_SIGNED_CERT`, …) or `PIN_MISMATCH` (not the trusted one). */
  reason: z.string(),
});
export type CertificateDetails = z.infer<typeof CertificateDetails>;

export const JobError = z.object({
  kind: z.enum(jobErrorKinds),
  message: z.string(),
  /** HTTP status, when the failure was an answer from the server. */
  status: z.number().int().optional(),
  /** The certificate a TLS failure was about. */
  certificate: CertificateDetails.optional(),
});
export type JobError = z.infer<typeof JobError>;

/** The fields of every job, whatever its source. */
export const JobCommon = {
  id: z.string(),
  progress: z.number().min(0).max(100),
  message: z.string(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  updatedAt: z.number(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  error: JobError.nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  idempotencyKey: z.string().nullable(),
};
