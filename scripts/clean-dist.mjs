// Empties dist/ before a build, so a file whose source was deleted or renamed is never shipped.
// Until copy-assets.mjs stamps the new build, bin/mock-mimecast.js in a checkout runs the sources.
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
