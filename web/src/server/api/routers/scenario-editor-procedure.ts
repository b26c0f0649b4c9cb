import { AppError, type TScenarioScope } from '@avatar-adam/db';
import { protectedProcedure } from '../trpc';

/**
 * The procedure level of the scenario builder, built like the levels in trpc.ts: managers edit
 * their dealership's scenarios, platform admins the platform-wide ones. `ctx.scenarioScope`
 * comes from the session only, never from input; everyone else is refused here.
 */
export const scenarioEditorProcedure = protectedProcedure.use(({ ctx, next }) => {
  const { id, role, dealershipId } = ctx.session.user;
  let scenarioScope: TScenarioScope;
  if (role === 'super_admin') {
    scenarioScope = { kind: 'platform' };
  } else if (role === 'dealership_admin' && dealershipId) {
    scenarioScope = { kind: 'dealership', dealershipId };
  } else {
    throw new AppError('FORBIDDEN', {
      message: `user ${id} (${role}) cannot edit scenarios`,
      userMessage: 'Only managers can build scenarios.',
    });
  }
  return next({ ctx: { scenarioScope } });
});
