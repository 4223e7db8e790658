// Seeds a store for a "busy morning": Slack channels across workspaces subscribed to every council,
// and publications with read letters and their publication.new events, ready for fan-out and the outbox.
// Rows are written as the watcher and the letter pipeline would write them.
import type { Db } from '../../src/store/db.ts';
import type { LetterReadResult, LetterStructure } from '../../src/letters/types.ts';
import { saveLetter } from '../../src/store/letters.ts';
import { createSubscriptions } from '../../src/subscriptions/index.ts';
import type { ChannelRef } from '../../src/chat/types.ts';
import { okLetter } from './fixtures.ts';

const COUNCILS = [
  ['80451', 'Wakefield'], ['80486', 'Barking and Dagenham'], ['80487', 'Barnet'], ['80426', 'Barnsley'],
] as const;

export async function seedChannels(db: Db, workspaces: { teamId: string }[], channelsPerWorkspace: number, now: Date): Promise<ChannelRef[]> {
  const channels: ChannelRef[] = [];
  for (const w of workspaces) {
    for (let c = 0; c < channelsPerWorkspace; c++) {
      const channel: ChannelRef = { platform: 'slack', workspace: w.teamId, channel: `C${w.teamId.slice(1, 6)}${String(c).padStart(4, '0')}` };
      await createSubscriptions(db, { channel, createdBy: 'USEED', targets: [{ target: { kind: 'all' }, name: 'all councils' }], types: [], themes: [], now });
      channels.push(channel);
    }
  }
  return channels;
}

export async function seedPublications(db: Db, count: number, now: Date): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const [urn, name] = COUNCILS[i % COUNCILS.length]!;
    const fileId = `5${String(1000000 + i)}`;
    const date = `2025-03-${String(1 + (i % 28)).padStart(2, '0')}`;
    const iso = now.toISOString();
    const inserted = await db
      .insertInto('publications')
      .values({
        authority_urn: urn, authority_name: name, type: i % 3 === 0 ? 'inspection' : 'focused-visit', title: `Visit ${i} to ${name}`,
        publication_date: date, file_id: fileId, url: `https://files.ofsted.gov.uk/v1/file/${fileId}`, first_seen_at: iso, found_by: 'poll', announced: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = inserted.id;
    ids.push(id);
    const letter = okLetter();
    const structure: LetterStructure = {
      type: 'focused-visit', authority: name, letterDate: date, visitDates: letter.visitDates, inspectors: ['An Inspector'],
      sections: [{ id: 'headline', heading: 'Headline findings', text: letter.summary.overview.join(' ') }],
      improvements: letter.summary.improvements.map((p) => p.text), judgements: letter.judgements,
    };
    const result: LetterReadResult = { ok: true, pages: 6, text: letter.summary.overview.join('\n'), structure, sentences: [], summary: letter.summary };
    await saveLetter(db, { id, file_id: fileId, authority_name: name, title: `Visit ${i}` }, result, now);
    await db
      .insertInto('events')
      .values({
        kind: 'publication.new', dedupe_key: `new:${id}`, publication_id: id, created_at: iso,
        payload: JSON.stringify({ publicationId: id, authority: name, urn, gss: null, type: 'focused-visit', title: `Visit ${i}`, publicationDate: date, url: `https://files.ofsted.gov.uk/v1/file/${fileId}`, fileId }),
      })
      .execute();
  }
  return ids;
}
