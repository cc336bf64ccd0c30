import { parseSearchParams } from './search-params';

describe('parseSearchParams', () => {
  it('parses every filter', () => {
    const p = parseSearchParams({
      callerPhoneNumber: '+1617*',
      dialedPhoneNumber: '*555*',
      startTime: '2020-01-01T00:00:00Z',
      endTime: '2020-01-02T00:00:00.000+0000',
      agentId: 'a1',
      userName: 'u',
      callType: 'Inbound',
      partition: '/sales',
      label: 'l',
      callUuid: 'C',
      connId: '0071',
      limit: '37',
    });
    expect(p.filters).toMatchObject({ fromMs: Date.UTC(2020, 0, 1), toMs: Date.UTC(2020, 0, 2), agentId: 'a1', callUuid: 'C', connId: '0071' });
    expect(p.filters.caller?.prefix).toBe('1617');
    expect(p.canonical.callerPhoneNumber).toBe('1617*');
    expect(p.limit).toBe(37);
  });

  it.each<[Record<string, unknown>, string]>([
    [{}, "Parameter 'filter' is invalid: at least one search filter is required"],
    [{ limit: '10' }, "Parameter 'filter' is invalid"],
    [{ agentId: 'a', limit: '0' }, "Parameter 'limit' is invalid"],
    [{ agentId: 'a', limit: '1001' }, "Parameter 'limit' is invalid"],
    [{ agentId: 'a', limit: '5x' }, "Parameter 'limit' is invalid"],
    [{ startTime: 'yesterday' }, "Parameter 'startTime' is invalid"],
    [{ startTime: '2020-01-02T00:00:00Z', endTime: '2020-01-01T00:00:00Z' }, "Parameter 'endTime' is invalid: is before startTime"],
    [{ agentId: ['a', 'b'] }, "Parameter 'agentId' is invalid: must be given once"],
    [{ callerPhoneNumber: '+-' }, "Parameter 'callerPhoneNumber' is invalid"],
  ])('refuses %p', (query, message) => {
    expect(() => parseSearchParams(query)).toThrow(message);
  });

  it('defaults the page size to 100', () => {
    expect(parseSearchParams({ agentId: 'a' }).limit).toBe(100);
  });
});
