import type { commands } from '../../shared/api/contract';
import { createAppHandlers } from './handlers/app-handlers';
import { createSessionHandlers } from './handlers/session-handlers';
import { createBundleHandlers } from './handlers/bundle-handlers';
import { createTrustHandlers } from './handlers/trust-handlers';
import { createLineageHandlers } from './handlers/lineage-handlers';
import { createKeysHandlers } from './handlers/keys-handlers';
import { createAuditHandlers } from './handlers/audit-handlers';
import { createApprovalsHandlers } from './handlers/approvals-handlers';
import { createDeploymentHandlers } from './handlers/deployment-handlers';
import { createReleaseHandlers } from './handlers/release-handlers';
import { createBoardHandlers } from './handlers/board-handlers';
import { createReleaseCosignHandlers } from './handlers/release-cosign-handlers';
import { createReportHandlers } from './handlers/report-handlers';
import { createVerifyHandlers } from './handlers/verify-handlers';
import type { HandlerServices, HandlersFor } from './handlers/handler-kit';

export type { HandlerServices } from './handlers/handler-kit';

/**
 * The handler table: one function per contract command, gathered from each domain's handlers.
 * Typed against the whole contract, so a command without a handler is a compile error.
 */
export function createHandlers(services: HandlerServices): HandlersFor<typeof commands> {
  return {
    ...createAppHandlers(services),
    ...createSessionHandlers(services),
    ...createBundleHandlers(services),
    ...createTrustHandlers(services),
    ...createLineageHandlers(services),
    ...createKeysHandlers(services),
    ...createAuditHandlers(services),
    ...createApprovalsHandlers(services),
    ...createDeploymentHandlers(services),
    ...createReleaseHandlers(services),
    ...createBoardHandlers(services),
    ...createReleaseCosignHandlers(services),
    ...createReportHandlers(services),
    ...createVerifyHandlers(services),
  };
}
