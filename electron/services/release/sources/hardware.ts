import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { JsonObject } from '../../../../shared/json/strict-json';
import { emptyContribution, type SourceContribution } from './contribution';

/** What `nvidia-smi` is asked for, in this order (`nvidia-smi --help-query-gpu` documents the fields). */
export const NVIDIA_SMI_QUERY = ['name', 'driver_version', 'memory.total', 'uuid'] as const;

export interface HardwareProbeOptions {
  /** The nvidia-smi executable; `nvidia-smi` on PATH by default. Absent: no GPU is recorded. */
  nvidiaSmi?: string;
  /** Where the OS name is read on Linux. */
  osReleaseFile?: string;
}

export interface GpuInfo {
  name: string;
  driver: string;
  memoryMiB: number | null;
}

/**
 * `--hardware auto`: what this machine is, probed locally (no network): CPU model, architecture
 * and logical core count, memory, OS, and where `nvidia-smi` exists, each GPU with its driver and
 * the CUDA version the driver supports. Recorded as `environment.hardware`; `cpu` and `gpu` are
 * the plain strings of FORMATS §4's example, the rest are added fields.
 */
export async function probeHardware(options: HardwareProbeOptions = {}): Promise<SourceContribution> {
  const cpus = os.cpus();
  const hardware: JsonObject = {
    cpu: cpus[0]?.model.trim() || os.arch(),
    arch: os.arch(),
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryBytes: os.totalmem(),
    os: await osName(options.osReleaseFile ?? '/etc/os-release'),
  };
  const nvidia = await probeNvidia(options.nvidiaSmi ?? 'nvidia-smi');
  if (nvidia !== null && nvidia.gpus.length > 0) {
    hardware.gpu = nvidia.gpus.length === 1 ? nvidia.gpus[0]!.name : `${nvidia.gpus.length} x ${[...new Set(nvidia.gpus.map((gpu) => gpu.name))].join(' + ')}`;
    hardware.gpus = nvidia.gpus.map((gpu) => ({ name: gpu.name, driver: gpu.driver, ...(gpu.memoryMiB !== null ? { memoryMiB: gpu.memoryMiB } : {}) }));
    if (nvidia.cuda !== null) hardware.cuda = nvidia.cuda;
  }
  const contribution = emptyContribution();
  contribution.environment = { hardware };
  return contribution;
}

async function osName(osReleaseFile: string): Promise<string> {
  const kernel = `${os.type()} ${os.release()}`;
  if (os.platform() !== 'linux') return kernel;
  const text = await readFile(osReleaseFile, 'utf8').catch(() => '');
  const pretty = /^PRETTY_NAME=("?)(.*)\1$/m.exec(text)?.[2];
  return pretty ? `${pretty} (${kernel})` : kernel;
}

/** Null when nvidia-smi is not installed or finds no driver: a machine without NVIDIA GPUs. */
async function probeNvidia(binary: string): Promise<{ gpus: GpuInfo[]; cuda: string | null } | null> {
  const csv = await run(binary, [`--query-gpu=${NVIDIA_SMI_QUERY.join(',')}`, '--format=csv,noheader,nounits']);
  if (csv === null) return null;
  // The CUDA version is in the summary's header only ("CUDA Version: 12.4"), not a query field on older drivers.
  const summary = await run(binary, []);
  return { gpus: parseNvidiaSmiCsv(csv), cuda: summary === null ? null : parseCudaVersion(summary) };
}

/** Rows of `--query-gpu=name,driver_version,memory.total,uuid --format=csv,noheader,nounits`. */
export function parseNvidiaSmiCsv(text: string): GpuInfo[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [name = '', driver = '', memory = ''] = line.split(',').map((field) => field.trim());
      const memoryMiB = /^\d+$/.test(memory) ? Number(memory) : null;
      return { name: printable(name), driver: printable(driver), memoryMiB };
    })
    .filter((gpu) => gpu.name !== '');
}

export function parseCudaVersion(summary: string): string | null {
  return /CUDA Version:\s*([0-9]+(?:\.[0-9]+)*)/.exec(summary)?.[1] ?? null;
}

function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200);
}

function run(binary: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(binary, args, { encoding: 'utf8', timeout: 30_000, maxBuffer: 1024 * 1024 }, (error, stdout) => resolve(error ? null : stdout));
  });
}
