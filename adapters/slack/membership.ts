// Whether the app can post in (and read the history of) a channel, joining public channels when a
// subscription is made there. Private channels need a person to /invite the app.
import type { webApi } from '@slack/bolt';
import { slackErrorCode } from './slack-errors.ts';

type WebClient = InstanceType<typeof webApi.WebClient>;

export type Membership = 'joined' | 'member' | 'cannot-join' | 'unknown';

export async function ensureMember(client: WebClient, channel: string): Promise<Membership> {
  if (/^C/.test(channel)) {
    try {
      await client.conversations.join({ channel });
      return 'joined';
    } catch (error) {
      const code = slackErrorCode(error);
      // private channels cannot be joined; the app may already be a member: its history says
      if (code !== 'method_not_supported_for_channel_type' && code !== 'channel_not_found' && code !== 'missing_scope') return 'unknown';
    }
  }
  try {
    await client.conversations.history({ channel, limit: 1 });
    return 'member';
  } catch (error) {
    const code = slackErrorCode(error);
    return code === 'not_in_channel' || code === 'channel_not_found' ? 'cannot-join' : 'unknown';
  }
}
