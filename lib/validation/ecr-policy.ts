// Policy documents for ECR: the repository-policy templates ("allow pull",
// "allow push"), the identity policy a person needs to push or pull, the
// lifecycle-policy templates, and checks that catch a broken document before
// it is sent. Pure functions: the editors use them in the browser and the
// actions use them again on the server.

import './constraints/ecr';
import { codePoints, enumValues, memberShape, stringRule } from './aws-model';
import type { PolicyDocument, Statement } from './policy';

export const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'] as const;
export const PUSH_ACTIONS = [
  ...PULL_ACTIONS,
  'ecr:PutImage',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
] as const;

export type Access = 'pull' | 'push';


const ACCOUNT = /^\d{12}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|user\/.+|role\/.+)$/;

/** An account id or an IAM user/role ARN, as a policy principal; null when it is neither. */
export function principalArn(input: string): string | null {
  const v = input.trim();
  if (ACCOUNT.test(v)) return `arn:aws:iam::${v}:root`;
  if (PRINCIPAL_ARN.test(v)) return v;
  return null;
}

/** The statement a repository policy needs so `principal` may pull, or push and pull. */
export function repositoryAccessStatement(access: Access, principal: string): Statement {
  const arn = principalArn(principal);
  if (!arn) throw new Error('Give a 12-digit account id or an IAM user or role ARN.');
  const who = arn.split(':').slice(4).join(':').replace(/[^A-Za-z0-9]/g, '');
  return {
    Sid: `${access === 'pull' ? 'AllowPull' : 'AllowPush'}${who}`.slice(0, 100),
    Effect: 'Allow',
    Principal: { AWS: arn },
    Action: [...(access === 'pull' ? PULL_ACTIONS : PUSH_ACTIONS)],
  };
}

/** The identity policy to attach to an IAM user or role that should pull or push these repositories. */
export function identityPolicy(access: Access, repositoryArns: string[]): string {
  const doc: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      // The registry login is account-wide: it cannot be scoped to a repository.
      { Sid: 'RegistryLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: access === 'pull' ? 'PullImages' : 'PushAndPullImages',
        Effect: 'Allow',
        Action: [...(access === 'pull' ? PULL_ACTIONS : PUSH_ACTIONS)],
        Resource: repositoryArns.length === 1 ? repositoryArns[0] : [...repositoryArns].sort(),
      },
    ],
  };
  return JSON.stringify(doc, null, 2);
}

// Lifecycle policies: https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
// The document's grammar is in ECR's guide; its length is in ECR's model.

/** The fewest characters ECR takes for a lifecycle policy text (the model's minimum). */
const LIFECYCLE_TEXT_MIN = stringRule('ecr', memberShape('ecr', 'PutLifecyclePolicyRequest', 'lifecyclePolicyText')).min ?? 0;

// Since ECR's archive storage class, a rule may also move images to archive:
// "action": {"type": "transition", "targetStorageClass": "archive"}, select by
// "storageClass", and count since an image was last pulled or transitioned.
// The guide spells in lower case the values the model's enums (ImageActionType,
// LifecyclePolicyTargetStorageClass, LifecyclePolicyStorageClass) spell in upper case.
// https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
// Each look-up names its shape literally: scripts/console-constraints.mjs finds them that way.
const lower = (values: readonly string[]) => values.map((v) => v.toLowerCase());
const ACTION_TYPES = lower(enumValues('ecr', 'ImageActionType'));
const TARGET_STORAGE_CLASSES = lower(enumValues('ecr', 'LifecyclePolicyTargetStorageClass'));
const STORAGE_CLASSES = lower(enumValues('ecr', 'LifecyclePolicyStorageClass'));
const COUNT_TYPES = ['imageCountMoreThan', 'sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned'];
const either = (xs: string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}` : (xs[0] ?? ''));

export interface LifecycleRule {
  rulePriority: number;
  description?: string;
  selection: {
    tagStatus: 'tagged' | 'untagged' | 'any';
    tagPrefixList?: string[];
    tagPatternList?: string[];
    storageClass?: 'standard' | 'archive';
    countType: 'imageCountMoreThan' | 'sinceImagePushed' | 'sinceImagePulled' | 'sinceImageTransitioned';
    countUnit?: 'days';
    countNumber: number;
  };
  action: { type: 'expire' } | { type: 'transition'; targetStorageClass: 'archive' };
}

export function keepLastImagesRule(count: number, priority = 1): LifecycleRule {
  return {
    rulePriority: priority,
    description: `Keep the last ${count} images`,
    selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: count },
    action: { type: 'expire' },
  };
}

export function expireUntaggedRule(days: number, priority = 1): LifecycleRule {
  return {
    rulePriority: priority,
    description: `Expire untagged images after ${days} days`,
    selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: days },
    action: { type: 'expire' },
  };
}

export function lifecyclePolicyText(rules: LifecycleRule[]): string {
  return JSON.stringify({ rules }, null, 2);
}

export function lifecyclePolicyProblems(text: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return [`This is not valid JSON: ${(e as Error).message}.`];
  }
  const rules = (doc as { rules?: unknown })?.rules;
  if (!Array.isArray(rules) || rules.length === 0) return ['A lifecycle policy needs a "rules" list with at least one rule.'];
  const problems: string[] = [];
  const priorities = new Set<number>();
  rules.forEach((raw, i) => {
    const r = (raw ?? {}) as Partial<LifecycleRule>;
    const n = `Rule ${i + 1}`;
    if (!Number.isInteger(r.rulePriority) || (r.rulePriority ?? 0) < 1) problems.push(`${n}: "rulePriority" must be a whole number from 1.`);
    else if (priorities.has(r.rulePriority!)) problems.push(`${n}: priority ${r.rulePriority} is used twice; each rule needs its own.`);
    else priorities.add(r.rulePriority!);
    const s = r.selection;
    if (!s) {
      problems.push(`${n}: add a "selection".`);
      return;
    }
    if (!['tagged', 'untagged', 'any'].includes(s.tagStatus)) problems.push(`${n}: "tagStatus" must be tagged, untagged or any.`);
    if (s.tagStatus === 'tagged' && !s.tagPrefixList?.length && !s.tagPatternList?.length) {
      problems.push(`${n}: a rule for tagged images needs "tagPrefixList" or "tagPatternList".`);
    }
    if (s.storageClass !== undefined && !STORAGE_CLASSES.includes(s.storageClass)) {
      problems.push(`${n}: "storageClass" must be ${either(STORAGE_CLASSES)}.`);
    }
    const countType: string = typeof s.countType === 'string' ? s.countType : '';
    if (countType.startsWith('since') && s.countUnit !== 'days') problems.push(`${n}: "${countType}" needs "countUnit": "days".`);
    if (countType === 'imageCountMoreThan' && s.countUnit !== undefined) problems.push(`${n}: "imageCountMoreThan" takes no "countUnit".`);
    if (!COUNT_TYPES.includes(countType)) problems.push(`${n}: "countType" must be ${either(COUNT_TYPES)}.`);
    if (!Number.isInteger(s.countNumber) || s.countNumber < 1) problems.push(`${n}: "countNumber" must be a whole number from 1.`);
    const action = (r.action ?? {}) as { type?: unknown; targetStorageClass?: unknown };
    if (typeof action.type !== 'string' || !ACTION_TYPES.includes(action.type)) {
      problems.push(`${n}: the action must be ${either(ACTION_TYPES.map((t) => `{"type": "${t}"}`))}.`);
    } else if (action.type === 'transition' && !TARGET_STORAGE_CLASSES.includes(String(action.targetStorageClass))) {
      problems.push(`${n}: a "transition" action needs "targetStorageClass": ${either(TARGET_STORAGE_CLASSES.map((c) => `"${c}"`))}.`);
    }
  });
  if (codePoints(text) < LIFECYCLE_TEXT_MIN) {
    problems.push(`ECR wants a lifecycle policy of at least ${LIFECYCLE_TEXT_MIN} characters; format it with line breaks.`);
  }
  return problems;
}
