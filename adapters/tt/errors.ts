/** A request TT answered with a failure, or that got no usable answer. The message names method, path and status only. */
export class TtRequestError extends Error {
  override readonly name = 'TtRequestError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}
