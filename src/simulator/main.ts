// `ofsted-alerts simulate`: runs the simulated Ofsted site until stopped (Ctrl-C, SIGTERM or the signal),
// and says how to point the product at it and drive it with curl.
import { startSimulatedOfsted, type SimulatorOptions } from './ofsted-site.ts';

export interface RunSimulatorOptions extends SimulatorOptions {
  /** default 8089 */
  port?: number;
  /** stops the simulator when aborted (as well as SIGINT and SIGTERM) */
  signal?: AbortSignal;
  /** where to say what is happening (default: stdout and stderr) */
  io?: { out(line: string): void; err(line: string): void };
}

export type RunSimulatorResult = { ok: true } | { ok: false; message: string };

export const DEFAULT_SIMULATOR_PORT = 8089;

const defaultIo = {
  out: (line: string) => void process.stdout.write(line + '\n'),
  err: (line: string) => void process.stderr.write(line + '\n'),
};

/** Resolves when the simulator has stopped; { ok: false } (with a message for people) when it could not start. */
export async function runSimulator(options: RunSimulatorOptions = {}): Promise<RunSimulatorResult> {
  const { signal, io = defaultIo, ...simOptions } = options;
  const port = options.port ?? DEFAULT_SIMULATOR_PORT;
  let sim;
  try {
    sim = await startSimulatedOfsted({ ...simOptions, port });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message =
      code === 'EADDRINUSE'
        ? `port ${port} is already in use: choose another with --port`
        : `the simulated Ofsted site could not start: ${(error as Error).message}`;
    io.err(message);
    return { ok: false, message };
  }

  const councils = sim.authorities.length;
  const publications = sim.authorities.reduce((n, a) => n + sim.publications(a.urn).length, 0);
  const example = sim.authorities.find((a) => a.urn === '80451') ?? sim.authorities[0];
  io.out(`Simulated Ofsted site at ${sim.url} (${councils} councils, ${publications} publications)`);
  io.out(`  point the product at it:  OFSTED_BASE_URL=${sim.url}`);
  io.out(`  the listing:              ${sim.url}/search?level_1_types=3&level_2_types%5B%5D=12&start=0&rows=100`);
  if (example) {
    io.out(`  publish:  curl -X POST ${sim.url}/__sim/publish -H 'content-type: application/json' -d '{"urn":"${example.urn}","type":"focused-visit","publicationDate":"${new Date().toISOString().slice(0, 10)}"}'`);
  }
  io.out(`  a fault:  curl -X POST ${sim.url}/__sim/fault -H 'content-type: application/json' -d '{"kind":"503","times":2}'`);
  io.out(`  counts:   curl ${sim.url}/__sim/stats     (every endpoint: curl ${sim.url}/__sim)`);
  io.out('Ctrl-C stops it.');

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    if (signal?.aborted) return stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  await sim.close();
  io.out('Simulated Ofsted site stopped.');
  return { ok: true };
}
