// The unique keys of deliveries and of the parts sent for them. A delivery's key makes a duplicate
// impossible (one alert per publication and channel); a part's key lets a sender find a message it may
// have posted before a crash (Slack: in the message's metadata).
import { channelKey, type ChannelRef } from '../chat/types.ts';

export const alertKey = (publicationId: number, channel: ChannelRef): string => `alert:${publicationId}:${channelKey(channel)}`;

export const pausedNoticeKey = (failedDeliveryId: number): string => `notice:channel-paused:${failedDeliveryId}`;

export const partKey = (deliveryKey: string, part: number): string => `${deliveryKey}#${part}`;
