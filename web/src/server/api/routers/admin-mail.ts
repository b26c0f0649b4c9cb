import type { Logger } from 'pino';
import type { Mailer } from '../../mail';

/**
 * Emails a dealership's manager invitation from the platform operator, the way `invitation.create`
 * sends a manager's: a 7-day single-use link. Returns whether it went out; the caller tells the
 * operator when it did not, since the invitation itself is already stored and can be sent again.
 */
export async function sendManagerInvitation(opts: {
  mailer: Mailer;
  logger: Logger;
  appUrl: string;
  token: string;
  to: string;
  dealershipName: string;
  invitedByName: string;
  invitationId: string;
}): Promise<boolean> {
  const link = `${opts.appUrl}/invite/${opts.token}`;
  try {
    await opts.mailer.send({
      to: opts.to,
      subject: `Set up ${opts.dealershipName} on AvatarAdam`,
      text: [
        `${opts.invitedByName} invited you to manage ${opts.dealershipName} on AvatarAdam, the voice role-play trainer for F&I.`,
        '',
        'As a manager you invite your team, add your training documents and scenarios, and follow everyone’s progress.',
        'Choose your name and password here (the link works once, for 7 days):',
        link,
        '',
        'If you did not expect this email, you can ignore it.',
      ].join('\n'),
      link,
      kind: 'manager_invitation',
    });
  } catch (error) {
    opts.logger.error({ err: error, invitationId: opts.invitationId }, 'manager invitation email failed');
    return false;
  }
  opts.logger.info({ invitationId: opts.invitationId, invitedEmail: opts.to }, 'manager invitation sent');
  return true;
}
