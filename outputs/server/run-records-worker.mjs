// Worker-thread entry of a server run: plain JavaScript so it loads anywhere (the CLI, vitest),
// then registers tsx and runs the TypeScript engine (run-records-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./run-records-worker.ts');
