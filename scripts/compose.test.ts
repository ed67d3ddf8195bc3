import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// compose.yaml, the README's production example, read by a real YAML parser:
// Debian's python3-yaml (the AWS CLI the tests use depends on it). `docker
// compose config` would say more, but the tests do not assume Compose.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown> | string[];
  ports?: string[];
  configs?: { source: string; target: string }[];
}

function loadCompose(): { services: Record<string, Service>; configs: Record<string, { content: string }>; volumes: Record<string, unknown> } {
  const json = execFileSync('/usr/bin/python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', path.join(ROOT, 'compose.yaml')], { encoding: 'utf8' });
  return JSON.parse(json);
}

describe('compose.yaml', () => {
  const compose = loadCompose();
  const berths = Object.entries(compose.services).filter(([, s]) => s.build === '.');

  it('runs PostgreSQL, two Berth instances and a load balancer', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['berth-a', 'berth-b', 'lb', 'postgres']);
    expect(berths.map(([name]) => name)).toEqual(['berth-a', 'berth-b']);
    expect(compose.services.postgres!.image).toMatch(/^postgres:\d+/);
    expect(compose.services.lb!.ports).toEqual(['3000:80']);
  });

  it('gives every instance the same AUTH_SECRET and DATABASE_URL, pointing at the compose PostgreSQL, and its own id', () => {
    for (const [, s] of berths) {
      expect(s.environment?.AUTH_SECRET).toMatch(/^\$\{AUTH_SECRET:\?/);
      expect(s.environment?.DATABASE_URL).toMatch(/^postgres:\/\/berth:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\/berth$/);
      expect(s.environment?.BERTH_TRUSTED_PROXY_HOPS).toBe('1');
      expect(Object.keys(s.depends_on ?? {})).toContain('postgres');
    }
    expect(new Set(berths.map(([, s]) => s.environment?.BERTH_INSTANCE_ID)).size).toBe(2);
    const pg = compose.services.postgres!.environment!;
    expect(pg.POSTGRES_USER).toBe('berth');
    expect(pg.POSTGRES_DB).toBe('berth');
  });

  it('balances over both instances, keeping the port the browser used in Host', () => {
    const nginx = compose.configs.nginx!.content;
    for (const [name] of berths) expect(nginx).toContain(`server ${name}:3000`);
    expect(nginx).toContain('proxy_set_header Host $$http_host;');
    expect(nginx).toContain('proxy_set_header X-Forwarded-For $$proxy_add_x_forwarded_for;');
    expect(compose.services.lb!.configs).toEqual([{ source: 'nginx', target: '/etc/nginx/conf.d/default.conf' }]);
  });
});
