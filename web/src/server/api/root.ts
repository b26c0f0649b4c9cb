import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { adminRouter } from './routers/admin';
import { analyticsRouter } from './routers/analytics';
import { assignmentRouter } from './routers/assignment';
import { authRouter } from './routers/auth';
import { documentRouter } from './routers/document';
import { historyRouter } from './routers/history';
import { invitationRouter } from './routers/invitation';
import { observeRouter } from './routers/observe';
import { phoneRouter } from './routers/phone';
import { scenarioRouter } from './routers/scenario';
import { scenarioBuilderRouter } from './routers/scenario-builder';
import { sessionRouter } from './routers/session';
import { createCallerFactory, createTRPCRouter } from './trpc';

/** The whole API: one router per domain, composed here and nowhere else. */
export const appRouter = createTRPCRouter({
  admin: adminRouter,
  analytics: analyticsRouter,
  assignment: assignmentRouter,
  auth: authRouter,
  document: documentRouter,
  history: historyRouter,
  invitation: invitationRouter,
  observe: observeRouter,
  phone: phoneRouter,
  scenario: scenarioRouter,
  scenarioBuilder: scenarioBuilderRouter,
  session: sessionRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Calls procedures in-process (server components, tests): `createCaller(createTRPCContext(...))`. */
export const createCaller = createCallerFactory(appRouter);
