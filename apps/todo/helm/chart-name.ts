/** The chart's name: `Chart.yaml`'s `name`, and the prefix of every named template (`todo-stack.labels`). */
export const CHART_NAME = 'todo-stack';
