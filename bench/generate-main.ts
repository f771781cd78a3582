/** `node lib/tools/run.js bench/generate-main.ts N > big.yaml`: N valid objects in one file. */
import { largeManifest } from './generate';

process.stdout.write(largeManifest(Number(process.argv[2] ?? 10000)).text);
