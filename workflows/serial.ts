/**
 * Runs async sections one at a time, in call order. Update and signal handlers that change state and then
 * write the read model go through it, so projections land in the order the changes were made.
 */
export function serial(): <T>(section: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(section: () => Promise<T>): Promise<T> => {
    const run = tail.then(section);
    tail = run.catch(() => undefined);
    return run;
  };
}
