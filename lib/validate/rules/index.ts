import type { Rule } from '../rule';
import { API_RULES } from './api';
import { API_CRD_RULES } from './api-crd';
import { API_KIND_RULES } from './api-kinds';
import { API_LIMIT_RULES } from './api-limits';
import { API_POD_FIELD_RULES } from './api-pod-fields';
import { BEST_PRACTICE_RULES } from './best-practice';
import { CROSS_OBJECT_RULES } from './cross-object';
import { LABEL_RULES } from './labels';
import { PSS_RULES } from './pss';

/** Every policy rule, in report order. */
export const ALL_RULES: readonly Rule[] = [...PSS_RULES, ...API_RULES, ...API_POD_FIELD_RULES, ...API_KIND_RULES, ...API_CRD_RULES, ...API_LIMIT_RULES, ...BEST_PRACTICE_RULES, ...CROSS_OBJECT_RULES, ...LABEL_RULES];
