/**
 * `npx tsx bench/profile-acs.ts [count]`: profiles the ACS core alone (responses are generated before
 * the profiler starts) and prints where its CPU time goes, by area and by function. The raw profile
 * is written to bench/results/profiles/ and opens in Chrome DevTools (Performance › Load profile).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { consumeSamlResponse } from '../src/core/sp/acs.js';
import { recordCpuProfile, summarizeCpuProfile } from './lib/cpu-profile.js';
import { startInProcessSp } from './lib/in-process-sp.js';
import { formatFileStamp, formatTable } from './lib/report.js';
import { createResponseFactory } from './lib/responses.js';

const count = Number(process.argv[2] ?? '400');
if (!Number.isInteger(count) || count <= 0) throw new Error(`count must be a positive integer, got ${process.argv[2]}`);

const sp = await startInProcessSp();
try {
  const generate = createResponseFactory(sp.target);
  for (const samlResponse of generate(100)) await consumeSamlResponse(sp.ctx, { samlResponse, relayState: null });
  const responses = generate(count);
  let signIns = 0;
  const profile = await recordCpuProfile(async () => {
    for (const samlResponse of responses) if ((await consumeSamlResponse(sp.ctx, { samlResponse, relayState: null })).ok) signIns++;
  });
  const dir = fileURLToPath(new URL('./results/profiles/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const file = `${dir}acs-${formatFileStamp(new Date().toISOString())}.cpuprofile`;
  await writeFile(file, JSON.stringify(profile));
  const summary = summarizeCpuProfile(profile, 25);
  const lines = [
    `${count} ACS calls (${signIns} sign-ins), ${summary.totalMs} ms sampled`,
    '',
    formatTable(
      ['area (self time)', 'ms', '%'],
      summary.byArea.map((a) => [a.area, String(a.selfMs), String(a.share)]),
    ),
    '',
    formatTable(
      ['function (inclusive time)', 'ms', '%'],
      summary.topInclusive.map((f) => [f.fn, String(f.inclusiveMs), String(f.share)]),
    ),
    '',
    `profile: ${file}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await sp.close();
}
