/** An error the user can act on: the CLI prints its message as one line and exits non-zero. */
export class ModelsError extends Error {
  override name = 'ModelsError';
}

/** The host did not answer (DNS, refused, timeout): skip it for the rest of the run. */
export class UnreachableError extends ModelsError {
  override name = 'UnreachableError';
}
