import { exportJobView, ExportJob } from './export-job';
import { ExportPacer } from './export-pacer';

const job = (overrides: Partial<ExportJob> = {}): ExportJob => ({
  id: '2026-12-06T14:00:00.000Z-1a2b3c4d',
  ccid: 'cc',
  selection: { kind: 'search', filters: { partition: '/sales' } },
  target: { type: 'webdav', url: 'https://dav.example.com/x/', username: 'rws', password: 'sekret-pw' },
  media: 'stored',
  verify: false,
  state: 'running',
  createdBy: 'ops',
  asOfMs: 0,
  total: 100,
  exported: 20,
  failed: 5,
  bytes: 2_000_000,
  createdAt: '2026-12-06T14:00:00.000Z',
  updatedAt: '2026-12-06T14:00:10.000Z',
  startedAt: '2026-12-06T14:00:00.000Z',
  ...overrides,
});

describe('exportJobView', () => {
  it('never shows the target password, and estimates the rest from the pace so far', () => {
    const view = exportJobView(job(), Date.parse('2026-12-06T14:00:10.000Z'));
    expect(JSON.stringify(view)).not.toContain('sekret-pw');
    expect(view.target).toEqual({ type: 'webdav', url: 'https://dav.example.com/x/', username: 'rws' });
    // 25 settled in 10 s, 75 to go: 30 s.
    expect(view.progress).toEqual({ total: 100, exported: 20, failed: 5, bytes: 2_000_000, remaining: 75, etaSeconds: 30, bytesPerSecond: 200_000 });
  });

  it('has no ETA before the first recording settles, nor once the job ended', () => {
    expect((exportJobView(job({ exported: 0, failed: 0 })).progress as { etaSeconds: unknown }).etaSeconds).toBeNull();
    expect((exportJobView(job({ state: 'finished' })).progress as { etaSeconds: unknown }).etaSeconds).toBeNull();
  });
});

describe('ExportPacer', () => {
  afterEach(() => jest.useRealTimers());

  it('holds the next recording back by the slower of the two limits', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const pacer = new ExportPacer({ recordingsPerSecond: 1_000_000, bytesPerSecond: 1_000 });
    await pacer.spend(50); // first: goes at once; its 50 bytes at 1,000 B/s cost 50 ms
    let released = false;
    const next = pacer.spend(0).then(() => (released = true));
    await jest.advanceTimersByTimeAsync(40);
    expect(released).toBe(false);
    await jest.advanceTimersByTimeAsync(20);
    await next;
    expect(released).toBe(true);
  });
});
