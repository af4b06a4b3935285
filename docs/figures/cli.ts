/** `npm run docs:figures` rewrites the figure tables; `npm run docs:check` (`--check`) only compares. */
import { checkFigures } from './check.ts';

const problems = checkFigures(!process.argv.includes('--check'));
for (const p of problems) console.error(p);
process.exitCode = problems.length ? 1 : 0;
