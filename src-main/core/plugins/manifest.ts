import { z } from 'zod';
import {
  pluginPermissions,
  PluginSettingSpec,
  type PluginSettingValues,
  type PluginPermission,
} from '../../../src-common/contract';

/** `example.com`, `*.example.com` or `127.0.0.1:8080`: the hosts `haul.http.fetch` may reach. */
const hostPattern = z
  .string()
  .regex(/^(\*\.)?[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/i, 'a host name, *.domain, or host:port');

/** plugin.json, checked field by field before any of the plugin's code runs. */
export const PluginManifest = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and -, at most 64, not starting with -'),
    version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, 'a version like 1.2.3'),
    description: z.string().max(1000),
    author: z.string().max(200),
    permissions: z.array(z.enum(pluginPermissions)).default([]),
    /** Required with the `http` permission. */
    hosts: z.array(hostPattern).max(100).default([]),
    settings: z.array(PluginSettingSpec).max(100).default([]),
    /** The sandbox's memory limit. @default 64 */
    memoryMb: z.number().int().min(8).max(512).optional(),
    /** Bundled plugins that change files on their own ship disabled. @default true */
    enabledByDefault: z.boolean().optional(),
  })
  .strict()
  .superRefine((manifest, ctx) => {
    if (manifest.permissions.includes('http') && manifest.hosts.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['hosts'], message: 'the http permission needs at least one host' });
    }
    const keys = new Set<string>();
    manifest.settings.forEach((setting, index) => {
      if (keys.has(setting.key)) {
        ctx.addIssue({ code: 'custom', path: ['settings', index, 'key'], message: `duplicate key ${setting.key}` });
      }
      keys.add(setting.key);
      const problem = settingValueProblem(setting, setting.default);
      if (problem) ctx.addIssue({ code: 'custom', path: ['settings', index, 'default'], message: problem });
    });
  });
export type PluginManifest = z.output<typeof PluginManifest>;

export function hasPermission(manifest: PluginManifest, permission: PluginPermission): boolean {
  return manifest.permissions.includes(permission);
}

/** Every problem as `field: reason`, so an author knows exactly what to fix. */
export function describeZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

export type ManifestResult = { ok: true; manifest: PluginManifest } | { ok: false; error: string };

export function parseManifest(text: string): ManifestResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `plugin.json is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = PluginManifest.safeParse(raw);
  if (!parsed.success) return { ok: false, error: `plugin.json: ${describeZodIssues(parsed.error)}` };
  return { ok: true, manifest: parsed.data };
}

/** Why `value` does not fit the setting, or undefined when it does. */
export function settingValueProblem(setting: PluginSettingSpec, value: unknown): string | undefined {
  switch (setting.type) {
    case 'string':
      return typeof value === 'string' ? undefined : 'must be text';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (setting.min !== undefined && value < setting.min) return `must be at least ${setting.min}`;
      if (setting.max !== undefined && value > setting.max) return `must be at most ${setting.max}`;
      return undefined;
    case 'select':
      return setting.options.some((o) => o.value === value)
        ? undefined
        : `must be one of ${setting.options.map((o) => o.value).join(', ')}`;
  }
}

/** The defaults, overlaid with stored values that still fit (a plugin update may change its schema). */
export function effectiveSettings(manifest: PluginManifest, stored: Record<string, unknown>): PluginSettingValues {
  const values: PluginSettingValues = {};
  for (const setting of manifest.settings) {
    const candidate = stored[setting.key];
    values[setting.key] =
      candidate !== undefined && !settingValueProblem(setting, candidate)
        ? (candidate as string | number | boolean)
        : setting.default;
  }
  return values;
}
