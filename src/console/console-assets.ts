import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the console is served; its client routes live below it. */
export const CONSOLE_PATH = '/console';

/**
 * The console's content security policy: only this origin's scripts and styles (the build emits no inline
 * script), media and API calls to this origin, and never inside a frame.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names every built asset by its content hash, so a browser may keep it for good. */
const HASHED_ASSETS_CACHE = 'public, max-age=31536000, immutable';

/**
 * The built console (`npm run build` writes it to dist/console): beside the compiled src/ at run time, or
 * under dist/ when the sources run directly (the e2e suites under ts-jest). Undefined when not built.
 */
export function consoleDirectory(): string | undefined {
  // From src/console under ts-jest, '../../console' is the console's *source* folder: look for the build first.
  const candidates = [join(__dirname, '..', '..', 'dist', 'console'), join(__dirname, '..', '..', 'console')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets')));
}

/**
 * Serves the console at /console/: hashed assets with a long cache, and index.html (never cached, so a new
 * build is picked up at once) for every other GET below it, which is how client-side routes survive a reload.
 * Plain Express middleware ahead of the API's routes: the console itself is public, its data is not.
 */
export function serveConsole(app: NestExpressApplication, dir = consoleDirectory()): void {
  if (!dir) return;
  const index = join(dir, 'index.html');
  app.use(CONSOLE_PATH, (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  app.useStaticAssets(join(dir, 'assets'), {
    prefix: `${CONSOLE_PATH}/assets/`,
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders: (res) => res.setHeader('Cache-Control', HASHED_ASSETS_CACHE),
  });
  app.use(CONSOLE_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // A missing hashed asset is a 404 (from the API's envelope), not the page: the browser asked for a script.
    if (req.path.startsWith('/assets/')) return next();
    if (req.originalUrl === CONSOLE_PATH) return res.redirect(301, `${CONSOLE_PATH}/`);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, (err) => {
      if (err) next(err);
    });
  });
}
