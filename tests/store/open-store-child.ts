// A separate process that opens the store (running the migrations) when told to: for the test of several
// instances starting at once on an empty database. Prints "ready", waits for a line on stdin, opens the
// store named by argv[2], prints "opened N" (N: migrations recorded) or "failed MESSAGE", and exits.
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { openStore } from '../../src/store/db.ts';

const url = process.argv[2]!;
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
lines.once('line', async () => {
  lines.close();
  try {
    const store = await openStore(url, { poolSize: 2 });
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM kysely_migration`.execute(store.db);
    await store.close();
    process.stdout.write(`opened ${Number(r.rows[0]!.n)}\n`);
  } catch (error) {
    process.stdout.write(`failed ${(error as Error).message}\n`);
  }
});
