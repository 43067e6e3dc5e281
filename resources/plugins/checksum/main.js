// Checksum: an async action on any library item. The host streams the file through the
// hash (the sandbox never holds the file) and reports progress on the job as it goes.
const names = { sha256: 'SHA-256', sha1: 'SHA-1', md5: 'MD5' };
const lengths = { sha256: 64, sha1: 40, md5: 32 };

// Accepts "abc123", "SHA256:abc123" or a line of sha256sum output ("abc123  file.iso").
function expectedDigest(text) {
  const first =
    String(text || '')
      .trim()
      .split(/\s+/)[0] || '';
  return first.replace(/^(sha-?256|sha-?1|md5)[:=]/i, '').toLowerCase();
}

export function activate(haul) {
  haul.action({
    id: 'checksum',
    label: 'Compute checksum',
    entity: 'resource',
    description: 'SHA-256, SHA-1 or MD5 of the file; paste a published value to compare.',
    icon: 'fingerprint',
    async: true,
    bulkMax: 20,
    params: [
      {
        name: 'algorithm',
        label: 'Algorithm',
        type: 'select',
        default: 'sha256',
        options: [
          { value: 'sha256', label: 'SHA-256' },
          { value: 'sha1', label: 'SHA-1' },
          { value: 'md5', label: 'MD5' },
        ],
      },
      { name: 'compare', label: 'Compare with', type: 'text', placeholder: 'the published checksum (optional)' },
    ],
    async handler({ resource, params, jobId }) {
      const algorithm = params.algorithm;
      const expected = expectedDigest(params.compare);
      if (expected && (expected.length !== lengths[algorithm] || /[^0-9a-f]/.test(expected))) {
        haul.job.fail(
          jobId,
          `"${params.compare}" is not a ${names[algorithm]} value (${lengths[algorithm]} hex digits)`,
        );
        return;
      }
      haul.job.progress(jobId, 0, `Hashing ${resource.name}`);
      const digest = await haul.files.hash(resource.id, algorithm, { jobId });
      const result = { algorithm, digest, file: resource.name };
      if (!expected) return { ...result, message: `${names[algorithm]}: ${digest}` };
      if (expected !== digest) {
        haul.job.fail(jobId, `${names[algorithm]} does not match: expected ${expected}, got ${digest}`);
        return;
      }
      return { ...result, match: true, message: `${names[algorithm]} matches` };
    },
  });
}
