// The messages between a WorkerPool and its workers, and the worker side of the protocol.
import { parentPort } from 'node:worker_threads';

export interface TaskMessage<Req> {
  id: number;
  payload: Req;
}

export type ReplyMessage<Res> = { id: number; ok: true; value: Res } | { id: number; ok: false; error: string };

/** Serves tasks in a worker thread: each message is handled and answered; a thrown error becomes an error reply. */
export function serveTasks<Req, Res>(handle: (payload: Req) => Promise<Res> | Res): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks() must run in a worker thread');
  port.on('message', async (msg: TaskMessage<Req>) => {
    let reply: ReplyMessage<Res>;
    try {
      reply = { id: msg.id, ok: true, value: await handle(msg.payload) };
    } catch (err) {
      reply = { id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
  });
}
