/** The one error type of the product. `userMessage` is safe to show a user (or say to a caller). */
export type TAppErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export class AppError extends Error {
  readonly code: TAppErrorCode;
  readonly userMessage: string;

  constructor(
    code: TAppErrorCode,
    opts: { message: string; userMessage?: string; cause?: unknown },
  ) {
    super(opts.message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessage = opts.userMessage ?? opts.message;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
