// Worker-thread entry of the inference pool: module hooks registered on the main thread do not
// reach worker threads, so register tsx here, then load the TypeScript loop.
import { register } from 'tsx/esm/api';

register();
await import('./inference-worker.ts');
