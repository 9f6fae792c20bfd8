// Copies what the compiled code reads beside itself (templates, stylesheets) from src/ to dist/, and
// stamps the build so bin/mock-mimecast.js can tell a fresh build from a stale one.
import { cpSync, writeFileSync } from 'node:fs';

for (const dir of ['http/views', 'http/static', 'http/idp/views', 'http/idp/static']) {
  cpSync(`src/${dir}`, `dist/${dir}`, { recursive: true });
}
writeFileSync('dist/.build-stamp', `${new Date().toISOString()}\n`);
