export const repoRoot: string;
export function electronVersion(): string;
export function findElectronBinary(): string | null;
export const electronInstaller: string;
