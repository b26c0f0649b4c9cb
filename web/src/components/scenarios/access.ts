import type { TAuthUser } from '@avatar-adam/db';

/**
 * Whether the builder pages should load at all: managers of a dealership and platform admins.
 * The procedures enforce this themselves; pages only use it to show a notice instead of errors.
 */
export function canBuildScenarios(user: Pick<TAuthUser, 'role' | 'dealershipId'>): boolean {
  return user.role === 'super_admin' || (user.role === 'dealership_admin' && user.dealershipId !== null);
}

export const BUILDER_ONLY_NOTICE = 'Building scenarios is for dealership managers and the platform team.';
