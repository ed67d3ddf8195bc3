import 'server-only';
import type { ErrorTable } from '@/lib/aws/errors';

// ECR's refusals, said so a person knows what to do next.
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/CommonErrors.html
export const ECR_ERRORS: ErrorTable = {
  RepositoryAlreadyExistsException: () => ({
    title: 'Name taken',
    message: 'A repository with this name already exists in this region. Pick another name, or open the existing one.',
  }),
  RepositoryNotFoundException: () => ({
    title: 'Repository not found',
    message: 'The repository does not exist in this region. It may have been deleted, or it lives in another region.',
  }),
  RepositoryNotEmptyException: () => ({
    title: 'Repository not empty',
    message: 'The repository still holds images. Tick “also delete its images” to delete it together with them.',
  }),
  ImageNotFoundException: () => ({ title: 'Image not found', message: 'The image is no longer in this repository.' }),
  ImageTagAlreadyExistsException: () => ({
    title: 'Tag is immutable',
    message: 'This repository’s tags are immutable, and the tag already points at another image. Push under a new tag.',
  }),
  RepositoryPolicyNotFoundException: () => ({ title: 'No policy', message: 'The repository has no repository policy.' }),
  LifecyclePolicyNotFoundException: () => ({ title: 'No lifecycle policy', message: 'The repository has no lifecycle policy.' }),
  LifecyclePolicyPreviewInProgressException: () => ({
    title: 'Preview running',
    message: 'A lifecycle preview is already running for this repository. Wait a few seconds and try again.',
    retryable: true,
  }),
  ScanNotFoundException: () => ({ title: 'Not scanned', message: 'This image has not been scanned yet. Start a scan to see findings.' }),
  LimitExceededException: (aws) => ({ title: 'ECR limit reached', message: `ECR refused because a service limit was reached: ${aws}` }),
  InvalidParameterException: (aws) => ({ title: 'ECR refused a value', message: `ECR refused a value: ${aws}` }),
  KmsException: (aws) => ({ title: 'KMS refused', message: `The KMS key could not be used: ${aws}` }),
};
