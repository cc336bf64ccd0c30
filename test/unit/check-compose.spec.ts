import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeProblems, interpolate, MissingVariableError } from '../../scripts/check-compose';

const ROOT = join(__dirname, '..', '..');
const FILLED = {
  RWS_OPS_USERNAME: 'ops',
  RWS_OPS_PASSWORD: 'a-long-secret',
  WEBDAV_PASSWORD: 'another-secret',
  RWS_AUTH_SECRET: 'x'.repeat(40),
  RWS_PAGE_TOKEN_KEY: 'y'.repeat(40),
  RWS_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
  RWS_INITIAL_CONTACT_CENTER: 'Boston',
};

describe('docker-compose.yml, checked as `docker compose config` would', () => {
  it('interpolates as compose does', () => {
    expect(interpolate('${A:-x} ${B-y} ${C} $$D ${E:-}', { A: '', B: '', C: 'c' })).toBe('x  c $D ');
    expect(() => interpolate('${P:?set P}', {})).toThrow(new MissingVariableError('required variable P is missing a value: set P'));
    expect(() => interpolate('${P:?set P}', { P: '' })).toThrow(MissingVariableError);
    expect(interpolate('${P?set P}', { P: '' })).toBe('');
  });

  it('is valid once the secrets of .env.example are set, and refuses to start without them', () => {
    const source = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    expect(composeProblems(source, FILLED)).toEqual([]);
    expect(composeProblems(source, { ...FILLED, RWS_OPS_PASSWORD: '' })).toEqual([expect.stringMatching(/required variable RWS_OPS_PASSWORD is missing a value/)]);
  });

  it('reports a schema violation, a service without a health check and a default password', () => {
    const bad = 'services:\n  rws:\n    image: rws\n    ports: 8080\n    environment:\n      RWS_OPS_PASSWORD: ${RWS_OPS_PASSWORD:-change-me}\n';
    const problems = composeProblems(bad, {});
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/change-me/), expect.stringMatching(/^schema: \/services\/rws\/ports /), 'service rws has no healthcheck']));
  });
});
