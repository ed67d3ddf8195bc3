import { z } from 'zod';

// The Refresh control's input (app/(console)/actions.ts): tags of the shared
// read cache (lib/aws/read-cache-tags.ts), and only those a page may refresh.

// Region names as AWS writes them; repository names as ECR allows them
// (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html).
const TAG = /^(?:ecr:[a-z]{2}(?:-[a-z]+)+-\d:(?:repositories|stats|images:[a-z0-9][a-z0-9._/-]{0,255})|ecr-public:(?:repositories|images:[a-z0-9][a-z0-9._/-]{0,255})|s3:buckets|s3:flags|cloudfront:distributions|health:[a-z]{2}(?:-[a-z]+)+-\d|iam:authorization|iam:keys|cloudtrail:activity)$/;

/** What a Refresh may ask for: a few known tags, nothing else. */
export const refreshReadsSchema = z.object({
  tags: z
    .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.string().max(300).regex(TAG, 'Not something Berth reads.')).min(1).max(6)),
});
