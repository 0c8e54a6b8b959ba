import type { CommandResult } from '../../application/console/console-commands.js';
import { ApiError } from './api-error.js';

/** A command's value, or its refusal thrown as the API error of the same code. */
export function commandValue<T>(result: CommandResult<T>): T {
  if (result.ok) return result.value;
  const refusal = result.refusal;
  throw new ApiError(
    refusal.code,
    refusal.message,
    refusal.code === 'QW_INVALID_STATE' ? refusal.state : undefined,
  );
}
