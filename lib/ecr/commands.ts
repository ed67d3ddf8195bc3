// The exact commands to log in, build, tag, push and pull, filled in for one
// repository. Pure: the repository and image pages render them.

export interface Command {
  id: string;
  label: string;
  command: string;
}

/** `aws` with the endpoint flag when Berth itself talks to a custom endpoint (the emulator). */
function aws(endpoint: string | undefined): string {
  return endpoint ? `aws --endpoint-url ${endpoint}` : 'aws';
}

export function pushCommands(o: { region: string; registryHost: string; repository: string; tag?: string; endpoint?: string }): Command[] {
  const tag = o.tag ?? 'latest';
  const remote = `${o.registryHost}/${o.repository}:${tag}`;
  return [
    {
      id: 'login',
      label: 'Log Docker in to the registry (the password is valid for 12 hours)',
      command: `${aws(o.endpoint)} ecr get-login-password --region ${o.region} | docker login --username AWS --password-stdin ${o.registryHost}`,
    },
    { id: 'build', label: 'Build the image', command: `docker build -t ${o.repository} .` },
    { id: 'tag', label: 'Tag it for this repository', command: `docker tag ${o.repository}:${tag} ${remote}` },
    { id: 'push', label: 'Push it', command: `docker push ${remote}` },
    { id: 'pull', label: 'Pull it anywhere that is logged in', command: `docker pull ${remote}` },
  ];
}

export function pullCommands(o: { registryHost: string; repository: string; tags: string[]; digest: string }): Command[] {
  return [
    ...o.tags.map((t) => ({ id: `tag-${t}`, label: `By tag ${t}`, command: `docker pull ${o.registryHost}/${o.repository}:${t}` })),
    { id: 'digest', label: 'By digest (always this exact image)', command: `docker pull ${o.registryHost}/${o.repository}@${o.digest}` },
  ];
}
