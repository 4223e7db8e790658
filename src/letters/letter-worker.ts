// Worker thread: reads letters (extract -> clean -> parse -> classify -> summarise) for the pool.
import { runLetterPipeline, type LetterPipelineRequest } from './letter-pipeline.ts';
import type { LetterReadResult } from './types.ts';
import { serveTasks } from './worker-protocol.ts';

serveTasks<LetterPipelineRequest, LetterReadResult>((req) => runLetterPipeline(req));
