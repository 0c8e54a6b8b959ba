import type { Express } from 'express';

/** What this module reads of a layer of Express 5's router (the `router` package). */
interface RouterLayer {
  readonly rawPath?: unknown;
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
  readonly handle: { readonly stack?: readonly RouterLayer[] };
}

/** One route of an app: its method and path as Express has it (`/api/v1/queues/:queue`). */
export interface AppRoute {
  readonly method: string;
  /** A string, or `String(regexp)` for a route matched by a regular expression. */
  readonly path: string;
  readonly isPattern: boolean;
}

/** Every route of an app, routers mounted inside it included. */
export function routesOf(app: Express): AppRoute[] {
  return routesIn((app.router as unknown as { stack: readonly RouterLayer[] }).stack, '');
}

function routesIn(stack: readonly RouterLayer[], prefix: string): AppRoute[] {
  return stack.flatMap((layer): AppRoute[] => {
    if (layer.route) {
      const { path, methods } = layer.route;
      const isPattern = typeof path !== 'string';
      return Object.keys(methods)
        .filter((method) => methods[method])
        .map((method) => ({
          method: method.toUpperCase(),
          path: isPattern ? String(path) : `${prefix}${path}`,
          isPattern,
        }));
    }
    const inner = layer.handle.stack;
    if (!inner) return [];
    const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    return routesIn(inner, `${prefix}${mount}`);
  });
}

/** A route path as OpenAPI writes it: `/queues/:queue` → `/queues/{queue}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}
