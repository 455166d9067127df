import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCudaVersion, parseNvidiaSmiCsv, probeHardware } from './hardware';

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-hardware-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** nvidia-smi's documented output: the CSV of --query-gpu, and the summary whose header names the CUDA version. */
const QUERY_OUTPUT = 'NVIDIA A100-SXM4-80GB, 550.54.15, 81920, GPU-6f0c1d2e-aaaa-bbbb-cccc-000000000001\nNVIDIA A100-SXM4-80GB, 550.54.15, 81920, GPU-6f0c1d2e-aaaa-bbbb-cccc-000000000002\n';
const SUMMARY_OUTPUT = '+-----------------------------------------------------------------------------------------+\n| NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |\n';

describe('probeHardware', () => {
  it('records CPU, cores, memory and OS of this machine, and no GPU where nvidia-smi is absent', async () => {
    const { environment } = await probeHardware({ nvidiaSmi: path.join(work, 'no-such-nvidia-smi') });
    const hardware = environment.hardware as Record<string, unknown>;
    expect(hardware.arch).toBe(os.arch());
    expect(hardware.cores).toBe(os.availableParallelism());
    expect(hardware.memoryBytes).toBe(os.totalmem());
    expect(hardware.cpu).toBe(os.cpus()[0]!.model.trim());
    expect(String(hardware.os)).toContain(os.release());
    expect(hardware).not.toHaveProperty('gpu');
  });

  it('records each GPU with its driver and the CUDA version when nvidia-smi answers', async () => {
    const tool = path.join(work, 'nvidia-smi');
    fs.writeFileSync(path.join(work, 'query.csv'), QUERY_OUTPUT);
    fs.writeFileSync(path.join(work, 'summary.txt'), SUMMARY_OUTPUT);
    fs.writeFileSync(tool, `#!/bin/sh\nif [ "$1" = "--query-gpu=name,driver_version,memory.total,uuid" ] && [ "$2" = "--format=csv,noheader,nounits" ]; then cat '${work}/query.csv'; else cat '${work}/summary.txt'; fi\n`, { mode: 0o755 });
    const { environment } = await probeHardware({ nvidiaSmi: tool });
    expect(environment.hardware).toMatchObject({
      gpu: '2 x NVIDIA A100-SXM4-80GB',
      gpus: [
        { name: 'NVIDIA A100-SXM4-80GB', driver: '550.54.15', memoryMiB: 81920 },
        { name: 'NVIDIA A100-SXM4-80GB', driver: '550.54.15', memoryMiB: 81920 },
      ],
      cuda: '12.4',
    });
  });
});

describe('nvidia-smi parsing', () => {
  it('reads the CSV rows and the CUDA version, dropping control characters', () => {
    expect(parseNvidiaSmiCsv('Tesla T4, 535.104.05, [N/A], GPU-1\n\n')).toEqual([{ name: 'Tesla T4', driver: '535.104.05', memoryMiB: null }]);
    expect(parseNvidiaSmiCsv('Evil\u001b[2J GPU, 1.0, 10, x')).toEqual([{ name: 'Evil[2J GPU', driver: '1.0', memoryMiB: 10 }]);
    expect(parseCudaVersion(SUMMARY_OUTPUT)).toBe('12.4');
    expect(parseCudaVersion('No devices were found')).toBeNull();
  });
});
