// The outbox's proactive poster (direct-post.ts) against the fake Bot Connector: the request is signed by
// the credentials of the connector client botbuilder makes for the service URL (here a stand-in that
// sets a bearer token, as AppCredentials does), the activity carries what the conversation reference
// sets, a reply in a thread goes to …/activities/{id}, failures come back as the Azure pipeline's do, and
// without credentials to sign with it falls back to the turn-based poster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationReference, TurnContext } from 'botbuilder';
import { directPoster, type ContinuingAdapter } from '../../adapters/teams/direct-post.ts';
import { referenceFor } from '../../adapters/teams/conversation.ts';
import { renderAlertParts } from '../../adapters/teams/render/render-alert.ts';
import { describeFailure } from '../../adapters/teams/teams-errors.ts';
import { FakeBotConnector } from '../fakes/fake-bot-connector.ts';
import { teamsConversation, wakefieldAlert } from './fixtures.ts';
import { TENANT_A } from './teams-harness.ts';

const TOKEN = 'token-from-the-credentials';
const CHANNEL = '19:direct@thread.tacv2';

/** A stand-in for CloudAdapter: one proactive turn whose connector client has the given credentials. */
function adapterWith(credentials: unknown): ContinuingAdapter & { turns: number } {
  const key = Symbol('ConnectorClient');
  const adapter = {
    ConnectorClientKey: key,
    turns: 0,
    async continueConversationAsync(_appId: string, _reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) {
      adapter.turns++;
      await logic({ turnState: new Map([[key, { credentials }]]) } as unknown as TurnContext);
    },
  };
  return adapter;
}

const bearer = { signRequest: async (r: { headers: { set(n: string, v: string): void } }) => (r.headers.set('Authorization', `Bearer ${TOKEN}`), r) };

describe('direct proactive poster', () => {
  let fake: FakeBotConnector;
  beforeAll(async () => {
    fake = await FakeBotConnector.start({ requireToken: TOKEN });
  });
  afterAll(async () => fake.close());

  it('signs with the connector client’s credentials and posts what TurnContext would, a thread reply to its message', async () => {
    const adapter = adapterWith(bearer);
    const fallback = async () => {
      throw new Error('the fallback must not be used');
    };
    const post = directPoster(adapter, 'app-id', fallback);
    const conversation = teamsConversation(fake.serviceUrl, TENANT_A, CHANNEL, '19:team@thread.tacv2');
    const [part] = renderAlertParts(wakefieldAlert());
    const before = fake.activities.length;
    const id = await post(referenceFor(conversation, null), part!.activity);
    expect(id).toEqual(expect.any(String));
    const reply = await post(referenceFor(conversation, id), part!.activity);
    expect(reply).toEqual(expect.any(String));
    const [a, b] = fake.activities.slice(before);
    expect(a).toMatchObject({ conversationId: CHANNEL, replyToId: null, tenant: TENANT_A, authorization: `Bearer ${TOKEN}` });
    expect(a!.activity).toMatchObject({ type: 'message', channelId: 'msteams', serviceUrl: fake.serviceUrl, conversation: { id: CHANNEL, tenantId: TENANT_A }, from: conversation.reference.bot });
    expect((a!.activity as { attachments: unknown[] }).attachments).toEqual(part!.activity.attachments);
    expect(b).toMatchObject({ root: CHANNEL, conversationId: `${CHANNEL};messageid=${id}`, replyToId: id, threadId: id });
    expect((b!.activity as { replyToId?: string }).replyToId).toBe(id);
    expect(adapter.turns).toBe(1); // one turn per service URL, for its credentials; none per post
    await post.close();
  });

  it('a refusal is thrown as the Azure pipeline throws it: status, headers, body', async () => {
    const post = directPoster(adapterWith(bearer), 'app-id', async () => null);
    const conversation = teamsConversation(fake.serviceUrl, TENANT_A, '19:throttled@thread.tacv2', null);
    fake.failConversation('19:throttled@thread.tacv2', { status: 429, retryAfterS: 3, code: 'TooManyRequests' }, 1);
    const error = await post(referenceFor(conversation, null), renderAlertParts(wakefieldAlert())[0]!.activity).then(
      () => null,
      (e: unknown) => e,
    );
    expect(describeFailure(error, Date.now())).toMatchObject({ status: 429, code: 'TooManyRequests', retryAfterMs: 3000 });
    const unsigned = directPoster(adapterWith({ signRequest: async (r: unknown) => r }), 'app-id', async () => null);
    const refused = await unsigned(referenceFor(conversation, null), renderAlertParts(wakefieldAlert())[0]!.activity).catch((e: unknown) => e);
    expect(describeFailure(refused, Date.now())).toMatchObject({ status: 401, code: 'Unauthorized' });
    await Promise.all([post.close(), unsigned.close()]);
  });

  it('without credentials to sign with, posts through the turn-based poster', async () => {
    const calls: unknown[] = [];
    const post = directPoster(adapterWith(undefined), 'app-id', async (reference) => {
      calls.push(reference);
      return 'from-the-fallback';
    });
    const conversation = teamsConversation(fake.serviceUrl, TENANT_A, CHANNEL, null);
    expect(await post(referenceFor(conversation, null), renderAlertParts(wakefieldAlert())[0]!.activity)).toBe('from-the-fallback');
    expect(calls).toHaveLength(1);
    await post.close();
  });
});
