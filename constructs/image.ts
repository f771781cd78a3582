/**
 * Container image references, validated the way a registry would parse them,
 * with the hardening rule that every image is pinned: an explicit tag other
 * than `latest`, or a digest.
 *
 * @see https://kubernetes.io/docs/concepts/containers/images/#image-names
 */

// distribution/reference grammar, simplified to what registries accept.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
// A registry host is only recognised as one if it has a dot or a port, or is localhost (as docker does).
const LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const DOMAIN = `(?:localhost(?::[0-9]+)?|${LABEL}(?:\\.${LABEL})+(?::[0-9]+)?|${LABEL}:[0-9]+)`;
/** The syntax of an image repository (`ghcr.io/org/todo-backend`); at most 255 characters. */
export const REPOSITORY_PATTERN = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*$`);
const REPOSITORY = REPOSITORY_PATTERN;
/** The syntax of an image tag. */
export const TAG_PATTERN = /^[\w][\w.-]{0,127}$/;
const TAG = TAG_PATTERN;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** A parsed, pinned image reference. */
export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Why a repository is invalid, or undefined if it is valid. */
export function repositoryProblem(repository: string): string | undefined {
  if (repository.length === 0) return 'must not be empty';
  if (repository.length > 255) return 'must be at most 255 characters';
  if (!REPOSITORY.test(repository)) return 'must be a valid image repository (lowercase path components such as ghcr.io/org/todo-backend)';
  return undefined;
}

/** Why a tag is invalid or unpinned, or undefined if it is a valid pinned tag. */
export function tagProblem(tag: string): string | undefined {
  if (!TAG.test(tag)) return 'must be a valid image tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})';
  if (tag === 'latest') return 'must not be "latest": pin an explicit version or a digest';
  return undefined;
}

/**
 * Parses `repository[:tag][@sha256:digest]`.
 * @throws Error naming the rule when the reference is invalid, untagged or `latest`.
 */
export function parseImageReference(ref: string): ImageReference {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new Error(`digest "${digest}" must be sha256:<64 lowercase hex characters>`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const repoProblem = repositoryProblem(rest);
  if (repoProblem) throw new Error(`repository "${rest}" ${repoProblem}`);
  if (tag !== undefined) {
    const problem = tagProblem(tag);
    if (problem) throw new Error(`tag "${tag}" ${problem}`);
  }
  if (tag === undefined && digest === undefined) {
    throw new Error('has no tag or digest: pin an explicit version (repo:1.2.3) or a digest (repo@sha256:...)');
  }
  return { repository: rest, tag, digest };
}

/** Formats a reference back to its string form. */
export function formatImageReference(image: ImageReference): string {
  return `${image.repository}${image.tag ? `:${image.tag}` : ''}${image.digest ? `@${image.digest}` : ''}`;
}
