import { z } from 'zod';
import { emptyInput, type CommandDefinitions } from './command-kit';

export const settingsSchema = z.object({
  /** Set once the person has answered the first-start offer to pin the demo keys. */
  demoKeysOfferAnswered: z.boolean(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const appCommands = {
  'app.info': {
    input: emptyInput,
    output: z.object({
      version: z.string(),
      host: z.enum(['electron', 'web']),
      dataDir: z.string(),
      demoBundlePath: z.string().nullable(),
      /** Whether `bundle.pickFile` opens a native dialog in this host. */
      nativeDialogs: z.boolean(),
      /** Found when the profile was opened: e.g. a data directory other users of this machine can read. */
      profileWarnings: z.array(z.string()),
    }),
  },
  'settings.get': {
    input: emptyInput,
    output: settingsSchema,
  },
  'settings.set': {
    input: settingsSchema.partial().strict(),
    output: settingsSchema,
  },
} as const satisfies CommandDefinitions;
