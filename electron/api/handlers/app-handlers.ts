import type { appCommands } from '../../../shared/api/commands/app-commands';
import packageJson from '../../../package.json' with { type: 'json' };
import type { HandlerServices, HandlersFor } from './handler-kit';

export function createAppHandlers({ profile, dataDir, demoBundlePath, hooks }: HandlerServices): HandlersFor<typeof appCommands> {
  return {
    'app.info': async () => ({
      version: packageJson.version,
      host: hooks.host === 'electron' ? 'electron' : 'web',
      dataDir,
      demoBundlePath,
      nativeDialogs: hooks.pickFile !== undefined,
      profileWarnings: profile.kind === 'store' ? [...profile.store().warnings] : [],
    }),

    'settings.get': async () => profile.store().settings.get(),

    'settings.set': async (changes) => profile.store().settings.set(changes),
  };
}
