/** Dotted-path helpers over the nested plain objects settings are merged in. */
import { readPath } from './schema.js';

/** Every leaf path of a nested object, dotted (`saml.maxSamlBytes`). */
export function listLeaves(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, child]) =>
    isPlainObject(child) && Object.keys(child).length > 0 ? listLeaves(child, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

/** Merges one layer of settings over another, object by object; undefined values leave the target as it is. */
export function mergeInto(target: Record<string, unknown>, layer: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(layer)) {
    if (value === undefined) continue;
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) mergeInto(current, value);
    else target[key] = value;
  }
}

/** Sets a dotted path, creating the objects on the way. */
export function writePath(target: Record<string, unknown>, path: string, value: unknown): void {
  const steps = path.split('.');
  const last = steps.pop() as string;
  let node = target;
  for (const step of steps) {
    if (!isPlainObject(node[step])) node[step] = {};
    node = node[step] as Record<string, unknown>;
  }
  node[last] = value;
}

/** Removes the value at these steps, when its parent exists. */
export function deletePath(target: Record<string, unknown>, steps: string[]): void {
  const last = steps.at(-1);
  const parent = steps.length > 1 ? readPath(target, steps.slice(0, -1).join('.')) : target;
  if (last !== undefined && isPlainObject(parent)) delete parent[last];
}

/** A copy of the nested plain objects and arrays; other values (even functions) are shared, never cloned. */
export function copyPlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => copyPlain(item)) as T;
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, copyPlain(child)])) as T;
}

/** A non-null object that is not an array: a section of settings. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
