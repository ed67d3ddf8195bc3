import 'server-only';
import type { ErrorTable } from '@/lib/aws/errors';

// ECR Public's refusals, said so a person knows what to do next. Its codes
// overlap private ECR's, but the answers differ: there is one public registry
// per account, not one per region, and its API is in us-east-1 only.
// https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/CommonErrors.html
export const ECR_PUBLIC_ERRORS: ErrorTable = {
  RepositoryAlreadyExistsException: () => ({
    title: 'Name taken',
    message: 'A public repository with this name already exists in this account. Pick another name, or open the existing one.',
  }),
  RepositoryNotFoundException: () => ({
    title: 'Repository not found',
    message: 'The public repository does not exist. It may have been deleted meanwhile.',
  }),
  RepositoryNotEmptyException: () => ({
    title: 'Repository not empty',
    message: 'The public repository still holds images. Tick “also delete its images” to delete it together with them.',
  }),
  RepositoryPolicyNotFoundException: () => ({ title: 'No policy', message: 'The public repository has no repository policy.' }),
  RepositoryCatalogDataNotFoundException: () => ({
    title: 'No catalog data',
    message: 'The public repository has no catalog data yet. An admin can add a description and usage text.',
  }),
  RegistryNotFoundException: () => ({
    title: 'No public registry',
    message: 'This account has no public registry yet: AWS makes one, with its default alias, when the first public repository is created.',
  }),
  ImageNotFoundException: () => ({ title: 'Image not found', message: 'The image is no longer in this public repository.' }),
  // AWS's answer when a call reaches ECR Public outside us-east-1 ("… command is only supported in us-east-1.").
  UnsupportedCommandException: (aws) => ({
    title: 'ECR Public is only in us-east-1',
    message: `ECR Public is only in us-east-1: Berth calls it there, so an endpoint that answers this was reached for another region. Check AWS_ENDPOINT_URL_ECR_PUBLIC (or AWS_ENDPOINT_URL).${aws ? ` ECR Public said: “${aws}”` : ''}`,
  }),
  LimitExceededException: (aws) => ({ title: 'ECR Public limit reached', message: `ECR Public refused because a service limit was reached: ${aws}` }),
  TooManyTagsException: () => ({ title: 'Too many tags', message: 'A public repository can carry at most 50 tags. Remove some first.' }),
  InvalidTagParameterException: (aws) => ({ title: 'Tag refused', message: `ECR Public refused a tag: ${aws}` }),
  InvalidParameterException: (aws) => ({ title: 'ECR Public refused a value', message: `ECR Public refused a value: ${aws}` }),
  ServerException: () => ({
    title: 'AWS had a problem',
    message: 'ECR Public answered with an internal error. This is usually temporary: try again in a moment.',
    retryable: true,
  }),
};
