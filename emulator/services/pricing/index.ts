import * as schemas from '@aws-sdk/client-pricing/dist-es/schemas/schemas_0.js';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { invalidParameter, providers } from './provider';

const model = loadServiceModel(schemas, { protocol: 'awsJson1_1', version: '2017-10-15', targetPrefix: 'AWSPriceListService' });

/**
 * The AWS Price List Query API (GetProducts, DescribeServices,
 * GetAttributeValues) over the emulator's own price list of S3 and ECR
 * storage and CloudFront requests and transfer (price-list.json). AWS serves
 * it from us-east-1 (and two other regions); the emulator answers in any.
 * https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html
 */
export const pricing = defineModelService({
  name: 'pricing',
  signingName: 'pricing',
  model,
  providers,
  validation: (violations) => {
    const v = violations[0]!;
    // The one required member every read names first is the service code.
    if (v.path === 'serviceCode' || v.path === 'ServiceCode') return invalidParameter('serviceCode cannot be null or empty');
    return invalidParameter(`${v.path}: ${v.constraint}`);
  },
});
