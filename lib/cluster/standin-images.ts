import type { ImageSource } from './images';

/**
 * The images the real node imports for the repository's own tests and `npm run cluster -- up
 * --tier node`: the stand-ins of the Todo services and a busybox for test pods
 * (test/standins/). They are test fixtures; images for real deployments are inputs.
 */
export const STANDIN_IMAGES: readonly ImageSource[] = [{ dir: 'test/standins', spec: 'test/standins/images.json' }];
