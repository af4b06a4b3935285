// Worker-thread entry of the sweep pool: module hooks registered on the main thread do not reach
// worker threads, so register tsx here, then load the TypeScript task.
import { register } from 'tsx/esm/api';

register();
const { runSweepTask } = await import('./worker.ts');

export default runSweepTask;
