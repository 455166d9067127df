import type { auditCommands } from '../../../shared/api/commands/audit-commands';
import { parseHeadDocument } from '../../services/audit/head-file';
import { HandlerError } from '../api-error';
import type { HandlerServices, HandlersFor } from './handler-kit';

export function createAuditHandlers({ profile }: HandlerServices): HandlersFor<typeof auditCommands> {
  return {
    'audit.list': async ({ limit, beforeId }) =>
      profile.store().audit
        .list({ ...(limit !== undefined ? { limit } : {}), ...(beforeId !== undefined ? { beforeId } : {}) })
        .map(({ id, at, actor, action, manifestDigest, detail, hash }) => ({ id, at, actor, action, manifestDigest, detail, hash })),

    'audit.verify': async () => profile.store().audit.verify(),

    'audit.exportHead': async () => {
      return profile.store().audit.exportHead();
    },

    'audit.verifyAgainst': async ({ head }) => {
      let exported;
      try {
        exported = parseHeadDocument(head, 'The head file');
      } catch (error) {
        throw new HandlerError('invalid-format', (error as Error).message);
      }
      return profile.store().audit.verifyAgainst(exported);
    },
  };
}
