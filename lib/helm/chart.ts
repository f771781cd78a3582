import type { RenderedEnvironment } from '../cli/synth-command';
export function generateChart(_rendered: readonly RenderedEnvironment[]): Map<string, string> { return new Map([['Chart.yaml', 'apiVersion: v2\nname: todo-stack\nversion: 0.1.0\n']]); }
