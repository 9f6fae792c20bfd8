import os from 'node:os';

/** The machine a run was measured on; numbers from different machines are not comparable. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  node: string;
  platform: string;
  release: string;
  totalMemoryMb: number;
  loadAverage1m: number;
}

/** Describes this machine: CPU model, core count, Node version, OS, memory, current load. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: os.platform(),
    release: os.release(),
    totalMemoryMb: Math.round(os.totalmem() / (1024 * 1024)),
    loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}
