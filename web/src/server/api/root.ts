import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { authRouter } from './routers/auth';
import { historyRouter } from './routers/history';
import { invitationRouter } from './routers/invitation';
import { observeRouter } from './routers/observe';
import { phoneRouter } from './routers/phone';
import { scenarioRouter } from './routers/scenario';
import { sessionRouter } from './routers/session';
import { createCallerFactory, createTRPCRouter } from './trpc';

/** The whole API: one router per domain, composed here and nowhere else. */
export const appRouter = createTRPCRouter({
  auth: authRouter,
  history: historyRouter,
  invitation: invitationRouter,
  observe: observeRouter,
  phone: phoneRouter,
  scenario: scenarioRouter,
  session: sessionRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Calls procedures in-process (server components, tests): `createCaller(createTRPCContext(...))`. */
export const createCaller = createCallerFactory(appRouter);
