/**
 * `npm run docs:constructs`: writes constructs/API.md, the API reference of @todo-stack/constructs,
 * from the doc comments (lib/package/api-docs.ts). A test fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../tools/repo-root';
import { apiMarkdown, readApi } from './api-docs';

const root = repoRoot();
writeFileSync(join(root, 'constructs', 'API.md'), apiMarkdown('@todo-stack/constructs', readApi(root, join(root, 'constructs', 'index.ts'))));
process.stdout.write('wrote constructs/API.md\n');
