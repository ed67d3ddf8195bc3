import { AwsError } from '../../core/errors';
import { escapeXml, isoTime, node } from '../../core/xml';

/**
 * A small description of CloudFront's XML shapes, enough to read a request
 * body strictly (types, unknown elements, required members, Quantity/Items
 * agreement) and to write a response in the member order AWS uses.
 * The member lists follow the 2020-05-31 service model.
 */

export type Shape = PrimitiveShape | StructShape | ListShape;

export interface PrimitiveShape {
  kind: 'string' | 'integer' | 'long' | 'boolean' | 'timestamp';
  enum?: readonly string[];
}

export interface Member {
  shape: Shape;
  required: boolean;
}

export interface StructShape {
  kind: 'structure';
  name: string;
  members: Record<string, Member>;
}

export interface ListShape {
  kind: 'list';
  /** Element name of each entry, e.g. `Origin` inside `<Items>`. */
  memberName: string;
  member: Shape;
  /** CloudFront refuses an empty `<Items/>` beside a Quantity; tag lists may be empty. */
  allowEmpty: boolean;
}

export type Obj = Record<string, unknown>;

export const str: PrimitiveShape = { kind: 'string' };
export const int: PrimitiveShape = { kind: 'integer' };
export const long: PrimitiveShape = { kind: 'long' };
export const bool: PrimitiveShape = { kind: 'boolean' };
export const timestamp: PrimitiveShape = { kind: 'timestamp' };

export function oneOf(...values: string[]): PrimitiveShape {
  return { kind: 'string', enum: values };
}

/** Marks a member as required (`Name: req(str)`). */
export function req(shape: Shape): Member {
  return { shape, required: true };
}

/** A structure; members keep their declared order, which is the order responses use. */
export function struct(name: string, members: Record<string, Shape | Member>): StructShape {
  const out: Record<string, Member> = {};
  for (const [k, v] of Object.entries(members)) {
    out[k] = 'required' in v && 'shape' in v ? v : { shape: v as Shape, required: false };
  }
  return { kind: 'structure', name, members: out };
}

export function list(memberName: string, member: Shape, allowEmpty = false): ListShape {
  return { kind: 'list', memberName, member, allowEmpty };
}

/** CloudFront's usual `{ Quantity, Items }` wrapper. */
export function counted(name: string, memberName: string, member: Shape, itemsRequired = false): StructShape {
  const items = list(memberName, member);
  return struct(name, { Quantity: req(int), Items: itemsRequired ? req(items) : items });
}

export function malformed(message: string): AwsError {
  return new AwsError('MalformedInput', message, 400);
}

function isObj(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Turns one parsed XML element (as fast-xml-parser gives it: a string for
 * text, an object for children, '' for an empty element) into a typed value.
 * `path` names the element in error messages.
 */
export function decode(shape: Shape, raw: unknown, path: string): unknown {
  if (Array.isArray(raw)) throw malformed(`Unexpected repeated element ${path}.`);
  switch (shape.kind) {
    case 'string': {
      if (typeof raw !== 'string') throw malformed(`Unexpected complex element ${path}; a text value was expected.`);
      if (shape.enum && !shape.enum.includes(raw)) {
        throw malformed(`Invalid value '${raw}' for ${path}; expected one of ${shape.enum.join(', ')}.`);
      }
      return raw;
    }
    case 'integer':
    case 'long': {
      if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) throw malformed(`Invalid number '${String(raw)}' for ${path}.`);
      const n = Number(raw);
      if (!Number.isSafeInteger(n)) throw malformed(`Invalid number '${raw}' for ${path}.`);
      return n;
    }
    case 'boolean': {
      if (raw !== 'true' && raw !== 'false') throw malformed(`Invalid boolean '${String(raw)}' for ${path}.`);
      return raw === 'true';
    }
    case 'timestamp': {
      const t = typeof raw === 'string' ? Date.parse(raw) : NaN;
      if (!Number.isFinite(t)) throw malformed(`Invalid timestamp for ${path}.`);
      return t;
    }
    case 'list': {
      if (raw === '') {
        if (shape.allowEmpty) return [];
        throw malformed(`Unexpected list element termination: ${path} is empty; leave Items out when Quantity is 0.`);
      }
      if (!isObj(raw)) throw malformed(`Unexpected text in list element ${path}.`);
      for (const k of Object.keys(raw)) {
        if (k !== shape.memberName && k !== '#text') throw malformed(`Unexpected element ${k} in ${path}; expected ${shape.memberName}.`);
      }
      const entries = raw[shape.memberName];
      const items = entries === undefined ? [] : Array.isArray(entries) ? entries : [entries];
      return items.map((e, i) => decode(shape.member, e, `${path}.${shape.memberName}[${i + 1}]`));
    }
    case 'structure': {
      if (raw !== '' && !isObj(raw)) throw malformed(`Unexpected text in complex element ${path}.`);
      const src: Obj = raw === '' ? {} : raw;
      const out: Obj = {};
      for (const k of Object.keys(src)) {
        if (k === '#text') continue;
        if (!(k in shape.members)) throw malformed(`Unexpected element ${k} in ${path}.`);
      }
      for (const [name, m] of Object.entries(shape.members)) {
        const v = src[name];
        if (v === undefined) {
          if (m.required) throw malformed(`Unexpected complex element termination: ${path} is missing the required element ${name}.`);
          continue;
        }
        out[name] = decode(m.shape, v, `${path}.${name}`);
      }
      checkQuantity(shape, out, path);
      return out;
    }
  }
}

/** Quantity must equal the number of Items (CloudFront's InconsistentQuantities). */
function checkQuantity(shape: StructShape, value: Obj, path: string): void {
  if (!('Quantity' in shape.members) || !('Items' in shape.members)) return;
  const q = value.Quantity;
  const items = value.Items;
  const n = Array.isArray(items) ? items.length : 0;
  if (typeof q === 'number' && q !== n) {
    throw new AwsError(
      'InconsistentQuantities',
      `The value of Quantity and the size of Items don't match (${path}: Quantity ${q}, ${n} item${n === 1 ? '' : 's'}).`,
      400,
    );
  }
}

/** Writes `<name>…</name>` for a value of the shape; nothing for undefined. */
export function encode(shape: Shape, value: unknown, name: string): string {
  if (value === undefined || value === null) return '';
  switch (shape.kind) {
    case 'string':
    case 'integer':
    case 'long':
      return `<${name}>${escapeXml(String(value as string | number))}</${name}>`;
    case 'boolean':
      return `<${name}>${value === true ? 'true' : 'false'}</${name}>`;
    case 'timestamp':
      return `<${name}>${isoTime(value as number)}</${name}>`;
    case 'list': {
      const items = value as unknown[];
      // CloudFront leaves Items out entirely when there are none.
      if (items.length === 0) return '';
      return node(name, items.map((v) => encode(shape.member, v, shape.memberName)).join(''));
    }
    case 'structure': {
      const v = value as Obj;
      const inner = Object.entries(shape.members)
        .map(([k, m]) => encode(m.shape, v[k], k))
        .join('');
      return `<${name}>${inner}</${name}>`;
    }
  }
}

/** A structure with the CloudFront namespace on its root element. */
export function encodeRoot(shape: StructShape, value: Obj, name = shape.name): string {
  const body = encode(shape, value, name);
  return body.replace(`<${name}>`, `<${name} xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">`);
}
