// The Block Kit elements this adapter uses, as plain data, with small builders. Only what we render:
// header, section (text, fields, one accessory button), context, actions (buttons), divider.
export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}
export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}
export type TextObject = PlainText | Mrkdwn;

export interface ConfirmDialog {
  title: PlainText;
  text: PlainText | Mrkdwn;
  confirm: PlainText;
  deny: PlainText;
  style?: 'primary' | 'danger';
}

export interface Button {
  type: 'button';
  text: PlainText;
  action_id: string;
  url?: string;
  value?: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmDialog;
}

export interface HeaderBlock {
  type: 'header';
  text: PlainText;
}
export interface SectionBlock {
  type: 'section';
  text?: Mrkdwn | PlainText;
  fields?: (Mrkdwn | PlainText)[];
  accessory?: Button;
  block_id?: string;
}
export interface ContextBlock {
  type: 'context';
  elements: (Mrkdwn | PlainText)[];
}
export interface ActionsBlock {
  type: 'actions';
  block_id?: string;
  elements: Button[];
}
export interface DividerBlock {
  type: 'divider';
}
export type Block = HeaderBlock | SectionBlock | ContextBlock | ActionsBlock | DividerBlock;

/** A message ready for chat.postMessage / response_url: notification text plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export const plain = (text: string): PlainText => ({ type: 'plain_text', text, emoji: true });
export const mrkdwn = (text: string): Mrkdwn => ({ type: 'mrkdwn', text });
export const header = (text: string): HeaderBlock => ({ type: 'header', text: plain(text) });
export const section = (text: string): SectionBlock => ({ type: 'section', text: mrkdwn(text) });
export const fieldsSection = (fields: string[]): SectionBlock => ({ type: 'section', fields: fields.map(mrkdwn) });
export const context = (...texts: string[]): ContextBlock => ({ type: 'context', elements: texts.map(mrkdwn) });
export const divider = (): DividerBlock => ({ type: 'divider' });
export const actions = (elements: Button[], blockId?: string): ActionsBlock => ({ type: 'actions', elements, ...(blockId ? { block_id: blockId } : {}) });
export const linkButton = (text: string, url: string, actionId: string): Button => ({ type: 'button', text: plain(text), url, action_id: actionId });
