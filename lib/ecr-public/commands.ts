import type { Command } from '@/lib/ecr/commands';

// The commands to log in to, push to and pull from a public repository. Pure:
// every address comes from what ECR Public answered (repositoryUri,
// registryUri), never from a host Berth assumes: public.ecr.aws on AWS, the
// emulator's public registry host there.
// https://docs.aws.amazon.com/AmazonECR/latest/public/docker-push-ecr-image.html
// https://docs.aws.amazon.com/AmazonECR/latest/public/public-registry-auth.html

/** The registry host of a URI such as `public.ecr.aws/a1b2c3d4/team/tool`: what `docker login` takes. */
export function registryHostOf(uri: string): string {
  return uri.split('/')[0] ?? '';
}

export function publicPushCommands(o: { repositoryUri: string; repository: string; tag?: string; endpoint?: string }): Command[] {
  const tag = o.tag ?? 'latest';
  const remote = `${o.repositoryUri}:${tag}`;
  const aws = o.endpoint ? `aws --endpoint-url ${o.endpoint}` : 'aws';
  // The login is always us-east-1: ECR Public hands out its password there only.
  return [
    {
      id: 'login',
      label: 'Log Docker in to the public registry (needed to push; the password is valid for 12 hours)',
      command: `${aws} ecr-public get-login-password --region us-east-1 | docker login --username AWS --password-stdin ${registryHostOf(o.repositoryUri)}`,
    },
    { id: 'build', label: 'Build the image', command: `docker build -t ${o.repository} .` },
    { id: 'tag', label: 'Tag it for this repository', command: `docker tag ${o.repository}:${tag} ${remote}` },
    { id: 'push', label: 'Push it', command: `docker push ${remote}` },
  ];
}

/** Pulling a public image needs no login at all. */
export function publicPullCommand(o: { repositoryUri: string; tag?: string }): Command {
  return { id: 'pull', label: 'Pull it from anywhere, no login needed', command: `docker pull ${o.repositoryUri}:${o.tag ?? 'latest'}` };
}
