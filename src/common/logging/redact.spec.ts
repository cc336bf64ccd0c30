import { JsonLogger } from './json-logger';
import { redact } from './redact';

describe('redact', () => {
  it('masks secret-looking keys at any depth and strips URL credentials', () => {
    const out = redact({
      user: 'alice',
      password: 'hunter2',
      nested: { Authorization: 'Basic abc', webdav: { url: 'http://u:p4ss@dav.local/rec' } },
      list: [{ refresh_token: 'r' }],
    });
    expect(JSON.stringify(out)).not.toMatch(/hunter2|Basic abc|p4ss|"r"/);
    expect(out).toMatchObject({ user: 'alice', nested: { webdav: { url: 'http://***@dav.local/rec' } } });
  });
});

describe('JsonLogger', () => {
  it('writes one JSON object per line without secrets', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('info', (l) => lines.push(l));
    logger.log({ msg: 'login', password: 'hunter2' }, 'Auth');
    logger.debug('hidden at info level');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: 'info', context: 'Auth', msg: 'login', password: '***' });
  });
});
