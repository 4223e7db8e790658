import { describe, expect, it } from 'vitest';
import { fileIdFromUrl, urnFromProviderUrl } from '../../src/sources/ofsted-links.ts';

describe('fileIdFromUrl', () => {
  it.each([
    ['https://files.ofsted.gov.uk/v1/file/50282475', '50282475'],
    ['https://files.api.ofsted.gov.uk/v1/file/2760660', '2760660'],
    ['http://127.0.0.1:8089/v1/file/60000001', '60000001'],
    ['https://files.ofsted.gov.uk/v1/file/50282475/', '50282475'],
  ])('%s → %s', (url, id) => {
    expect(fileIdFromUrl(url)).toBe(id);
  });

  it.each(['https://reports.ofsted.gov.uk/provider/44/80451', 'https://example.org/file/1', 'not a url'])('%s is not a file link', (url) => {
    expect(fileIdFromUrl(url)).toBeNull();
  });
});

describe('urnFromProviderUrl', () => {
  it('reads the URN from a council page link', () => {
    expect(urnFromProviderUrl('https://reports.ofsted.gov.uk/provider/44/80451')).toBe('80451');
    expect(urnFromProviderUrl('/provider/44/2532287?x=1')).toBe('2532287');
    expect(urnFromProviderUrl('/provider/16/80451')).toBeNull();
  });
});
