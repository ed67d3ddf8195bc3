import { XmlShapeDeserializer, XmlShapeSerializer } from '@aws-sdk/core/protocols';
import { CborShapeDeserializer, CborShapeSerializer } from '@smithy/core/cbor';
import { JsonShapeDeserializer, JsonShapeSerializer } from '@smithy/core/protocols';
import { NormalizedSchema } from '@smithy/core/schema';
import type { SerdeFunctions } from '@smithy/types';

/**
 * Shape codecs for each document format, from the SDK's own protocol
 * libraries (`@aws-sdk/core`, `@smithy/core`). The SDK uses them to write
 * requests and read responses; a schema-driven codec is symmetric, so the
 * emulator uses the same ones the other way round and agrees with the SDK on
 * timestamps, blobs, flattened lists, xmlName and jsonName by construction.
 *
 * Timestamp formats are Smithy's numbers: 5 = date-time, 6 = http-date, 7 = epoch-seconds.
 */
export const TS_DATE_TIME = 5;
export const TS_HTTP_DATE = 6;
export const TS_EPOCH_SECONDS = 7;

const serde: SerdeFunctions = {
  base64Encoder: (input) => Buffer.from(input).toString('base64'),
  base64Decoder: (input) => new Uint8Array(Buffer.from(input, 'base64')),
  utf8Encoder: (input) => (typeof input === 'string' ? input : Buffer.from(input).toString('utf8')),
  utf8Decoder: (input) => new Uint8Array(Buffer.from(input, 'utf8')),
  streamCollector: async (stream) => {
    const chunks: Buffer[] = [];
    for await (const c of stream as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(c));
    return new Uint8Array(Buffer.concat(chunks));
  },
} as SerdeFunctions;

/** A body that does not fit the operation's shape (the protocol turns it into its own error). */
export class MalformedBodyError extends Error {}

// ---------------------------------------------------------------- JSON

export async function readJson(schema: NormalizedSchema, text: string, jsonName: boolean): Promise<Record<string, unknown>> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MalformedBodyError('The request body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MalformedBodyError('Start of list found where not expected');
  }
  checkJsonTypes(schema, parsed, '', jsonName);
  const d = new JsonShapeDeserializer({ timestampFormat: { useTrait: true, default: TS_EPOCH_SECONDS }, jsonName });
  d.setSerdeContext(serde);
  try {
    return ((await d.read(schema, text)) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new MalformedBodyError(err instanceof Error ? err.message : 'The request body does not match the operation.');
  }
}

/**
 * The SDK's JSON codec trusts its input (it reads what AWS wrote), so a
 * string where the model says integer would reach a handler as is. AWS
 * refuses a value of the wrong JSON type while deserialising, before any
 * validation: a SerializationException on JSON protocols. This walks the
 * parsed document against the schema and says which member is wrong. A JSON
 * null counts as absent.
 */
function checkJsonTypes(schema: NormalizedSchema, value: unknown, where: string, jsonName: boolean): void {
  if (value === null || value === undefined || schema.isDocumentSchema()) return;
  const fail = (expected: string): never => {
    throw new MalformedBodyError(`Value for '${where || 'the request body'}' must be ${expected}`);
  };
  const isObject = typeof value === 'object' && !Array.isArray(value);
  if (schema.isStructSchema() || schema.isUnionSchema()) {
    if (!isObject) fail('an object');
    const record = value as Record<string, unknown>;
    for (const [name, member] of schema.structIterator()) {
      const key = jsonName ? (member.getMergedTraits().jsonName ?? name) : name;
      if (key in record) checkJsonTypes(member, record[key], where ? `${where}.${key}` : key, jsonName);
    }
  } else if (schema.isListSchema()) {
    if (!Array.isArray(value)) fail('a list');
    const item = schema.getValueSchema();
    (value as unknown[]).forEach((v, i) => checkJsonTypes(item, v, `${where}.${i + 1}`, jsonName));
  } else if (schema.isMapSchema()) {
    if (!isObject) fail('a map');
    const item = schema.getValueSchema();
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) checkJsonTypes(item, v, `${where}.${k}`, jsonName);
  } else if (schema.isBooleanSchema()) {
    if (typeof value !== 'boolean') fail('a boolean');
  } else if (schema.isNumericSchema() || schema.isBigIntegerSchema() || schema.isBigDecimalSchema()) {
    if (typeof value !== 'number') fail('a number');
  } else if (schema.isTimestampSchema()) {
    if (typeof value !== 'number' && typeof value !== 'string') fail('a timestamp');
  } else if (schema.isStringSchema() || schema.isBlobSchema()) {
    if (typeof value !== 'string') fail('a string');
  }
}

export function writeJson(schema: NormalizedSchema, value: unknown, jsonName: boolean): string {
  const s = new JsonShapeSerializer({ timestampFormat: { useTrait: true, default: TS_EPOCH_SECONDS }, jsonName });
  s.setSerdeContext(serde);
  s.write(schema, value);
  const out: unknown = s.flush();
  // A Unit output flushes as an empty object rather than text.
  if (typeof out === 'string') return out;
  if (out instanceof Uint8Array) return Buffer.from(out).toString('utf8');
  return JSON.stringify(out ?? {});
}

// ---------------------------------------------------------------- XML

function xmlSettings(xmlNamespace: string) {
  return {
    timestampFormat: { useTrait: true, default: TS_DATE_TIME },
    xmlNamespace,
    serviceNamespace: '',
  } as const;
}

const MALFORMED_XML = 'The XML you provided was not well-formed or did not validate against our published schema';

/**
 * The SDK's XML reader trusts what it reads (it reads AWS's answers): it
 * takes whatever root element comes first and reads `yes` as the boolean
 * false. A request body is not trusted, so the emulator also refuses a
 * document whose root element is not the shape's and scalars that are not
 * booleans or numbers where the model says so, as a malformed body.
 */
class RequestXmlDeserializer extends XmlShapeDeserializer {
  override readSchema(schema: Parameters<XmlShapeDeserializer['readSchema']>[0], value: unknown): unknown {
    if (typeof value === 'string') {
      const ns = NormalizedSchema.of(schema);
      if (ns.isBooleanSchema() && value !== 'true' && value !== 'false') throw new MalformedBodyError(MALFORMED_XML);
      if (ns.isNumericSchema() && (value.trim() === '' || !Number.isFinite(Number(value)))) throw new MalformedBodyError(MALFORMED_XML);
    }
    return super.readSchema(schema, value) as unknown;
  }
}

/** The local name of a document's root element, after any declaration, comments and doctype. */
function rootElementName(text: string): string | undefined {
  const m = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*<([^\s/>]+)/.exec(text);
  return m?.[1]?.replace(/^[^:]*:/, '');
}

export function readXml(schema: NormalizedSchema, text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  // The root element is named as the SDK names it when writing a request: the shape's xmlName, else its name.
  const traits = schema.getMergedTraits();
  const root = typeof traits.xmlName === 'string' ? traits.xmlName : schema.getName();
  if (root !== undefined && rootElementName(text) !== root) throw new MalformedBodyError(MALFORMED_XML);
  const d = new RequestXmlDeserializer(xmlSettings('') as never);
  d.setSerdeContext(serde);
  try {
    const out: unknown = d.read(schema, text);
    return (out && typeof out === 'object' ? out : {}) as Record<string, unknown>;
  } catch {
    throw new MalformedBodyError(MALFORMED_XML);
  }
}

/**
 * The XML document for `value` as `schema`: the root element takes the
 * member's or structure's xmlName, and carries the service's namespace.
 */
export function writeXml(schema: NormalizedSchema, value: unknown, xmlNamespace: string): string {
  const s = new XmlShapeSerializer(xmlSettings(xmlNamespace) as never);
  s.setSerdeContext(serde);
  s.write(schema, value);
  const out = s.flush();
  return typeof out === 'string' ? out : Buffer.from(out).toString('utf8');
}

/** The children of the root element of `writeXml`: the query protocol wraps them in `<XResult>` itself. */
export function writeXmlMembers(schema: NormalizedSchema, value: unknown): string {
  const doc = writeXml(schema, value, '');
  if (/^<[^>]*\/>$/.test(doc)) return '';
  const open = doc.indexOf('>');
  const close = doc.lastIndexOf('</');
  return open >= 0 && close > open ? doc.slice(open + 1, close) : '';
}

// ---------------------------------------------------------------- CBOR

export function readCbor(schema: NormalizedSchema, bytes: Uint8Array): Record<string, unknown> {
  if (bytes.byteLength === 0) return {};
  const d = new CborShapeDeserializer();
  d.setSerdeContext(serde);
  try {
    return (d.read(schema, bytes) ?? {}) as Record<string, unknown>;
  } catch {
    throw new MalformedBodyError('The request body is not valid CBOR for this operation.');
  }
}

export function writeCbor(schema: NormalizedSchema, value: unknown): Buffer {
  const s = new CborShapeSerializer();
  s.setSerdeContext(serde);
  s.write(schema, value);
  return Buffer.from(s.flush());
}

// ---------------------------------------------------------------- query (input only)

/**
 * Reads an AWS query-protocol request (`Action=…&Tags.member.1.Key=…`) into
 * the operation's input shape. The SDK only ever writes this format, so the
 * reading side is ours, following the protocol's documented rules: lists as
 * `Name.member.N` (or `Name.N` when flattened), maps as `Name.entry.N.key` /
 * `.value`, nested structures as `Name.Member`, indexes from 1.
 */
export function readQuery(schema: NormalizedSchema, params: URLSearchParams): Record<string, unknown> {
  const flat = new Map<string, string>();
  for (const [k, v] of params) if (!flat.has(k)) flat.set(k, v);
  const out = readQueryValue(schema, '', flat);
  return (out && typeof out === 'object' ? out : {}) as Record<string, unknown>;
}

function hasPrefix(flat: Map<string, string>, prefix: string): boolean {
  for (const k of flat.keys()) if (k === prefix || k.startsWith(`${prefix}.`)) return true;
  return false;
}

function queryScalar(schema: NormalizedSchema, raw: string): unknown {
  if (schema.isBooleanSchema()) return raw === 'true';
  if (schema.isNumericSchema() || schema.isBigIntegerSchema() || schema.isBigDecimalSchema()) {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new MalformedBodyError(`"${raw}" is not a number`);
    return n;
  }
  if (schema.isTimestampSchema()) {
    const d = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
    if (Number.isNaN(d.getTime())) throw new MalformedBodyError(`"${raw}" is not a timestamp`);
    return d;
  }
  if (schema.isBlobSchema()) return new Uint8Array(Buffer.from(raw, 'base64'));
  return raw;
}

function readQueryValue(schema: NormalizedSchema, prefix: string, flat: Map<string, string>): unknown {
  const key = (name: string) => (prefix === '' ? name : `${prefix}.${name}`);
  if (schema.isStructSchema() || schema.isUnionSchema()) {
    const out: Record<string, unknown> = {};
    for (const [name, member] of schema.structIterator()) {
      const t = member.getMergedTraits();
      const wireName = typeof t.xmlName === 'string' ? t.xmlName : name;
      const k = key(wireName);
      if (!hasPrefix(flat, k)) continue;
      const v = readQueryValue(member, k, flat);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }
  if (schema.isListSchema()) {
    const flattened = Boolean(schema.getMergedTraits().xmlFlattened);
    const memberSchema = schema.getValueSchema();
    const memberName = typeof memberSchema.getMergedTraits().xmlName === 'string' ? String(memberSchema.getMergedTraits().xmlName) : 'member';
    const base = flattened ? prefix : `${prefix}.${memberName}`;
    // `Name=` with an empty value is how the protocol writes an empty list.
    if (flat.get(prefix) === '') return [];
    const items: unknown[] = [];
    for (let i = 1; hasPrefix(flat, `${base}.${i}`); i++) items.push(readQueryValue(memberSchema, `${base}.${i}`, flat));
    return items;
  }
  if (schema.isMapSchema()) {
    const flattened = Boolean(schema.getMergedTraits().xmlFlattened);
    const base = flattened ? prefix : `${prefix}.entry`;
    const out: Record<string, unknown> = {};
    for (let i = 1; hasPrefix(flat, `${base}.${i}`); i++) {
      const k = flat.get(`${base}.${i}.key`);
      if (k === undefined) continue;
      out[k] = readQueryValue(schema.getValueSchema(), `${base}.${i}.value`, flat);
    }
    return out;
  }
  const raw = flat.get(prefix);
  return raw === undefined ? undefined : queryScalar(schema, raw);
}
