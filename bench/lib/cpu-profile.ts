/**
 * Records a V8 CPU profile around one async function (node:inspector, so only that code is sampled)
 * and summarises it: self time by area (package or src/ folder) and inclusive time by function.
 */
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The parts of a .cpuprofile the summary reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  byArea: { area: string; selfMs: number; share: number }[];
  topInclusive: { fn: string; inclusiveMs: number; share: number }[];
}

/** Runs `fn` under the sampling profiler (interval in µs) and returns the profile. */
export async function recordCpuProfile(fn: () => Promise<void>, intervalMicros = 200): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalMicros });
    await session.post('Profiler.start');
    await fn();
    const { profile } = await session.post('Profiler.stop');
    return profile as unknown as CpuProfile;
  } finally {
    session.disconnect();
  }
}

/** Names the area a script belongs to: an npm package, a src/ folder, or node internals. */
export function classifyUrl(url: string): string {
  if (url === '') return '(native, gc, idle)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  const src = /\/src\/(.+)\/[^/]+$/.exec(url);
  if (src?.[1]) return `src/${src[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-2)
    .join('/');
}

function describeFrame(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.split('/').at(-1) ?? url;
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/**
 * Self time by area, and inclusive time of the frames worth reading: every src/ function and every
 * call that crosses into another area (src → node-saml, node-saml → xml-crypto, xml-crypto → xpath …),
 * each counted once per sample however deep the recursion.
 */
export function summarizeCpuProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    total += dt;
    const area = node.callFrame.functionName === '(idle)' ? '(idle)' : classifyUrl(node.callFrame.url);
    self.set(area, (self.get(area) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame || frame.callFrame.url === '') continue;
      const area = classifyUrl(frame.callFrame.url);
      const caller = byId.get(parent.get(at) ?? -1);
      // An async continuation's caller is the event loop: no area to name.
      const callerArea = caller && caller.callFrame.url !== '' ? classifyUrl(caller.callFrame.url) : '';
      if (!area.startsWith('src/') && area === callerArea) continue;
      if (area === 'node internals') continue;
      const from = !area.startsWith('src/') && callerArea && callerArea !== area ? ` ← ${callerArea}` : '';
      const name = `${describeFrame(frame)} [${area}${from}]`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    }
  });
  const share = (ms: number) => Math.round((ms / total) * 1000) / 10;
  return {
    totalMs: Math.round(total),
    byArea: [...self].sort((a, b) => b[1] - a[1]).map(([area, ms]) => ({ area, selfMs: Math.round(ms), share: share(ms) })),
    topInclusive: [...inclusive]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, ms]) => ({ fn, inclusiveMs: Math.round(ms), share: share(ms) })),
  };
}
