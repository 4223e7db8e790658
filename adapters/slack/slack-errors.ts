// Slack Web API failures → the outbox's SendResult: rate-limited (with Retry-After), permanent (the
// channel or workspace cannot be reached until a person acts; the subscription pauses with the reason),
// or transient (anything else: network, timeouts, 5xx, unknown errors).
import { webApi } from '@slack/bolt';
import type { SendResult } from '../../src/chat/types.ts';
import type { PostOutcome } from './post-message.ts';

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

/** A failed chat.postMessage of the outbox's poster (post-message.ts) → SendResult. */
export function mapPostFailure(f: Exclude<PostOutcome, { ok: true }>): Extract<SendResult, { ok: false }> {
  switch (f.kind) {
    case 'rate-limited':
      return { ok: false, kind: 'rate-limited', retryAfterMs: Math.max(1, f.retryAfterS) * 1000, message: `${f.code}: Slack asked to wait ${f.retryAfterS} s` };
    case 'slack-error':
      return f.code in PERMANENT_ERRORS ? permanent(f.code) : { ok: false, kind: 'transient', message: `Slack error ${f.code}` };
    case 'http':
      return { ok: false, kind: 'transient', message: `Slack answered HTTP ${f.status}` };
    case 'request':
      return { ok: false, kind: 'transient', message: `request to Slack failed: ${f.message}` };
  }
}
