import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const eslint = new ESLint({ cwd: repoRoot });

/** The layer-rule messages ESLint gives `code` as if it were the file at `file` (relative to the repository). */
async function layerProblems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).filter((message) => /no-restricted-imports|no-restricted-dynamic-import/.test(message.ruleId ?? '')).map((message) => message.message);
}

describe('the layer rules', () => {
  it('refuse a service importing the handler table or a host, statically or dynamically', async () => {
    expect(await layerProblems('electron/services/session/x.ts', "import { toApiError } from '../../api/api-error';\nexport const y = toApiError;\n")).toHaveLength(1);
    expect(await layerProblems('electron/services/session/x.ts', "export const y = () => import('../../web/web-host');\n")).toHaveLength(1);
    expect(await layerProblems('electron/services/session/x.ts', "export const y = (name: string) => import(name);\n")).toHaveLength(1);
    expect(await layerProblems('electron/services/x.ts', "import { app } from 'electron';\nexport const y = app;\n")).toHaveLength(1);
  });

  it('refuse the handler table importing a host', async () => {
    expect(await layerProblems('electron/api/x.ts', "import { main } from '../cli/main';\nexport const y = main;\n")).toHaveLength(1);
    expect(await layerProblems('electron/api/handlers/x.ts', "export const y = () => import('../../main/main');\n")).toHaveLength(1);
  });

  it('let services use shared/, and hosts use the handler table', async () => {
    expect(await layerProblems('electron/services/session/x.ts', "import { sha256Hex } from '../../../shared/crypto/hash';\nexport const y = sha256Hex;\n")).toEqual([]);
    expect(await layerProblems('electron/cli/x.ts', "import { createDispatcher } from '../api/dispatcher';\nexport const y = createDispatcher;\n")).toEqual([]);
  });

  it('hold shared/ to its package allow-list, dynamically too', async () => {
    expect(await layerProblems('shared/x.ts', "import { z } from 'zod';\nimport { a } from './a';\nexport const y = [z, a];\n")).toEqual([]);
    expect(await layerProblems('shared/x.ts', "import lodash from 'lodash';\nexport const y = lodash;\n")).toHaveLength(1);
    expect(await layerProblems('shared/x.ts', "import fs from 'node:fs';\nexport const y = fs;\n")).not.toEqual([]);
    expect(await layerProblems('shared/x.ts', "export const y = () => import('node:fs');\n")).toHaveLength(1);
  });
});
