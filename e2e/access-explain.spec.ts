import { CreateRepositoryCommand, RepositoryAlreadyExistsException } from '@aws-sdk/client-ecr';
import { AttachUserPolicyCommand, CreateUserCommand, GetUserPolicyCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { expect, test } from '@playwright/test';
import { actionId, postAction } from './support/actions';
import { ecr, iam } from './support/emulator';
import { shotLightAndDark } from './support/shots';
import { ADMIN_STATE, VIEWER_STATE } from './support/users';

// "Why was this denied?": a docker push denial pasted into /access/explain
// names the user and the action, shows how AWS decided, and offers the
// smallest grant. A viewer sees it all but cannot apply it (and a POST of the
// action is a 403 that changes nothing); an admin applies it in one click and
// the verdict turns to allowed.

const STAMP = Date.now().toString(36);
const VIEWER_USER = `e2e-pull-v-${STAMP}`;
const ADMIN_USER = `e2e-pull-a-${STAMP}`;
const REPO = `e2e-explain-${STAMP}`;
const REPO_ARN = `arn:aws:ecr:us-east-1:123456789012:repository/${REPO}`;
const denial = (user: string) =>
  `denied: User: arn:aws:iam::123456789012:user/${user} is not authorized to perform: ecr:InitiateLayerUpload on resource: ${REPO_ARN} because no identity-based policy allows the ecr:InitiateLayerUpload action`;
const FILE = 'app/(console)/access/explain/actions.ts';

test.beforeAll(async () => {
  try {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: REPO }));
  } catch (error) {
    if (!(error instanceof RepositoryAlreadyExistsException)) throw error;
  }
  for (const u of [VIEWER_USER, ADMIN_USER]) {
    await iam.send(new CreateUserCommand({ UserName: u })).catch(() => undefined);
    await iam.send(new AttachUserPolicyCommand({ UserName: u, PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }));
  }
});

async function inlinePolicies(user: string): Promise<string | null> {
  try {
    const out = await iam.send(new GetUserPolicyCommand({ UserName: user, PolicyName: `berth-allow-ecr-push-${REPO}` }));
    return out.PolicyDocument ?? null;
  } catch (error) {
    if (error instanceof NoSuchEntityException) return null;
    throw error;
  }
}

test.describe('a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('sees the explanation and the suggested change, but no apply button; its POST is a 403 and nothing changes', async ({ page }) => {
    await page.goto('/access');
    await page.getByTestId('explain-link').click();
    await expect(page).toHaveURL(/\/access\/explain/);
    await page.getByLabel('Access-denied message').fill(denial(VIEWER_USER));
    await page.getByRole('button', { name: 'Explain this message' }).click();
    // The GET form keeps what was typed, in the URL (a link to share).
    await expect(page).toHaveURL(/message=denied/);
    await expect(page.getByLabel('Access-denied message')).toHaveValue(denial(VIEWER_USER));
    await expect(page.getByTestId('explain-principal')).toContainText(`user ${VIEWER_USER}`);
    await expect(page.getByTestId('explain-action')).toHaveText('ecr:InitiateLayerUpload');
    await expect(page.getByTestId('explain-verdict')).toHaveAttribute('data-decision', 'implicitDeny');
    const steps = page.getByTestId('explain-step');
    await expect(steps.filter({ hasText: 'AmazonEC2ContainerRegistryReadOnly' })).toHaveCount(1);
    await expect(steps.filter({ hasText: 'Denied implicitly: no policy allows ecr:InitiateLayerUpload' })).toHaveCount(1);
    await expect(steps.filter({ hasText: 'The rest of docker push' })).toContainText('ecr:PutImage: denied');
    const userFix = page.locator('[data-fix="user-inline"]');
    await expect(userFix.getByTestId('fix-diff')).toContainText('ecr:CompleteLayerUpload');
    await expect(userFix.getByTestId('viewer-note')).toBeVisible();
    await expect(page.getByTestId('apply-fix')).toHaveCount(0);
    await shotLightAndDark(page, 'access-explain-viewer', { fullPage: true });

    const res = await postAction(page.request, '/access/explain', actionId(FILE, 'applyExplainFixAction'), {
      target: 'user',
      principal: `arn:aws:iam::123456789012:user/${VIEWER_USER}`,
      action: 'ecr:InitiateLayerUpload',
      resource: REPO_ARN,
      grant: ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'],
    });
    expect(res.status()).toBe(403);
    expect(await inlinePolicies(VIEWER_USER)).toBeNull();
  });
});

test.describe('an admin', () => {
  test.use({ storageState: ADMIN_STATE });

  test('applies the inline fix in one click and sees the verdict turn to allowed', async ({ page }) => {
    await page.goto(`/access/explain?message=${encodeURIComponent(denial(ADMIN_USER))}`);
    await expect(page.getByTestId('explain-verdict')).toHaveAttribute('data-decision', 'implicitDeny');
    const userFix = page.locator('[data-fix="user-inline"]');
    await expect(page.locator('[data-fix="repository-policy"]')).toHaveCount(1);
    await expect(userFix.getByTestId('apply-fix')).toBeEnabled();
    await shotLightAndDark(page, 'access-explain-admin', { fullPage: true });
    await userFix.getByTestId('apply-fix').click();
    await expect(page.getByTestId('explain-verdict')).toHaveAttribute('data-decision', 'allowed', { timeout: 20_000 });
    await expect(page.getByTestId('explain-fixes')).toHaveCount(0);
    const doc = JSON.parse(decodeURIComponent((await inlinePolicies(ADMIN_USER))!));
    expect(doc.Statement[0].Action).toEqual(['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage']);
    expect(doc.Statement[0].Resource).toBe(REPO_ARN);
    await shotLightAndDark(page, 'access-explain-allowed', { fullPage: true });
  });
});
