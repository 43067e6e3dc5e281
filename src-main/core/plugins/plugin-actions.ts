import type { ActionResult, PluginAction, Resource } from '../../../src-common/contract';
import { HaulError } from '../errors';
import { matchesContentType, type ActionDeclaration } from './action-params';
import type { ResourceAccess } from './file-access';

/** A declared action as the actions list shows it. */
export function listedAction(pluginName: string, action: ActionDeclaration): PluginAction {
  return {
    pluginName,
    id: action.id,
    label: action.label,
    entity: action.entity,
    description: action.description,
    icon: action.icon,
    contentTypes: action.filters.contentTypes,
    params: action.params,
    async: action.async,
    confirm: action.confirm,
    bulkMax: action.bulkMax,
  };
}

/**
 * The library item an action runs on: none for a custom action; for a resource action the
 * item asked for, refused when it is missing or of a type the action does not apply to.
 */
export function actionResource(
  action: ActionDeclaration,
  resourceId: number | undefined,
  library: ResourceAccess,
): Resource | null {
  if (action.entity !== 'resource') return null;
  if (resourceId === undefined) throw new HaulError('invalid_input', 'resourceId: this action needs a library item');
  const resource = library.get(resourceId);
  if (!matchesContentType(action.filters.contentTypes, resource.contentType)) {
    throw new HaulError(
      'invalid_input',
      `resourceId: ${action.label} does not apply to ${resource.contentType ?? 'unknown'} files`,
    );
  }
  return resource;
}

/** A sync handler's answer as { success, message, data }; a bare value counts as success. */
export function asActionResult(value: unknown): ActionResult {
  if (value !== null && typeof value === 'object' && typeof (value as { success?: unknown }).success === 'boolean') {
    const v = value as { success: boolean; message?: unknown; data?: unknown };
    return { success: v.success, message: typeof v.message === 'string' ? v.message : '', data: v.data ?? null };
  }
  return { success: true, message: '', data: value ?? null };
}
