// Regenerates src/authorities/local-authorities.json from the shared CSV, the hand-kept alias table
// (src/authorities/aliases.json) and the hand-kept corrections (src/authorities/corrections.json).
//
//   node bin/run-ts.js scripts/import-authorities.ts [--csv PATH] [--check]
//
// --csv    the CSV to read (default: ../shared/data/local-authorities.csv beside the checkout)
// --check  write nothing; exit 1 when the JSON file is not what the inputs give (for CI)
//
// Exit codes: 0 done (or up to date), 1 --check found a difference, 2 bad arguments or rejected data.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import {
  AliasTableSchema,
  AuthorityDataError,
  CorrectionsSchema,
  buildAuthorities,
  parseCsv,
  serialiseAuthorities,
} from '../src/authorities/build.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = resolve(root, 'src/authorities');
const out = resolve(dir, 'local-authorities.json');

function usage(message: string): never {
  console.error(`${message}\nusage: node bin/run-ts.js scripts/import-authorities.ts [--csv PATH] [--check]`);
  process.exit(2);
}

let csvPath = resolve(root, '../shared/data/local-authorities.csv');
let check = false;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--check') check = true;
  else if (arg === '--csv') {
    const next = args[++i];
    if (!next) usage('--csv needs a path');
    csvPath = resolve(next);
  } else if (arg === '--help' || arg === '-h') usage('Regenerates src/authorities/local-authorities.json.');
  else usage(`unknown argument: ${arg}`);
}
if (!existsSync(csvPath)) usage(`no CSV at ${csvPath}`);

try {
  const rows = parseCsv(readFileSync(csvPath, 'utf8'));
  const aliases = AliasTableSchema.parse(JSON.parse(readFileSync(resolve(dir, 'aliases.json'), 'utf8')));
  const corrections = CorrectionsSchema.parse(JSON.parse(readFileSync(resolve(dir, 'corrections.json'), 'utf8')));
  const { authorities, warnings, applied } = buildAuthorities(rows, aliases, corrections);
  const text = serialiseAuthorities(authorities);
  for (const line of applied) console.log(`corrected: ${line}`);
  for (const line of warnings) console.log(`note: ${line}`);
  const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
  if (check) {
    if (current !== text) {
      console.error(`${out} is out of date: run node bin/run-ts.js scripts/import-authorities.ts`);
      process.exit(1);
    }
    console.log(`${out} is up to date (${authorities.length} councils)`);
  } else {
    if (current !== text) writeFileSync(out, text);
    const withAliases = authorities.filter((a) => a.aliases.length > 0).length;
    console.log(`${current === text ? 'unchanged' : 'wrote'} ${out}: ${authorities.length} councils, ${withAliases} with aliases`);
  }
} catch (err) {
  if (err instanceof AuthorityDataError) console.error(err.message);
  else console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
}
