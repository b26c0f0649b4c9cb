import { isAppError, type AppError, type TAppErrorCode } from '@avatar-adam/db';
import { TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { z, ZodError } from 'zod';

/** A Record, so a code added to AppError fails the typecheck here until it is mapped. */
const TRPC_CODE_BY_APP_CODE: Record<TAppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** What a user reads when the error itself carries no message meant for them. */
const DEFAULT_USER_MESSAGES: Partial<Record<TRPC_ERROR_CODE_KEY, string>> = {
  BAD_REQUEST: 'Some of the details sent were not valid. Please check them and try again.',
  PARSE_ERROR: 'Some of the details sent were not valid. Please check them and try again.',
  UNAUTHORIZED: 'Please sign in to continue.',
  FORBIDDEN: 'Your account is not allowed to do that.',
  NOT_FOUND: 'We could not find what you were looking for.',
  CONFLICT: 'That changed in the meantime. Please reload and try again.',
  TOO_MANY_REQUESTS: 'Too many attempts. Please wait a moment and try again.',
  SERVICE_UNAVAILABLE: 'The practice service is temporarily unavailable. Please try again shortly.',
};
const FALLBACK_USER_MESSAGE = 'Something went wrong on our side. Please try again.';

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE_BY_APP_CODE[error.code], message: error.message, cause: error });
}

export function isServerError(code: TRPC_ERROR_CODE_KEY): boolean {
  return code === 'INTERNAL_SERVER_ERROR' || code === 'SERVICE_UNAVAILABLE';
}

/** The message safe to show in the UI for any error a procedure produced. */
export function userMessageOf(error: TRPCError): string {
  const fallback = DEFAULT_USER_MESSAGES[error.code] ?? FALLBACK_USER_MESSAGE;
  if (!isAppError(error.cause)) return fallback;
  // AppError defaults userMessage to the developer message; on server-side failures that text
  // names hosts and internals, so only an explicitly written userMessage is shown there.
  const explicit = error.cause.userMessage !== error.cause.message;
  return explicit || !isServerError(error.code) ? error.cause.userMessage : fallback;
}

/** Field-level input errors for forms, or null when the error is not about input. */
export function flattenedZodErrorOf(error: TRPCError) {
  return error.code === 'BAD_REQUEST' && error.cause instanceof ZodError
    ? z.flattenError(error.cause)
    : null;
}
