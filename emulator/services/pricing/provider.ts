import type { Pricing } from '@aws-sdk/client-pricing';
import { AwsError } from '../../core/errors';
import type { Providers } from '../../core/wire/service';
import { attributeNames, attributeOf, PRODUCTS, priceListItem, SERVICE_CODES, type Product } from './catalog';

/**
 * The Price List Query API over the emulator's own price list (catalog.ts).
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_Operations_AWS_Price_List_Service.html
 *
 * Pricing refuses bad input with InvalidParameterException and an "Input
 * Parameters are invalid." sentence, not the ValidationException of most
 * JSON services (see index.ts, which sends model violations here too).
 */

const FORMAT = 'aws_v1';

export function invalidParameter(detail: string): AwsError {
  return new AwsError('InvalidParameterException', `Input Parameters are invalid. ${detail}`, 400);
}

function checkServiceCode(code: string | undefined, required: boolean): void {
  if (code === undefined || code === '') {
    if (required) throw invalidParameter('serviceCode cannot be null or empty');
    return;
  }
  if (!/^[A-Za-z0-9]+$/.test(code)) throw invalidParameter('ServiceCode can only contain a-z, A-Z, 0-9');
}

function checkFormat(format: string | undefined): void {
  if (format !== undefined && format !== FORMAT) throw invalidParameter(`formatVersion ${format} is not supported. Supported format versions: ${FORMAT}`);
}

function pageSize(max: number | undefined): number {
  if (max === undefined) return 100;
  if (!Number.isInteger(max) || max < 1 || max > 100) throw invalidParameter('maxResults must be between 1 and 100');
  return max;
}

// A next token names the request it continues (so it cannot be replayed
// against another query) and where to start; it is opaque to callers.
function tokenOf(query: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: query, o: offset })).toString('base64');
}

function offsetOf(token: string | undefined, query: string): number {
  if (token === undefined) return 0;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { q?: unknown; o?: unknown };
    if (t.q === query && typeof t.o === 'number' && Number.isInteger(t.o) && t.o >= 0) return t.o;
  } catch {
    // fall through to the refusal
  }
  throw new AwsError('InvalidNextTokenException', 'The nextToken provided in the request is not valid.', 400);
}

function page<T>(items: readonly T[], query: string, token: string | undefined, max: number | undefined): { items: T[]; next?: string } {
  const size = pageSize(max);
  const from = offsetOf(token, query);
  const slice = items.slice(from, from + size);
  return from + size < items.length ? { items: slice, next: tokenOf(query, from + size) } : { items: slice };
}

type FilterInput = NonNullable<Parameters<Pricing['getProducts']>[0]['Filters']>[number];

/** One filter's test. TERM_MATCH and EQUALS are exact; ANY_OF and NONE_OF take comma-separated values. */
function matches(p: Product, f: FilterInput): boolean {
  const value = attributeOf(p, f.Field ?? '');
  const wanted = f.Value ?? '';
  switch (f.Type) {
    case 'TERM_MATCH':
    case 'EQUALS':
      return value === wanted;
    case 'CONTAINS':
      return value !== undefined && value.includes(wanted);
    case 'ANY_OF':
      return value !== undefined && wanted.split(',').map((v) => v.trim()).includes(value);
    case 'NONE_OF':
      return value === undefined || !wanted.split(',').map((v) => v.trim()).includes(value);
    default:
      throw invalidParameter(`Filter type ${String(f.Type)} is not supported. Supported types: TERM_MATCH, EQUALS, CONTAINS, ANY_OF, NONE_OF`);
  }
}

export const providers: Providers<Pricing> = {
  DescribeServices(input) {
    checkServiceCode(input.ServiceCode, false);
    checkFormat(input.FormatVersion);
    const codes = input.ServiceCode ? SERVICE_CODES.filter((c) => c === input.ServiceCode) : SERVICE_CODES;
    const { items, next } = page(codes, `services:${input.ServiceCode ?? ''}`, input.NextToken, input.MaxResults);
    return {
      Services: items.map((ServiceCode) => ({ ServiceCode, AttributeNames: attributeNames(ServiceCode) })),
      FormatVersion: FORMAT,
      ...(next ? { NextToken: next } : {}),
    };
  },

  GetAttributeValues(input) {
    checkServiceCode(input.ServiceCode, true);
    const names = attributeNames(input.ServiceCode ?? '');
    if (names.length === 0) throw new AwsError('NotFoundException', `Could not find service code ${input.ServiceCode}`, 400);
    if (!names.includes(input.AttributeName ?? '')) throw new AwsError('NotFoundException', `Could not find attribute ${input.AttributeName} for service code ${input.ServiceCode}`, 400);
    const values = new Set<string>();
    for (const p of PRODUCTS) {
      if (p.serviceCode !== input.ServiceCode) continue;
      const v = attributeOf(p, input.AttributeName ?? '');
      if (v !== undefined && v !== '') values.add(v);
    }
    const sorted = [...values].sort();
    const { items, next } = page(sorted, `values:${input.ServiceCode}:${input.AttributeName}`, input.NextToken, input.MaxResults);
    return { AttributeValues: items.map((Value) => ({ Value })), ...(next ? { NextToken: next } : {}) };
  },

  GetProducts(input) {
    checkServiceCode(input.ServiceCode, true);
    checkFormat(input.FormatVersion);
    const filters = input.Filters ?? [];
    if (filters.length > 50) throw invalidParameter('The number of filters must not exceed 50');
    for (const f of filters) if (!f.Field) throw invalidParameter('Filter field cannot be null or empty');
    const found = PRODUCTS.filter((p) => p.serviceCode === input.ServiceCode && filters.every((f) => matches(p, f)));
    const query = JSON.stringify([input.ServiceCode, filters.map((f) => [f.Type, f.Field, f.Value])]);
    const { items, next } = page(found, query, input.NextToken, input.MaxResults);
    return { FormatVersion: FORMAT, PriceList: items.map(priceListItem), ...(next ? { NextToken: next } : {}) };
  },
};
