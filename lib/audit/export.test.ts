import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, exportStream } from './export';
import type { AuditEvent } from './query';

const event = (over: Partial<AuditEvent> = {}): AuditEvent => ({
  id: 7,
  at: Date.UTC(2026, 11, 1, 12, 0, 0),
  actor: 'ann@example.com',
  role: 'admin',
  action: 's3.bucket.versioning',
  target: 'arn:aws:s3:::site',
  region: 'eu-west-1',
  outcome: 'ok',
  requestId: 'REQ1',
  clientAddress: '10.0.0.1',
  instance: 'host:1',
  detail: null,
  ...over,
});

async function* gen(events: AuditEvent[]) {
  yield* events;
}

async function read(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('defuses what a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes one line per entry with an ISO time', () => {
    expect(csvRow(event({ detail: '{"a":1,"b":2}' }))).toBe('7,2026-12-01T12:00:00.000Z,ann@example.com,admin,s3.bucket.versioning,arn:aws:s3:::site,eu-west-1,ok,REQ1,10.0.0.1,host:1,"{""a"":1,""b"":2}"\r\n');
  });
});

describe('export streams', () => {
  it('CSV: a header, then the entries', async () => {
    const text = await read(exportStream(gen([event({ id: 2 }), event({ id: 1, actor: '=cmd' })]), 'csv'));
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('id,time,person,role,action,resource,region,outcome,request_id,client_address,instance,detail');
    expect(lines[1]!.startsWith('2,')).toBe(true);
    expect(lines[2]).toContain(",'=cmd,");
    expect(lines).toHaveLength(4);
  });

  it('JSON: an array that parses, empty or not, with detail as JSON', async () => {
    expect(JSON.parse(await read(exportStream(gen([]), 'json')))).toEqual([]);
    const many = Array.from({ length: 450 }, (_, i) => event({ id: 450 - i, detail: i === 0 ? '{"bytes":3}' : null }));
    const parsed = JSON.parse(await read(exportStream(gen(many), 'json')));
    expect(parsed).toHaveLength(450);
    expect(parsed[0]).toMatchObject({ id: 450, person: 'ann@example.com', resource: 'arn:aws:s3:::site', requestId: 'REQ1', detail: { bytes: 3 }, time: '2026-12-01T12:00:00.000Z' });
  });
});
