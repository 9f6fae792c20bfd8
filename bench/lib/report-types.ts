/** The shape of bench/results/latest.json. Every number comes from one run on one machine. */
import type { MachineInfo } from './machine.js';

/** One headline number against its target. */
export interface TargetCheck {
  name: string;
  measured: number | null;
  unit: string;
  /** Human-readable target, e.g. ">= 0.85" or "< 50 ms". */
  target: string;
  /** null when not measured. */
  met: boolean | null;
}

/** Time per response of one ACS phase, measured as its own loop. */
export interface PhaseTiming {
  phase: string;
  microsPerResponse: number | null;
  note: string;
}

export interface ValidationSection {
  responses: number;
  rounds: number;
  roundSize: number;
  nodeSamlPerSecond: { median: number | null; rounds: (number | null)[] };
  acsPerSecond: { median: number | null; rounds: (number | null)[] };
  /** median(ACS) / median(node-saml). */
  ratio: number | null;
  /** Median of the per-round ACS/node-saml ratios (each pair ran back to back). */
  pairedRatioMedian: number | null;
  accepted: { nodeSaml: number; acs: number; of: number };
  /** Other SP libraries on the same responses in the same rounds (absent in older results). */
  peers?: { name: string; perSecond: number | null; acsRatio: number | null; accepted: number; refusesTampered: boolean }[];
  /** Peers that could not be built here, with why. */
  peersUnavailable?: { name: string; reason: string }[];
  /** node-saml's time per response over the SP's own (evaluate without the gate), from the phases. */
  spOwnRatio?: number | null;
  /** Whether each side refused a response whose signed NameID was changed after signing. */
  refusesTampered?: Record<string, boolean>;
  /** Where the ACS spends time, when the ratio misses its target (or always with --phases). */
  phases: PhaseTiming[] | null;
}

export interface PacedLevel {
  /** Share of the saturated sign-in rate offered. */
  fraction: number;
  offeredPerSecond: number;
  sent: number;
  signIns: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  /** How far behind schedule the load generator itself fell, in ms. */
  maxSendLagMs: number;
  statusCounts: Record<string, number>;
  errors: number;
}

export interface HttpSection {
  connections: number;
  requests: number;
  durationSeconds: number | null;
  /** Every answer, whatever its status. */
  requestsPerSecond: number | null;
  /** 303 answers to /portal per second: the headline. */
  signInsPerSecond: number | null;
  /** Over the sign-in (303) answers only. */
  latencyMs: {
    mean: number | null;
    p50: number | null;
    p90: number | null;
    p99: number | null;
    max: number | null;
    /**
     * The same without each connection's first answer: 32 connections opened at once on a saturated
     * Node server wait up to seconds to be accepted and first read (a bare node:http server does the
     * same), which is connection set-up, not sign-in. Absent in results written before it existed.
     */
    p99WarmConnections?: number | null;
    maxWarmConnections?: number | null;
  };
  /** p99 over every answer, refusals included. */
  allAnswersP99Ms: number | null;
  /** Status codes as counted by the client. */
  statusCounts: Record<string, number>;
  /** Responses that were 303 to /portal: real sign-ins. */
  signIns: number;
  errors: number;
  timeouts: number;
  /**
   * The same connections with sign-ins arriving at a fixed rate (open loop, evenly paced, latency from
   * each request's due time), at fractions of the saturated rate: the latency a person clicking
   * through sees while the SP is that busy. See bench/lib/paced-load.ts.
   */
  paced: PacedLevel[];
  /** The highest paced rate whose sign-ins all succeeded with p99 under the target; null when none did. */
  latencyBoundedPerSecond: number | null;
}

export interface MemorySection {
  requests: number;
  warmupRequests: number;
  rssBeforeMb: number | null;
  rssAfterMb: number | null;
  growthMb: number | null;
  heapUsedBeforeMb: number | null;
  heapUsedAfterMb: number | null;
  /** Least-squares RSS slope after warm-up, MB per 1,000 requests. */
  rssSlopeMbPer1k: number | null;
  gcExposed: boolean;
  signIns: number;
  database: string;
  rowsKept: { traces: number | null; consumedAssertions: number | null; sessions: number | null };
  traceRetention: { maxCount: number; maxAgeDays: number; purgeEveryRequests: number };
  samples: { requests: number; rssMb: number }[];
}

export interface ColdStartSection {
  runs: number;
  /** Spawn to GET /api/health answering 200. */
  healthMs: { median: number | null; runs: (number | null)[] };
  /** Spawn to exit of `mock-mimecast --help`: Node and the CLI's own modules (not a command's), the floor of any command. */
  moduleLoadMs: { median: number | null; runs: (number | null)[] };
  /** Spawn to the printed guide: seeded and the metadata imported. */
  seededMs: { median: number | null; runs: (number | null)[] };
}

export type ConformanceSection =
  | { measured: true; wallMs: number; total: number | null; passed: number | null; failed: number | null }
  | { measured: false; reason: string };

export type HostileSurface = 'acs' | 'metadata-import' | 'idp-sso';

/** One hostile input shape on one surface, run `runs` times after one untimed run. */
export interface HostileRow {
  surface: HostileSurface;
  shape: string;
  /** The decoded XML's size in bytes (after inflation for HTTP-Redirect). */
  xmlBytes: number;
  /** What was handed to the surface: base64 (HTTP-POST), deflated base64 (HTTP-Redirect) or the pasted XML. */
  sentBytes: number;
  /** "accepted", "refused <code>" or "threw <name>"; several joined by " / " when runs differed. */
  outcome: string;
  runs: number;
  medianMs: number | null;
  worstMs: number | null;
}

export interface HostileSection {
  runsPerShape: number;
  rows: HostileRow[];
  /** The worst single request per surface, over every shape. */
  worstMs: { acs: number | null; metadataImport: number | null; idpSso: number | null };
}

export interface BenchResult {
  schema: 1;
  startedAt: string;
  durationMs: number;
  machine: MachineInfo;
  /** Options the run used (counts, durations), so a result can be reproduced. */
  options: Record<string, number | string | boolean>;
  sections: {
    validation?: ValidationSection;
    http?: HttpSection;
    memory?: MemorySection;
    coldStart?: ColdStartSection;
    conformance?: ConformanceSection;
    /** Absent in results written before the section existed. */
    hostile?: HostileSection;
    workers?: WorkersSection;
    harness?: HarnessSection;
  };
  targets: TargetCheck[];
  notes: string[];
}

export interface WorkersSection {
  /** os.availableParallelism() of the machine that ran it. */
  cores: number;
  connections: number;
  rows: {
    workers: number;
    signInsPerSecond: number;
    signIns: number;
    answers: number;
    speedup?: number | null;
    meaningful: boolean;
    /** ms from spawn until the primary printed that every worker is ready. */
    readyMs: number | null;
    /** CPU ms of the server's processes (primary and workers) per sign-in during the timed run; null off Linux. */
    serverCpuMsPerSignIn: number | null;
    /** Each process's CPU ms in the timed run, primary first: how evenly the primary spread the load. */
    processCpuMs: number[] | null;
    /** CPU ms of the bench process itself (the load generator) in the timed run. */
    loadGeneratorCpuMs: number;
  }[];
}

export interface HarnessSection {
  /** ms for startTestHarness() to resolve, each run a fresh in-memory harness. */
  startMs: { median: number | null; runs: number[] };
  /** ms of one SP-initiated sign-in round trip in process (sign-in helper), on one harness. */
  signInMs: { median: number | null; p90: number | null; runs: number };
}
