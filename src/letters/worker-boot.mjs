// Starts a TypeScript worker: worker threads do not inherit tsx's loader, so register it here,
// then import the worker script named in workerData.__script (a file: URL).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.__script);
