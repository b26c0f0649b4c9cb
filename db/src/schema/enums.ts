import { pgEnum } from 'drizzle-orm/pg-core';

/** Platform operator, a dealership's admin/manager, or a trainee practising F&I. */
export const userRole = pgEnum('user_role', ['super_admin', 'dealership_admin', 'trainee']);
export const userStatus = pgEnum('user_status', ['active', 'disabled']);
export const dealershipStatus = pgEnum('dealership_status', ['active', 'suspended']);

/** Coach = Adam answers from the knowledge base; roleplay = the agent plays a customer. */
export const practiceMode = pgEnum('practice_mode', ['coach', 'roleplay']);
export const sessionChannel = pgEnum('session_channel', ['web', 'phone']);
export const sessionStatus = pgEnum('session_status', ['pending', 'live', 'ended', 'failed']);
export const difficulty = pgEnum('difficulty', ['easy', 'medium', 'hard']);
export const speaker = pgEnum('speaker', ['trainee', 'agent']);

export const documentStatus = pgEnum('document_status', ['queued', 'processing', 'ready', 'failed']);
export const scorecardStatus = pgEnum('scorecard_status', ['pending', 'complete', 'failed']);
export const complianceSeverity = pgEnum('compliance_severity', ['warning', 'auto_fail']);

/** The F&I process steps a role-play is scored on (see the rubric). */
export const fiStep = pgEnum('fi_step', [
  'greeting',
  'base_statement',
  'interview',
  'needs_awareness',
  'menu_presentation',
  'objection_handling',
  're_close',
  'documents',
]);

/**
 * How a phone call ended. in_progress while identifying or practising; practised = a session ran;
 * the rest end the call before any session: wrong PIN three times, no PIN given (silence), caller
 * hung up before being identified, the dialled number is not (or no longer) a practice line.
 */
export const phoneCallOutcome = pgEnum('phone_call_outcome', [
  'in_progress',
  'practised',
  'wrong_pin',
  'no_pin',
  'hung_up',
  'unknown_number',
  'failed',
]);
