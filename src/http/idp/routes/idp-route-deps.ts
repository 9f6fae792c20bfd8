import type nunjucks from 'nunjucks';
import type { Logger } from 'pino';
import type { IdpContext } from '../../../core/idp/idp-context.js';

/** What every IdP router gets from createIdpApp. */
export interface IdpRouteDeps {
  ctx: IdpContext;
  views: nunjucks.Environment;
  logger: Logger;
}
