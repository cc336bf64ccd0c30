import { InvalidParameterException } from '../common/errors/rws.exception';
import { parseInsertDocument } from './recording-insert.validation';

const CCID = '18bae11b-0000-4000-8000-000000000001';
const valid = () => ({
  id: '01I6E87G24A6B45KKSC362LAES000781',
  ccid: CCID,
  region: 'usw1',
  callerPhoneNumber: '+16172640431',
  dialedPhoneNumber: '+18489993333',
  eventHistory: [{ occurredAt: '2014-12-16T18:42:41.000+0000', event: 'Joined' }],
  mediaFiles: [{ mediaId: 'callrec.mp3', startTime: '2014-12-16T18:42:41Z', duration: '38.376', size: '153504', parameters: { agentId: 'a1' } }],
});

function messageFor(mutate: (doc: Record<string, unknown>) => void): string {
  const doc: Record<string, unknown> = valid();
  mutate(doc);
  try {
    parseInsertDocument(doc, CCID);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidParameterException);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('parseInsertDocument', () => {
  it('accepts the documented shape, normalising timestamps and keeping strings and unknown fields', () => {
    const doc = parseInsertDocument({ ...valid(), extra: { nested: true } }, CCID);
    expect(doc.mediaFiles[0]).toMatchObject({ startTime: '2014-12-16T18:42:41.000+0000', duration: '38.376', size: '153504' });
    expect(doc.extra).toEqual({ nested: true });
  });

  it('fills ccid from the path when absent', () => {
    const { ccid: _ccid, ...rest } = valid();
    expect(parseInsertDocument(rest, CCID).ccid).toBe(CCID);
  });

  it.each<[string, (d: Record<string, unknown>) => void, string]>([
    ['missing id', (d) => delete d.id, "Parameter 'id' is invalid: is mandatory"],
    ['numeric id', (d) => (d.id = 5), "Parameter 'id' is invalid: must be a string"],
    ['missing region', (d) => delete d.region, "Parameter 'region' is invalid: is mandatory"],
    ['missing caller', (d) => delete d.callerPhoneNumber, "Parameter 'callerPhoneNumber' is invalid: is mandatory"],
    ['missing dialed', (d) => delete d.dialedPhoneNumber, "Parameter 'dialedPhoneNumber' is invalid: is mandatory"],
    ['missing mediaFiles', (d) => delete d.mediaFiles, "Parameter 'mediaFiles' is invalid: is mandatory"],
    ['mediaFiles not array', (d) => (d.mediaFiles = {}), "Parameter 'mediaFiles' is invalid: must be an array"],
    ['missing eventHistory', (d) => delete d.eventHistory, "Parameter 'eventHistory' is invalid: is mandatory"],
    ['missing mediaId', (d) => delete (d.mediaFiles as Record<string, unknown>[])[0].mediaId, "Parameter 'mediaFiles[0].mediaId' is invalid: is mandatory"],
    ['numeric duration', (d) => ((d.mediaFiles as Record<string, unknown>[])[0].duration = 38.376), "Parameter 'mediaFiles[0].duration' is invalid: must be a string"],
    ['bad size', (d) => ((d.mediaFiles as Record<string, unknown>[])[0].size = 'big'), "Parameter 'mediaFiles[0].size' is invalid: must hold"],
    ['bad time', (d) => ((d.mediaFiles as Record<string, unknown>[])[0].startTime = '16/12/2014'), "Parameter 'mediaFiles[0].startTime' is invalid: must be an ISO-8601"],
    ['bad event time', (d) => ((d.eventHistory as Record<string, unknown>[])[0].occurredAt = 12), "Parameter 'eventHistory[0].occurredAt' is invalid"],
    ['numeric ccid', (d) => (d.ccid = 7), "Parameter 'ccid' is invalid: must be a string"],
    ['duplicate mediaId', (d) => (d.mediaFiles = [{ mediaId: 'x' }, { mediaId: 'x' }]), "Parameter 'mediaFiles[1].mediaId' is invalid: duplicates"],
    ['bad agentId', (d) => ((d.mediaFiles as Record<string, unknown>[])[0].parameters = { agentId: 7 }), "Parameter 'mediaFiles[0].parameters.agentId' is invalid: must be a string"],
  ])('%s', (_name, mutate, expected) => {
    expect(messageFor(mutate)).toContain(expected);
  });

  it('drops what the server adds to returned recordings, so a read-back recording can be posted again', () => {
    const doc = valid() as Record<string, unknown>;
    (doc.mediaFiles as Record<string, unknown>[])[0] = { ...(doc.mediaFiles as Record<string, unknown>[])[0], mediaFileId: 'x', mediaUri: 'http://x', mediaPath: '/p', playPath: '/p', originalMediaDescriptor: {} };
    const parsed = parseInsertDocument({ ...doc, screenRecordings: [] }, CCID);
    expect(parsed.mediaFiles[0]).not.toHaveProperty('mediaFileId');
    expect(parsed.mediaFiles[0]).not.toHaveProperty('mediaUri');
    expect(parsed).not.toHaveProperty('screenRecordings');
  });

  it('lets the path name the contact center, keeping a different body ccid as sent', () => {
    const parsed = parseInsertDocument({ ...valid(), ccid: 'Contact-Center-US' }, CCID);
    expect(parsed.ccid).toBe(CCID);
    expect(parsed.postedCcid).toBe('Contact-Center-US');
    expect(parseInsertDocument({ ...valid(), ccid: CCID.toUpperCase() }, CCID)).not.toHaveProperty('postedCcid');
  });

  it('stores a stop before its start as sent', () => {
    const doc = { ...valid(), startTime: '2014-12-16T18:42:41Z', stopTime: '2014-12-16T13:42:40Z' };
    (doc.mediaFiles[0] as Record<string, unknown>).stopTime = '2014-12-16T13:43:19Z';
    const parsed = parseInsertDocument(doc, CCID);
    expect(parsed).toMatchObject({ startTime: '2014-12-16T18:42:41.000+0000', stopTime: '2014-12-16T13:42:40.000+0000' });
    expect(parsed.mediaFiles[0].stopTime).toBe('2014-12-16T13:43:19.000+0000');
  });

  it('refuses a body that is not an object', () => {
    expect(() => parseInsertDocument([1], CCID)).toThrow("Parameter 'body' is invalid");
  });
});
