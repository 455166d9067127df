import type { auditCommands } from '../../../shared/api/commands/audit-commands';
import type { HandlerServices, HandlersFor } from './handler-kit';

export function createAuditHandlers({ profile }: HandlerServices): HandlersFor<typeof auditCommands> {
  return {
    'audit.list': async ({ limit, beforeId }) =>
      profile.store().audit
        .list({ ...(limit !== undefined ? { limit } : {}), ...(beforeId !== undefined ? { beforeId } : {}) })
        .map(({ id, at, actor, action, manifestDigest, detail, hash }) => ({ id, at, actor, action, manifestDigest, detail, hash })),

    'audit.verify': async () => profile.store().audit.verify(),
  };
}
