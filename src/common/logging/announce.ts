/**
 * A line for the person at the console (where the service listens, where the simulator's control surface
 * is, that it stopped), written to stderr so that stdout stays one JSON object per line for log shippers.
 */
export function announce(line: string): void {
  process.stderr.write(`${line}\n`);
}
