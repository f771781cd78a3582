import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { TEST_IMAGE } from '../../apps/todo/helm/templates';
import { sourceImageNames } from '../../lib/cluster/images';
import { STANDIN_IMAGES } from '../../lib/cluster/standin-images';
import { ROOT } from '../cli/support';

/** containerd's full name of an image reference: `todo-backend:1.0.0` is `docker.io/library/todo-backend:1.0.0`. */
const fullName = (ref: string) => (ref.split('/').length === 1 ? `docker.io/library/${ref}` : ref);

/**
 * The real node runs dist/ and the chart unchanged (SPEC S10): every image they name, in every
 * environment and in the chart's test pods, is one the stand-in images are tagged as.
 */
describe('the stand-in images of the real node', () => {
  const names = STANDIN_IMAGES.flatMap(sourceImageNames);

  test.each(['local', 'dev', 'production'])('are tagged as every image dist/%s names', (env) => {
    const dir = join(ROOT, 'dist', env);
    const images = readdirSync(dir).flatMap((f) => {
      const o = load(readFileSync(join(dir, f), 'utf8')) as any;
      return (o.spec?.template?.spec?.containers ?? []).map((c: any) => c.image as string);
    });
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect([image, names.includes(fullName(image))]).toEqual([image, true]);
  });

  test('include the image of the chart\'s helm test pods', () => {
    expect(names).toContain(fullName(TEST_IMAGE));
  });
});
