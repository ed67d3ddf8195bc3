// Where public repositories live in the console. Private repository names never
// have "-" alone as a segment, so /ecr/-/… cannot clash with one; public names
// follow the same rule, so /ecr/-/public/<name> is unambiguous too.
export const ecrPublicPaths = {
  list: '/ecr?registry=public',
  create: '/ecr/-/new-public',
  repository: (name: string) => `/ecr/-/public/${name}`,
};
