/** `node lib/tools/run.js bench/scale-main.ts N DIR`: synthesize, validate and write the N-service stack. */
import { writeTreesAtomically } from '../lib/output/output-tree';
import { scaleStack } from './scale-stack';

const { trees, objects } = scaleStack(Number(process.argv[2] ?? 10));
writeTreesAtomically(process.argv[3] ?? '/tmp/todo-stack-scale', trees);
process.stdout.write(`${objects} objects\n`);
