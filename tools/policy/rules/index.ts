import type { Rule } from '../types';
import { AVAILABILITY_RULES } from './availability';
import { CONTAINER_RULES } from './containers';
import { IDENTITY_RULES } from './identity';
import { IMAGE_RULES } from './images';
import { MESH_RULES } from './mesh';
import { NETWORK_RULES } from './network';
import { POD_SECURITY_RULES } from './pod-security';
import { RBAC_RULES } from './rbac';
import { SECRET_RULES } from './secrets';
import { WORKLOAD_RULES } from './workloads';

/** Every rule, in the order the README and the reports list them. */
export const ALL_RULES: readonly Rule[] = [
  ...POD_SECURITY_RULES,
  ...CONTAINER_RULES,
  ...IMAGE_RULES,
  ...WORKLOAD_RULES,
  ...AVAILABILITY_RULES,
  ...NETWORK_RULES,
  ...MESH_RULES,
  ...IDENTITY_RULES,
  ...RBAC_RULES,
  ...SECRET_RULES,
];
