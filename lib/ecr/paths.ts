// Where things live in the console. Repository names are [a-z0-9._-/] only, so
// they go into a path as they are; "-" alone is never a valid name segment, so
// /ecr/-/… holds the pages that are not repositories.
export const ecrPaths = {
  list: '/ecr',
  create: '/ecr/-/new',
  iamPolicy: '/ecr/-/iam-policy',
  repository: (name: string) => `/ecr/${name}`,
  image: (name: string, digest: string) => `/ecr/${name}/images/${digest}`,
};

/** Reads the catch-all segments: a repository, or one of its images. */
export function parseEcrPath(segments: string[]): { repository: string; digest: string | null } {
  const n = segments.length;
  if (n >= 3 && segments[n - 2] === 'images' && /^sha256(:|%3A)[a-f0-9]{64}$/i.test(segments[n - 1]!)) {
    return { repository: segments.slice(0, -2).join('/'), digest: decodeURIComponent(segments[n - 1]!) };
  }
  return { repository: segments.join('/'), digest: null };
}
