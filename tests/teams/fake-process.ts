// The fake Bot Connector in a child process, for measurements that must not share the adapter's event
// loop: in one process a burst of posts keeps the loop busy and the fake would note their arrivals late.
// startFakeProcess() forks this file (with tsx) and talks to it over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FakeBotConnector, type FakeConnectorOptions } from '../fakes/fake-bot-connector.ts';

export interface Arrival {
  root: string;
  tenant: string | null;
  at: number;
}

export interface FakeProcess {
  serviceUrl: string;
  /** what arrived, and the fake's counters */
  snapshot(): Promise<{ arrivals: Arrival[]; counters: FakeBotConnector['counters'] }>;
  close(): Promise<void>;
}

type Message = { type: 'ready'; serviceUrl: string } | { type: 'snapshot'; arrivals: Arrival[]; counters: FakeBotConnector['counters'] };

export async function startFakeProcess(opts: FakeConnectorOptions = {}): Promise<FakeProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--fake-connector-child', JSON.stringify(opts)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T extends Message['type']>(type: T) =>
    new Promise<Extract<Message, { type: T }>>((resolve, reject) => {
      const on = (m: Message) => {
        if (m.type !== type) return;
        child.off('message', on);
        resolve(m as Extract<Message, { type: T }>);
      };
      child.on('message', on);
      child.once('error', reject);
    });
  const ready = await next('ready');
  return {
    serviceUrl: ready.serviceUrl,
    async snapshot() {
      const reply = next('snapshot');
      child.send({ type: 'snapshot' });
      const m = await reply;
      return { arrivals: m.arrivals, counters: m.counters };
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'exit' });
      }),
  };
}

async function childMain(): Promise<void> {
  const opts = JSON.parse(process.argv[process.argv.indexOf('--fake-connector-child') + 1] ?? '{}') as FakeConnectorOptions;
  const fake = await FakeBotConnector.start({ ...opts, keepActivities: false });
  const arrivals: Arrival[] = [];
  fake.onAccepted = (a) => arrivals.push({ root: a.root, tenant: a.tenant, at: a.at });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'snapshot') process.send!({ type: 'snapshot', arrivals, counters: fake.counters });
    if (m.type === 'exit') void fake.close().then(() => process.exit(0));
  });
  process.send!({ type: 'ready', serviceUrl: fake.serviceUrl });
}

if (process.argv.includes('--fake-connector-child')) await childMain();
