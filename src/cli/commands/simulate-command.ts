// `simulate`: the simulated Ofsted site on 127.0.0.1, for trying the product without the internet.
import { runSimulator } from '../../simulator/main.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';

export async function simulateCommand(
  opts: { port: number; realPdfs: boolean; latestReportMovesFor: 'all' | 'inspections'; signal?: AbortSignal },
  io: Output,
): Promise<number> {
  const r = await runSimulator({ ...opts, io });
  return r.ok ? EXIT.OK : EXIT.FAULTS;
}
