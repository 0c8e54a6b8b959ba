import type { Express } from 'express';

/**
 * Call `onMount` with the mount path (as the application gave it) each time an Express
 * application mounts `app` (`host.use(path, app)`); what it throws, `host.use` throws. Express
 * says nothing when `app` is mounted through an `express.Router()`.
 */
export function watchMounts(app: Express, onMount: (mountPath: unknown) => void): void {
  app.on('mount', () => {
    onMount(app.mountpath);
  });
}

/** The full path `app` is mounted at through every parent application (`''` at the root). */
export function mountedPath(app: Express): string {
  return app.path().replace(/\/+$/, '');
}
