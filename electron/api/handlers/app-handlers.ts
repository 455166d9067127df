import type { appCommands } from '../../../shared/api/commands/app-commands';
import packageJson from '../../../package.json' with { type: 'json' };
import type { HandlerServices, HandlersFor } from './handler-kit';

export function createAppHandlers({ store, dataDir, demoBundlePath, hooks }: HandlerServices): HandlersFor<typeof appCommands> {
  return {
    'app.info': async () => ({
      version: packageJson.version,
      host: hooks.host,
      dataDir,
      demoBundlePath,
      nativeDialogs: hooks.pickFile !== undefined,
      profileWarnings: [...store.warnings],
    }),

    'settings.get': async () => store.settings.get(),

    'settings.set': async (changes) => store.settings.set(changes),
  };
}
