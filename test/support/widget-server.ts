import { join } from 'node:path';
import { type Parley, type StartOptions, startParley } from './server.js';
import type { StoreKit } from './stores.js';

export const WIDGET_DIST = join(import.meta.dirname, '../../packages/widget/dist');

/**
 * A real server serving the built, minified widget, with a test app that is its /demo app and
 * also allows `hostOrigin`, where test host pages are served.
 */
export async function startWidgetServer(
  kit: StoreKit,
  hostOrigin: string,
  options: StartOptions = {},
): Promise<Parley> {
  return startParley(kit, { ...options, widgetDir: WIDGET_DIST, demoApp: true, extraOrigins: [hostOrigin] });
}
