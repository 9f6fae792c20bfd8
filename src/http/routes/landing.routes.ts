import { type Request, type Response, Router } from 'express';
import { AppError } from '../../core/errors.js';
import type { SignedInSession } from '../../core/sp/context.js';
import { renderPage } from '../render.js';
import type { RouteDeps } from './route-deps.js';

/** The signed-in person, or a 303 to the sign-in page (and null) when there is none. */
function readUserOrRedirect(req: Request, res: Response): SignedInSession | null {
  const user = req.session.user;
  if (user !== undefined) return user;
  res.redirect(303, '/login/saml');
  return null;
}

/** Where a sign-in lands: the Administration Console (administrators) and the Personal Portal. */
export function createLandingRouter({ views }: RouteDeps): Router {
  const router = Router();

  router.get('/administration', (req, res) => {
    const user = readUserOrRedirect(req, res);
    if (user === null) return;
    if (!user.isAdministrator) throw new AppError('ADMIN_ROLE_REQUIRED', undefined, { details: { email: user.email } });
    renderPage(res, views, 'landing.njk', { title: 'Administration Console', area: 'administration', user });
    return;
  });

  router.get('/portal', (req, res) => {
    const user = readUserOrRedirect(req, res);
    if (user === null) return;
    renderPage(res, views, 'landing.njk', { title: 'Mimecast Personal Portal', area: 'portal', user });
    return;
  });

  return router;
}
