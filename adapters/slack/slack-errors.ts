// Slack Web API failures → the outbox's SendResult: rate-limited (with Retry-After), permanent (the
// channel or workspace cannot be reached until a person acts; the subscription pauses with the reason),
// or transient (anything else: network, timeouts, 5xx, unknown errors).
import { webApi } from '@slack/bolt';
import type { SendResult } from '../../src/chat/types.ts';

/** Errors after which sending again cannot succeed until someone acts, with words for the reason. */
export const PERMANENT_ERRORS: Record<string, string> = {
  channel_not_found: 'the channel was deleted, or it is private and the app was not invited to it',
  is_archived: 'the channel is archived',
  not_in_channel: 'the app is not a member of the channel: invite it with /invite @Ofsted Alerts',
  account_inactive: "the app's token for this workspace is inactive (the app was removed or the installer deactivated)",
  token_revoked: "the app's token for this workspace was revoked",
  invalid_auth: "the app's token for this workspace is not valid (reinstall the app)",
  not_authed: 'no token was sent for this workspace',
  no_permission: 'the app has no permission to post in this channel',
  missing_scope: 'the app lacks a permission (scope) it needs: reinstall it to grant chat:write',
  restricted_action: "the workspace's settings do not let the app post in this channel",
  team_access_not_granted: 'the app has not been granted access to this workspace',
  ekm_access_denied: "the workspace's key management denied access",
  not_installed: 'the app is not installed in this workspace',
};

/** Errors that mean the token itself is bad: worth one retry with a freshly read token. */
export const AUTH_ERRORS = new Set(['account_inactive', 'token_revoked', 'invalid_auth', 'not_authed']);

/** Errors that mean our blocks were refused: sent again as plain text. */
export const BLOCK_ERRORS = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_blocks_too_long', 'msg_too_long', 'invalid_attachments']);

export function permanent(code: string): Extract<SendResult, { kind: 'permanent' }> {
  return { ok: false, kind: 'permanent', code, message: `${code}: ${PERMANENT_ERRORS[code] ?? 'Slack refused the message'}` };
}

/** The Slack error code of a Web API failure, if it has one ("channel_not_found"). */
export function slackErrorCode(error: unknown): string | null {
  if (error instanceof webApi.WebAPIPlatformError) return error.data.error;
  return null;
}

export function mapSlackError(error: unknown): Extract<SendResult, { ok: false }> {
  if (error instanceof webApi.WebAPIRateLimitedError) {
    const ms = Math.max(1, error.retryAfter) * 1000;
    return { ok: false, kind: 'rate-limited', retryAfterMs: ms, message: `ratelimited: Slack asked to wait ${error.retryAfter} s` };
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    if (code === 'ratelimited' || code === 'rate_limited') {
      const after = Number(error.data.response_metadata?.retryAfter ?? 1);
      return { ok: false, kind: 'rate-limited', retryAfterMs: Math.max(1, after) * 1000, message: `${code}: Slack asked to wait ${after} s` };
    }
    if (code in PERMANENT_ERRORS) return permanent(code);
    return { ok: false, kind: 'transient', message: `Slack error ${code}` };
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    return { ok: false, kind: 'transient', message: `Slack answered HTTP ${error.statusCode} ${error.statusMessage}` };
  }
  if (error instanceof webApi.WebAPIRequestError) {
    return { ok: false, kind: 'transient', message: `request to Slack failed: ${error.original?.message ?? error.message}` };
  }
  return { ok: false, kind: 'transient', message: `sending to Slack failed: ${error instanceof Error ? error.message : String(error)}` };
}
