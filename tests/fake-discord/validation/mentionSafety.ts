import type { AllowedMentions } from '../state/model.ts';

export function couldPing(allowedMentions: AllowedMentions | undefined): boolean {
  if (!allowedMentions) return true;
  const parse = allowedMentions.parse ?? [];
  return (
    parse.length > 0 ||
    (allowedMentions.users ?? []).length > 0 ||
    (allowedMentions.roles ?? []).length > 0 ||
    allowedMentions.replied_user === true
  );
}
