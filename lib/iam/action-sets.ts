// The IAM actions that one client operation needs together. A denial names
// the first action that failed, but granting only that one moves the failure
// to the next: docker push checks layers, uploads them in parts and writes the
// manifest, each its own ECR action. Pure: unit-tested.
// https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
// https://docs.aws.amazon.com/AmazonECR/latest/userguide/security_iam_id-based-policy-examples.html

export interface ActionSet {
  id: 'ecr-push' | 'ecr-pull';
  /** What a person does that needs these, e.g. "docker push". */
  label: string;
  /** The actions on the repository, in the order a client uses them. */
  actions: readonly string[];
  /** Why all of them: said beside the suggestion. */
  why: string;
}

/** docker login's token: an account-wide action, granted on "*" only (ECR has no resource for it). */
export const ECR_LOGIN = 'ecr:GetAuthorizationToken';

const PUSH: ActionSet = {
  id: 'ecr-push',
  label: 'docker push',
  actions: ['ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'],
  why: 'docker push asks whether each layer is there (BatchCheckLayerAvailability), uploads the missing ones (InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload) and then writes the manifest (PutImage). Allowing only the action in the message would make the push fail at the next step.',
};

const PULL: ActionSet = {
  id: 'ecr-pull',
  label: 'docker pull',
  actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
  why: 'docker pull reads the manifest (BatchGetImage) and then fetches each layer (GetDownloadUrlForLayer); BatchCheckLayerAvailability is asked by some clients before a layer is fetched.',
};

export const ACTION_SETS: readonly ActionSet[] = [PUSH, PULL];

/**
 * The set a denied action belongs to, or null. BatchCheckLayerAvailability is
 * in both; a push asks for it first, a pull does not start with it, so a denial
 * of it is read as a push.
 */
export function actionSetFor(action: string): ActionSet | null {
  const a = action.toLowerCase();
  for (const set of ACTION_SETS) if (set.actions.some((x) => x.toLowerCase() === a)) return set;
  return null;
}

/** Whether an action belongs to ECR's registry API (a repository resource), as opposed to S3 or another service. */
export const serviceOf = (action: string): string => action.slice(0, Math.max(0, action.indexOf(':'))).toLowerCase();
