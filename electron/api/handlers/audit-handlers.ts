import type { auditCommands } from '../../../shared/api/commands/audit-commands';
import { AuditChainBrokenError } from '../../services/audit/audit-log';
import { parseHeadDocument } from '../../services/audit/head-file';
import { HandlerError } from '../api-error';
import type { HandlerServices, HandlersFor } from './handler-kit';

export function createAuditHandlers({ store }: HandlerServices): HandlersFor<typeof auditCommands> {
  return {
    'audit.list': async ({ limit, beforeId }) =>
      store.audit
        .list({ ...(limit !== undefined ? { limit } : {}), ...(beforeId !== undefined ? { beforeId } : {}) })
        .map(({ id, at, actor, action, manifestDigest, detail, hash }) => ({ id, at, actor, action, manifestDigest, detail, hash })),

    'audit.verify': async () => store.audit.verify(),

    'audit.exportHead': async () => {
      try {
        return store.audit.exportHead();
      } catch (error) {
        if (error instanceof AuditChainBrokenError) throw new HandlerError('conflict', error.message);
        throw error;
      }
    },

    'audit.verifyAgainst': async ({ head }) => {
      let exported;
      try {
        exported = parseHeadDocument(head, 'The head file');
      } catch (error) {
        throw new HandlerError('invalid-format', (error as Error).message);
      }
      return store.audit.verifyAgainst(exported);
    },
  };
}
