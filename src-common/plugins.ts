import { z } from 'zod';

// ---------------------------------------------------------------------------------------
// Plugins (issue 5): sandboxed plugins, their settings, actions and notifications

export const pluginPermissions = ['http', 'files', 'downloads', 'storage', 'notify'] as const;
export type PluginPermission = (typeof pluginPermissions)[number];

const settingKey = z.string().regex(/^[A-Za-z][\w.-]{0,63}$/, 'letters, digits, _ . - and a letter first');
const settingCommon = {
  key: settingKey,
  label: z.string().min(1).max(100),
  description: z.string().max(1000).optional(),
};
/** One entry of a plugin's settings schema, declared in its plugin.json. */
export const PluginSettingSpec = z.discriminatedUnion('type', [
  z
    .object({
      ...settingCommon,
      type: z.literal('string'),
      default: z.string().max(100_000),
      /** Shown as a multi-line text box. */
      multiline: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      ...settingCommon,
      type: z.literal('number'),
      default: z.number(),
      min: z.number().optional(),
      max: z.number().optional(),
      step: z.number().positive().optional(),
    })
    .strict(),
  z.object({ ...settingCommon, type: z.literal('boolean'), default: z.boolean() }).strict(),
  z
    .object({
      ...settingCommon,
      type: z.literal('select'),
      default: z.string(),
      options: z
        .array(z.object({ value: z.string(), label: z.string() }).strict())
        .min(1)
        .max(200),
    })
    .strict(),
]);
export type PluginSettingSpec = z.infer<typeof PluginSettingSpec>;
export const PluginSettingValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type PluginSettingValues = z.infer<typeof PluginSettingValues>;

export const pluginStates = ['starting', 'active', 'disabled', 'error'] as const;
export const PluginInfo = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string(),
  author: z.string(),
  /** Shipped with Haul (resources/plugins) rather than installed by the user. */
  bundled: z.boolean(),
  enabled: z.boolean(),
  state: z.enum(pluginStates),
  /** Why it is not running: a bad manifest, a failed activate, repeated crashes. */
  error: z.string().nullable(),
  permissions: z.array(z.enum(pluginPermissions)),
  hosts: z.array(z.string()),
  settingsSchema: z.array(PluginSettingSpec),
  settings: PluginSettingValues,
  path: z.string(),
});
export type PluginInfo = z.infer<typeof PluginInfo>;

export const actionParamTypes = ['text', 'textarea', 'number', 'select', 'boolean'] as const;
export const ActionParam = z
  .object({
    name: z.string().regex(/^[A-Za-z][\w-]{0,63}$/, 'letters, digits, _ - and a letter first'),
    label: z.string().min(1).max(100),
    type: z.enum(actionParamTypes),
    description: z.string().max(1000).optional(),
    required: z.boolean().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    placeholder: z.string().max(200).optional(),
    /** select only. */
    options: z
      .array(z.object({ value: z.string(), label: z.string() }).strict())
      .max(200)
      .optional(),
    /** number only. */
    min: z.number().optional(),
    max: z.number().optional(),
    step: z.number().positive().optional(),
  })
  .strict();
export type ActionParam = z.infer<typeof ActionParam>;

/** An action a plugin offers, as the UI lists it. */
export const PluginAction = z.object({
  pluginName: z.string(),
  id: z.string(),
  label: z.string(),
  entity: z.enum(['resource', 'custom']),
  description: z.string(),
  icon: z.string().nullable(),
  /** MIME types or prefixes (`video/`, `video/*`) it applies to; empty: every resource. */
  contentTypes: z.array(z.string()),
  params: z.array(ActionParam),
  /** Runs as a plugin job with progress instead of answering at once. */
  async: z.boolean(),
  /** A question the UI asks before running it. */
  confirm: z.string().nullable(),
  /** How many selected items the UI may run it on at once (one call each). */
  bulkMax: z.number().int().min(1),
});
export type PluginAction = z.infer<typeof PluginAction>;

export const ActionResult = z.object({
  success: z.boolean(),
  message: z.string(),
  data: z.unknown(),
});
export type ActionResult = z.infer<typeof ActionResult>;

export const PluginNotification = z.object({
  id: z.number().int(),
  pluginName: z.string(),
  title: z.string(),
  body: z.string(),
  level: z.enum(['info', 'success', 'warning', 'error']),
  at: z.number(),
});
export type PluginNotification = z.infer<typeof PluginNotification>;
