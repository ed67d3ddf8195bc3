import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { NormalizedSchema } from '@smithy/core/schema';
import type { OperationModel } from './model';
import { TS_HTTP_DATE, readJson, readXml, writeJson, writeXml } from './serde';

/**
 * HTTP bindings of the REST protocols (REST-XML, REST-JSON), read off each
 * member's traits: `httpLabel`, `httpQuery`, `httpQueryParams`,
 * `httpHeader`, `httpPrefixHeaders`, `httpPayload` and
 * `httpResponseCode`. See https://smithy.io/2.0/spec/http-bindings.html.
 */

export type DocumentFormat = 'xml' | 'json';

export interface RestRequestParts {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The raw request, for a streaming payload. */
  stream?: Readable;
}

/**
 * A query parameter or path label whose text does not fit its model type
 * (`max-keys=abc`). REST services answer these with their own
 * InvalidArgument, naming the parameter, rather than a malformed body.
 */
export class ParameterError extends Error {
  constructor(
    readonly name: string,
    readonly value: string,
    message: string,
  ) {
    super(message);
  }
}

const NOT_PARSED = Symbol('not parsed');

function scalarFromText(schema: NormalizedSchema, raw: string, where: 'header' | 'query' | 'label'): unknown {
  if (schema.isBooleanSchema()) {
    if (raw !== 'true' && raw !== 'false') return NOT_PARSED;
    return raw === 'true';
  }
  if (schema.isNumericSchema() || schema.isBigIntegerSchema() || schema.isBigDecimalSchema()) {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) return NOT_PARSED;
    return n;
  }
  if (schema.isTimestampSchema()) {
    const fmt = schema.getMergedTraits().timestampFormat;
    const d =
      fmt === 'epoch-seconds' || (fmt === undefined && where !== 'header' && /^\d+(\.\d+)?$/.test(raw))
        ? new Date(Number(raw) * 1000)
        : new Date(raw);
    if (Number.isNaN(d.getTime())) return NOT_PARSED;
    return d;
  }
  if (schema.isBlobSchema()) return new Uint8Array(Buffer.from(raw, 'base64'));
  return raw;
}

/** A query or label value: one that does not parse is refused, naming the parameter. */
function strictValue(schema: NormalizedSchema, raw: string, where: 'query' | 'label', name: string): unknown {
  const v = scalarFromText(schema, raw, where);
  if (v !== NOT_PARSED) return v;
  const kind = schema.isNumericSchema() || schema.isBigIntegerSchema() ? 'an integer or within integer range' : schema.isBooleanSchema() ? 'a boolean' : 'a valid date';
  throw new ParameterError(name, raw, `Provided ${name} not ${kind}`);
}

/**
 * A header value: one that does not parse is left out, as HTTP treats an
 * invalid conditional header (an If-Modified-Since that is not a date is
 * ignored); the provider can still read the raw header.
 */
function lenientValue(schema: NormalizedSchema, raw: string): unknown {
  const v = scalarFromText(schema, raw, 'header');
  return v === NOT_PARSED ? undefined : v;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Builds an operation's input from a REST request. */
export async function readRestInput(op: OperationModel, req: RestRequestParts, format: DocumentFormat): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = {};
  const schema = op.input;
  if (!schema.isStructSchema()) return input;
  const b = op.bindings;

  for (const name of b.labels) {
    const raw = req.params[name];
    if (raw !== undefined) input[name] = strictValue(schema.getMemberSchema(name), raw, 'label', name);
  }
  const boundQueryKeys = new Set<string>();
  for (const [name, key] of b.query) {
    boundQueryKeys.add(key);
    const member = schema.getMemberSchema(name);
    if (member.isListSchema()) {
      const all = req.query.getAll(key);
      if (all.length > 0) input[name] = all.map((v) => strictValue(member.getValueSchema(), v, 'query', key));
    } else {
      const raw = req.query.get(key);
      if (raw !== null) input[name] = strictValue(member, raw, 'query', key);
    }
  }
  if (b.queryParams) {
    const map: Record<string, string | string[]> = {};
    const valueIsList = schema.getMemberSchema(b.queryParams).getValueSchema().isListSchema();
    for (const key of new Set(req.query.keys())) {
      if (boundQueryKeys.has(key)) continue;
      map[key] = valueIsList ? req.query.getAll(key) : (req.query.get(key) ?? '');
    }
    input[b.queryParams] = map;
  }
  for (const [name, header] of b.headers) {
    const raw = headerValue(req.headers, header);
    if (raw === undefined) continue;
    const member = schema.getMemberSchema(name);
    if (member.isListSchema()) {
      const itemSchema = member.getValueSchema();
      // An http-date contains a comma of its own; split those in pairs.
      const parts = itemSchema.isTimestampSchema() && itemSchema.getMergedTraits().timestampFormat === undefined
        ? (raw.match(/[^,]+,[^,]+/g) ?? [])
        : raw.split(',');
      const items = parts.map((p) => lenientValue(itemSchema, p.trim())).filter((v) => v !== undefined);
      if (items.length > 0) input[name] = items;
    } else {
      const v = lenientValue(member, raw);
      if (v !== undefined) input[name] = v;
    }
  }
  for (const [name, prefix] of b.prefixHeaders) {
    const map: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (k.startsWith(prefix) && v !== undefined) map[k.slice(prefix.length)] = Array.isArray(v) ? v.join(', ') : v;
    }
    if (Object.keys(map).length > 0) input[name] = map;
  }

  if (b.payload) {
    const member = schema.getMemberSchema(b.payload);
    if (member.isBlobSchema()) {
      input[b.payload] = member.isStreaming() ? (req.stream ?? Readable.from(req.body)) : new Uint8Array(req.body);
    } else if (member.isStringSchema()) {
      if (req.body.length > 0) input[b.payload] = req.body.toString('utf8');
    } else if (req.body.length > 0) {
      const text = req.body.toString('utf8');
      input[b.payload] = format === 'xml' ? readXml(member, text) : await readJson(member, text, true);
    }
    return input;
  }

  const bodyMembers = [...schema.structIterator()].filter(([, m]) => isBodyMember(m));
  if (bodyMembers.length > 0 && req.body.length > 0) {
    const text = req.body.toString('utf8');
    const doc = format === 'xml' ? readXml(schema, text) : await readJson(schema, text, true);
    for (const [name] of bodyMembers) if (doc[name] !== undefined) input[name] = doc[name];
  }
  return input;
}

function isBodyMember(m: NormalizedSchema): boolean {
  const t = m.getMergedTraits();
  return !(
    t.httpLabel ||
    t.httpQuery !== undefined ||
    t.httpQueryParams ||
    t.httpHeader !== undefined ||
    t.httpPrefixHeaders !== undefined ||
    t.httpPayload ||
    t.httpResponseCode
  );
}

function headerText(schema: NormalizedSchema, value: unknown): string {
  if (value instanceof Date) {
    const fmt = schema.getMergedTraits().timestampFormat;
    if (fmt === 'epoch-seconds') return String(value.getTime() / 1000);
    if (fmt === 'date-time') return value.toISOString().replace(/\.000Z$/, 'Z');
    return value.toUTCString();
  }
  if (Array.isArray(value)) return value.map((v) => headerText(schema.getValueSchema(), v)).join(', ');
  return String(value);
}

export interface RestOutput {
  status: number;
  headers: Record<string, string>;
  body?: string | Buffer | Readable;
}

/** Writes an operation's output as a REST response. */
export function writeRestOutput(op: OperationModel, output: Record<string, unknown>, format: DocumentFormat, xmlNamespace: string): RestOutput {
  const schema = op.output;
  const res: RestOutput = { status: op.http?.code ?? 200, headers: {} };
  if (!schema.isStructSchema()) return res;
  let payloadName: string | undefined;
  const body: Record<string, unknown> = {};
  let hasBodyMembers = false;
  for (const [name, member] of schema.structIterator()) {
    const t = member.getMergedTraits();
    const value = output[name];
    if (t.httpPayload) {
      payloadName = name;
      continue;
    }
    if (t.httpResponseCode) {
      if (typeof value === 'number') res.status = value;
      continue;
    }
    if (typeof t.httpHeader === 'string') {
      if (value !== undefined && value !== null) res.headers[t.httpHeader] = headerText(member, value);
      continue;
    }
    if (typeof t.httpPrefixHeaders === 'string') {
      if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) res.headers[`${t.httpPrefixHeaders}${k}`] = String(v);
      }
      continue;
    }
    hasBodyMembers = true;
    if (value !== undefined) body[name] = value;
  }

  if (payloadName !== undefined) {
    const member = schema.getMemberSchema(payloadName);
    const value = output[payloadName];
    if (value === undefined || value === null) return res;
    if (member.isBlobSchema() || member.isStringSchema()) {
      if (value instanceof Readable || typeof value === 'string' || Buffer.isBuffer(value)) res.body = value;
      else if (value instanceof Uint8Array) res.body = Buffer.from(value);
      else res.body = String(value);
      return res;
    }
    res.body = format === 'xml' ? withDeclaration(writeXml(member, value, xmlNamespace)) : writeJson(member, value, true);
    res.headers['Content-Type'] = format === 'xml' ? 'application/xml' : 'application/json';
    return res;
  }
  if (hasBodyMembers) {
    res.body = format === 'xml' ? withDeclaration(writeXml(schema, body, xmlNamespace)) : writeJson(schema, body, true);
    res.headers['Content-Type'] = format === 'xml' ? 'application/xml' : 'application/json';
  }
  return res;
}

function withDeclaration(xml: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}

export { TS_HTTP_DATE };
