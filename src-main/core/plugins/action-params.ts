import { z } from 'zod';
import { ActionParam } from '../../../src-common/contract';
import { HaulError } from '../errors';

/** What `haul.action({...})` sends out of the sandbox; the handler itself stays inside. */
export const ActionDeclaration = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][\w.-]{0,99}$/, 'letters, digits, _ . - (at most 100)'),
    label: z.string().min(1).max(100),
    entity: z.enum(['resource', 'custom']).default('resource'),
    description: z.string().max(1000).default(''),
    icon: z.string().max(100).nullable().default(null),
    filters: z
      .object({ contentTypes: z.array(z.string().max(200)).max(100).default([]) })
      .strict()
      .default({ contentTypes: [] }),
    params: z.array(ActionParam).max(50).default([]),
    async: z.boolean().default(false),
    confirm: z.string().max(500).nullable().default(null),
    bulkMax: z.number().int().min(1).max(1000).default(1),
  })
  .strict()
  .superRefine((action, ctx) => {
    action.params.forEach((param, index) => {
      if (param.type === 'select' && (!param.options || param.options.length === 0)) {
        ctx.addIssue({ code: 'custom', path: ['params', index, 'options'], message: 'a select needs options' });
      }
    });
  });
export type ActionDeclaration = z.output<typeof ActionDeclaration>;

type ParamValue = string | number | boolean;

/** Why `value` is not acceptable for `param`, or undefined. */
function paramProblem(param: ActionParam, value: unknown): string | undefined {
  switch (param.type) {
    case 'text':
    case 'textarea':
      if (typeof value !== 'string') return `must be text, got ${describe(value)}`;
      if (value.length > 100_000) return 'is too long (at most 100000 characters)';
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, got ${describe(value)}`;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number, got ${describe(value)}`;
      if (param.min !== undefined && value < param.min) return `must be at least ${param.min}`;
      if (param.max !== undefined && value > param.max) return `must be at most ${param.max}`;
      if (param.step !== undefined) {
        const steps = (value - (param.min ?? 0)) / param.step;
        if (Math.abs(steps - Math.round(steps)) > 1e-9) return `must be a multiple of ${param.step}`;
      }
      return undefined;
    case 'select': {
      const allowed = (param.options ?? []).map((o) => o.value);
      return typeof value === 'string' && allowed.includes(value)
        ? undefined
        : `must be one of ${allowed.join(', ')}, got ${describe(value)}`;
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/**
 * Checks the caller's params against the action's declaration before the handler runs:
 * fills defaults, refuses unknown names, missing required ones and wrong types, naming
 * the param. Empty text counts as not given.
 */
export function validateParams(
  params: readonly ActionParam[],
  input: Record<string, unknown>,
): Record<string, ParamValue> {
  const known = new Set(params.map((p) => p.name));
  const unknown = Object.keys(input).find((name) => !known.has(name));
  if (unknown !== undefined) throw new HaulError('invalid_input', `params.${unknown}: this action has no such param`);
  const values: Record<string, ParamValue> = {};
  for (const param of params) {
    const given = input[param.name];
    const missing = given === undefined || given === null || given === '';
    if (missing) {
      if (param.default !== undefined) values[param.name] = param.default;
      else if (param.required) throw new HaulError('invalid_input', `params.${param.name}: is required`);
      continue;
    }
    const problem = paramProblem(param, given);
    if (problem) throw new HaulError('invalid_input', `params.${param.name}: ${problem}`);
    values[param.name] = given as ParamValue;
  }
  return values;
}

/** Whether an action's content-type filter admits a resource's type (`video/`, `video/*`, exact). */
export function matchesContentType(filters: readonly string[], contentType: string | null): boolean {
  if (filters.length === 0) return true;
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return filters.some((filter) => {
    const f = filter.trim().toLowerCase();
    if (f === '*' || f === '*/*') return true;
    if (f.endsWith('/*')) return type.startsWith(f.slice(0, -1));
    if (f.endsWith('/')) return type.startsWith(f);
    return type === f;
  });
}
