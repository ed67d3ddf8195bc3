import { describe, expect, it } from 'vitest';
import { firstTierUsd, tablePrices } from './prices';
import { berthServiceOf, monthToDatePeriod } from './spend';

describe('reading a Price List item', () => {
  // Shaped as AWS's aws_v1 documents: one OnDemand term, a price dimension per tier.
  const tiered = {
    product: { attributes: { usagetype: 'EUC1-TimedStorage-ByteHrs' } },
    terms: {
      OnDemand: {
        'SKU.JRTCKXETXF': {
          priceDimensions: {
            'SKU.JRTCKXETXF.B': { unit: 'GB-Mo', beginRange: '51200', pricePerUnit: { USD: '0.0235000000' } },
            'SKU.JRTCKXETXF.A': { unit: 'GB-Mo', beginRange: '0', pricePerUnit: { USD: '0.0245000000' } },
          },
        },
      },
    },
  };

  it("takes the first tier's price, whatever order the tiers come in", () => {
    expect(firstTierUsd(tiered)).toBe(0.0245);
  });

  it('has no price for an item without a first tier or a number', () => {
    expect(firstTierUsd({})).toBeUndefined();
    expect(firstTierUsd({ terms: { OnDemand: { t: { priceDimensions: { d: { beginRange: '0', pricePerUnit: { USD: 'n/a' } } } } } } })).toBeUndefined();
  });
});

describe('the shipped table', () => {
  it('prices a region it knows, scales other classes with its Standard price, and says its date', () => {
    const p = tablePrices('eu-central-1');
    expect(p.source).toBe('table');
    expect(p.asOf).toBe('2026-11-01');
    expect(p.s3PerGb.STANDARD).toBe(0.0245);
    expect(p.s3PerGb.STANDARD_IA).toBeCloseTo(0.0125 * (0.0245 / 0.023), 12);
    expect(p.ecrPerGb).toBe(0.1);
    expect(p.cloudFrontPerRequest).toBeCloseTo(0.000001, 12);
  });

  it("falls back to us-east-1's prices for a region it does not list", () => {
    expect(tablePrices('xx-nowhere-1').s3PerGb.STANDARD).toBe(0.023);
  });
});

describe("Cost Explorer's month so far", () => {
  it('runs from the 1st to tomorrow, end excluded, even on the first and last day of a month', () => {
    expect(monthToDatePeriod(Date.UTC(2026, 11, 1, 0, 5))).toEqual({ start: '2026-12-01', end: '2026-12-02' });
    expect(monthToDatePeriod(Date.UTC(2026, 11, 15, 12))).toEqual({ start: '2026-12-01', end: '2026-12-16' });
    // On the last day the end is the next month's 1st: allowed, as it is exclusive.
    expect(monthToDatePeriod(Date.UTC(2026, 11, 31, 23, 59))).toEqual({ start: '2026-12-01', end: '2027-01-01' });
  });

  it("recognises Berth's three services among Cost Explorer's names", () => {
    expect(berthServiceOf('Amazon EC2 Container Registry (ECR)')).toBe('ecr');
    expect(berthServiceOf('Amazon Simple Storage Service')).toBe('s3');
    expect(berthServiceOf('Amazon CloudFront')).toBe('cloudfront');
    expect(berthServiceOf('Amazon Elastic Compute Cloud - Compute')).toBeUndefined();
  });
});
