/**
 * One event handler that calls each given handler in turn (`undefined` ones skipped), so a tool
 * tracer and the application's own handler both see every event:
 * `executeBatch(batch, tools, { onEvent: composeEvents(tracer, log) })`. Every handler is called
 * even when one throws; the first exception is thrown again after the last handler ran (the
 * executor swallows it, as it would the handler's own).
 */
export function composeEvents<E>(
  ...handlers: readonly (((event: E) => void) | undefined)[]
): (event: E) => void {
  return (event) => {
    let failure: { error: unknown } | undefined;
    for (const handler of handlers) {
      try {
        handler?.(event);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  };
}
