import type { ServiceDefinition } from '../core/types';
import { ce } from './ce/index';
import { cloudfront } from './cloudfront/index';
import { cloudtrail } from './cloudtrail/index';
import { cloudwatch } from './cloudwatch/index';
import { ecr } from './ecr/index';
import { iam } from './iam/index';
import { ecrPublic } from './ecr-public/index';
import { pricing } from './pricing/index';
import { s3 } from './s3/index';
import { s3control } from './s3control/index';
import { sts } from './sts/index';
import { wafv2 } from './wafv2/index';

/**
 * Every emulated service. A new service is a folder under services/ exporting
 * a ServiceDefinition, added here; routing, auth, faults and the protocol
 * shapes come from the core. CloudWatch comes after S3: its migration adds
 * triggers to S3's object table.
 */
export const SERVICES: readonly ServiceDefinition[] = [sts, iam, ecr, ecrPublic, cloudfront, wafv2, cloudtrail, s3, s3control, cloudwatch, ce, pricing];
