/** Every error body the API returns. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    /** With `QW_INVALID_STATE`: the state the job (or queue) is in. */
    readonly state?: string;
  };
}
